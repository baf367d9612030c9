/**
 * How long restore jobs (and the operations that start them) took in this run, so a follower can look
 * when one like its own should be done instead of only at a growing interval.
 *
 * A duration is the service's own when the answer carries it (`endTime − startTime` of the job or the
 * operation status: both on the service's clock, so its skew cancels out), else this process's upper
 * bound (from acceptance to the poll that saw the end). See `serviceRanMs`.
 *
 * Two levels: the same backup instance and kind of restore (the same data: exact for the next restore of
 * it), then the kind of restore (datasource type, target, data store) across instances, as the median.
 *
 * While a kind has no duration yet, the first of its followers learns it (polls on its own schedule);
 * the others wait up to their cap and are woken when it has (or when it stops without one), so a wave
 * of restores started together does not poll in step before anything is known.
 */

/** What a follower needs from the timings: an expectation, word when it changes, and whether to wait for another's. */
export interface JobTimingHint {
  /** Expected run time of the job (ms from its start, on this process's clock), if any. */
  expectedMs(): number | undefined;
  /** The shortest run of the kind kept (or this instance's own last run), if any: before it, a job is unlikely to have ended. */
  shortestMs(): number | undefined;
  /** Whether the expectation is this backup instance's own last run (the same data), not the kind's median. */
  precise(): boolean;
  /** Whether another follower of this kind, started earlier, is learning how long it takes: wait for it. */
  othersLearning(): boolean;
  /** Calls `listener` when a job like this one ends (or the one learning stops); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** This follower is done: it neither learns nor waits any more. */
  release(): void;
}

export interface JobKind {
  /** e.g. `Microsoft.Storage/storageAccounts/blobServices|RestoreTargetInfo|OperationalStore`. */
  kind: string;
  backupInstanceId: string;
}

/** Durations kept per kind: enough for a median, bounded for a run of thousands. */
const KEEP = 25;

export class JobTimings {
  private readonly byInstance = new Map<string, number>();
  private readonly byKind = new Map<string, number[]>();
  private readonly listeners = new Map<string, Set<() => void>>();
  /** Followers without an expectation, per kind, in the order they began: the first one learns. */
  private readonly learners = new Map<string, Set<object>>();

  /** A job of `of` ran `ms`. */
  record(of: JobKind, ms: number): void {
    if (!(ms > 0)) return;
    this.byInstance.set(instanceKey(of), ms);
    const kept = this.byKind.get(of.kind) ?? [];
    kept.push(ms);
    if (kept.length > KEEP) kept.shift();
    this.byKind.set(of.kind, kept);
    this.notify(of.kind);
  }

  expectedMs(of: JobKind): number | undefined {
    return this.byInstance.get(instanceKey(of)) ?? median(this.byKind.get(of.kind));
  }

  hint(of: JobKind): JobTimingHint {
    const me = {};
    const learners = this.learners.get(of.kind) ?? new Set<object>();
    this.learners.set(of.kind, learners);
    learners.add(me);
    const unsubscribes = new Set<() => void>();
    return {
      expectedMs: () => this.expectedMs(of),
      shortestMs: () => this.byInstance.get(instanceKey(of)) ?? minimum(this.byKind.get(of.kind)),
      precise: () => this.byInstance.has(instanceKey(of)),
      othersLearning: () => this.expectedMs(of) === undefined && first(learners) !== me,
      onChange: (listener) => {
        const set = this.listeners.get(of.kind) ?? new Set();
        set.add(listener);
        this.listeners.set(of.kind, set);
        const unsubscribe = () => {
          unsubscribes.delete(unsubscribe);
          set.delete(listener);
          if (set.size === 0 && this.listeners.get(of.kind) === set) this.listeners.delete(of.kind);
        };
        unsubscribes.add(unsubscribe);
        return unsubscribe;
      },
      release: () => {
        for (const unsubscribe of unsubscribes) unsubscribe();
        const wasLearning = first(learners) === me;
        learners.delete(me);
        if (learners.size === 0 && this.learners.get(of.kind) === learners) this.learners.delete(of.kind);
        // The next follower learns in its place.
        if (wasLearning && learners.size > 0) this.notify(of.kind);
      },
    };
  }

  private notify(kind: string): void {
    for (const listener of [...(this.listeners.get(kind) ?? [])]) listener();
  }
}

/**
 * How long the service says something ran, on this process's clock: `endTime − startTime` divided by
 * the service's clock rate (1 for Azure; the emulator's time scale, which it names in
 * `x-emulator-time-scale`), rounded up to the service's second (an operation status writes whole
 * seconds); undefined without both times.
 */
export function serviceRanMs(startTime: string | null | undefined, endTime: string | null | undefined, clockRate = 1): number | undefined {
  const start = Date.parse(startTime ?? "");
  const end = Date.parse(endTime ?? "");
  if (Number.isNaN(start) || Number.isNaN(end) || end < start || end - start > MAX_RUN_MS) return undefined;
  return (end - start + 1000) / (clockRate > 0 ? clockRate : 1);
}

/** How long something ran by the service's times (`serviceRanMs`), never more than `observedMs`, which bounds it whatever the service's clock says. */
export function ranMs(startTime: string | null | undefined, endTime: string | null | undefined, observedMs: number, clockRate = 1): number {
  return Math.min(observedMs, serviceRanMs(startTime, endTime, clockRate) ?? observedMs);
}

/** Beyond a month, the times are not a run's (an unset endTime is written as 9999-12-31). */
const MAX_RUN_MS = 31 * 24 * 3600_000;

function first<T>(set: Set<T>): T | undefined {
  for (const value of set) return value;
  return undefined;
}

function instanceKey(of: JobKind): string {
  return `${of.kind}|${of.backupInstanceId.toLowerCase()}`;
}

function minimum(values: number[] | undefined): number | undefined {
  return values?.length ? Math.min(...values) : undefined;
}

function median(values: number[] | undefined): number | undefined {
  if (!values?.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
