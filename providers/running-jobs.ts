/**
 * The restores of one run whose job started and is being followed, by backup instance: what a restore
 * to a busy instance waits for (the service caps running restores per backup instance).
 */
export class RunningJobs {
  private readonly byInstance = new Map<string, Set<Promise<void>>>();
  /** Restores waiting for a job of theirs to end, by instance. */
  private readonly waiters = new Map<string, number>();

  /** Whether a restore of this run waits for a job on `instance` to end. */
  waitedOn(instance: string): boolean {
    return (this.waiters.get(instance) ?? 0) > 0;
  }

  /** Marks a job running on `instance`; the function returned ends it. */
  mark(instance: string): () => void {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const set = this.byInstance.get(instance) ?? new Set<Promise<void>>();
    set.add(ended);
    this.byInstance.set(instance, set);
    return () => {
      end();
      set.delete(ended);
      if (set.size === 0 && this.byInstance.get(instance) === set) this.byInstance.delete(instance);
    };
  }

  /** Settles when one of this run's jobs on `instance` ends; undefined when none runs there. */
  untilFree(instance: string): Promise<void> | undefined {
    const peers = [...(this.byInstance.get(instance) ?? [])];
    if (peers.length === 0) return undefined;
    this.waiters.set(instance, (this.waiters.get(instance) ?? 0) + 1);
    return Promise.race(peers).finally(() => {
      const left = (this.waiters.get(instance) ?? 1) - 1;
      if (left > 0) this.waiters.set(instance, left);
      else this.waiters.delete(instance);
    });
  }
}
