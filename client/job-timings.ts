/**
 * How long restore jobs took, as this process saw them, so a follower can look when a job like its own
 * should be done instead of only at a growing interval. Durations are measured on this process's clock
 * (from the accepted `restore` to the poll that saw the job end): the service's `startTime`/`endTime`
 * may be on a skewed clock, and the emulator's run at its time scale.
 *
 * Two levels: the same backup instance and kind of restore (the same data: the best guess), then the
 * kind of restore (datasource type, target, data store) across instances, as the median.
 */

/** What a follower needs from the timings: an expectation, and word when it changes. */
export interface JobTimingHint {
  /** Expected run time of the job (ms from its start, on this process's clock), if any. */
  expectedMs(): number | undefined;
  /** Calls `listener` when a job like this one ends; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
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

  /** A job of `of` ran `ms` (an upper bound: until the poll that saw it end). */
  record(of: JobKind, ms: number): void {
    if (!(ms > 0)) return;
    this.byInstance.set(instanceKey(of), ms);
    const kept = this.byKind.get(of.kind) ?? [];
    kept.push(ms);
    if (kept.length > KEEP) kept.shift();
    this.byKind.set(of.kind, kept);
    for (const listener of [...(this.listeners.get(of.kind) ?? [])]) listener();
  }

  expectedMs(of: JobKind): number | undefined {
    return this.byInstance.get(instanceKey(of)) ?? median(this.byKind.get(of.kind));
  }

  hint(of: JobKind): JobTimingHint {
    return {
      expectedMs: () => this.expectedMs(of),
      onChange: (listener) => {
        const set = this.listeners.get(of.kind) ?? new Set();
        set.add(listener);
        this.listeners.set(of.kind, set);
        return () => {
          set.delete(listener);
          if (set.size === 0) this.listeners.delete(of.kind);
        };
      },
    };
  }
}

function instanceKey(of: JobKind): string {
  return `${of.kind}|${of.backupInstanceId.toLowerCase()}`;
}

function median(values: number[] | undefined): number | undefined {
  if (!values?.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
