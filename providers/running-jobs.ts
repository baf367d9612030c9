/**
 * The restores of one run whose job started and is being followed, by backup instance: what a restore
 * to a busy instance waits for (the service caps running restores per backup instance).
 */
export class RunningJobs {
  private readonly byInstance = new Map<string, Set<Promise<void>>>();
  /** Restores waiting for a job of theirs to end, by instance. */
  private readonly waiters = new Map<string, number>();

  /** Jobs followed now, and the most at once in this run. */
  private running = 0;
  private peak = 0;

  /**
   * Whether this run's deployment now waits on few jobs: its last tenth (at least the last three). A
   * late look at one of them is the run's lateness, so they are watched closely near their end.
   */
  inTail(): boolean {
    return this.running <= Math.max(3, Math.ceil(this.peak / 10));
  }

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
    this.running += 1;
    this.peak = Math.max(this.peak, this.running);
    let released = false;
    return () => {
      if (!released) this.running -= 1;
      released = true;
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
