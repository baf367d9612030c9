/**
 * Runs work one at a time per key, in arrival order; different keys run in parallel. The provider host
 * serves every restore of a deployment, so one lock per storage account serializes blob restores there.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();
  /** Holders and waiters per key. */
  private readonly counts = new Map<string, number>();

  /** Whether work waits for the key behind its holder. */
  waiting(key: string): boolean {
    return (this.counts.get(key) ?? 0) > 1;
  }

  /** Waits for the key to be free; the returned function frees it. */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    await previous;
    return () => {
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await work();
    } finally {
      release();
    }
  }
}
