import type { AbortSignalLike } from "@azure/abort-controller";
import type { AzureBackupJob, AzureBackupJobResource } from "../api/types";
import type { DataProtectionClient } from "./client";
import { DataProtectionError } from "./errors";
import { ranMs, type JobTimingHint } from "./job-timings";

/** Terminal job statuses: the four, plus the spellings older api-versions document. */
const TERMINAL: Record<string, "succeeded" | "succeededWithWarnings" | "failed" | "cancelled"> = {
  completed: "succeeded",
  success: "succeeded",
  succeeded: "succeeded",
  completedwithwarnings: "succeededWithWarnings",
  successwithwarning: "succeededWithWarnings",
  failed: "failed",
  cancelled: "cancelled",
  canceled: "cancelled",
};

export type JobOutcome = "succeeded" | "succeededWithWarnings" | "failed" | "cancelled";

/** How a job status reads: terminal outcome, or undefined while running (anything unknown counts as running). */
export function jobOutcome(status: string | undefined): JobOutcome | undefined {
  return status ? TERMINAL[status.toLowerCase()] : undefined;
}

export interface FollowJobOptions {
  abortSignal?: AbortSignalLike;
  /** Stop following after this long; the job goes on in Azure. */
  deadlineMs?: number;
  /** First wait between polls; grows by `backoff` up to `maxIntervalMs`. */
  initialIntervalMs?: number;
  /** Longest wait between two polls: a job's end is seen at most this late. */
  maxIntervalMs?: number;
  backoff?: number;
  /** Each wait is spread by up to this fraction either way, so followers of jobs started together do not poll in step. */
  jitter?: number;
  /** When the job started, on this process's clock (default: when following begins). */
  startedAt?: number;
  /** How long jobs like this one took: polls line up on it, and a similar job's end prompts a look. Released when following ends. */
  hint?: JobTimingHint;
  /** Whether other work waits for this job's end (a restore queued on its target, the run's last jobs): look closely from the kind's shortest run. */
  waitedOn?: () => boolean;
  onProgress?: (job: AzureBackupJobResource) => void;
  /** Clock and randomness, injectable for tests. */
  clock?: Clock;
  random?: () => number;
}

/** Time as the follower sees it: the real one, or a test's. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignalLike): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener?.("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener?.("abort", done);
    }),
};

export interface FollowedJob {
  job: AzureBackupJobResource;
  /** Terminal outcome, or `timedOut`/`aborted` when the follower stopped first. */
  outcome: JobOutcome | "timedOut" | "aborted";
  /** The job's errorDetails as errors (empty unless it failed). */
  errors: DataProtectionError[];
  polls: number;
}

/**
 * The wait before the next poll, `elapsedMs` into the job. With an expectation still ahead, polls land
 * on it: every `maxIntervalMs` counting back from it, so the poll that should see the end comes right at
 * the expected end and no wait is longer than the cap. Otherwise (no expectation, or past it) the
 * growing interval, spread by the jitter factor (a number in [1 - jitter, 1 + jitter]).
 */
export function nextPollDelay(elapsedMs: number, intervalMs: number, maxIntervalMs: number, expectedMs: number | undefined, jitterFactor = 1): number {
  if (expectedMs !== undefined && elapsedMs < expectedMs) {
    const ahead = expectedMs - elapsedMs;
    return ahead - (Math.ceil(ahead / maxIntervalMs) - 1) * maxIntervalMs;
  }
  return Math.min(maxIntervalMs, intervalMs * jitterFactor);
}

/** Sleeps `ms` on the clock; resolves early, with true, when the waker handed to `onWaker` is called. */
function sleep(clock: Clock, ms: number, signal: AbortSignalLike | undefined, onWaker: (wake: () => void) => void): Promise<boolean> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener?.("abort", onAbort);
  if (signal?.aborted) stop.abort();
  return new Promise<boolean>((resolve) => {
    let woken = false;
    onWaker(() => {
      woken = true;
      stop.abort();
    });
    void clock.sleep(ms, stop.signal).then(() => resolve(woken));
  }).finally(() => signal?.removeEventListener?.("abort", onAbort));
}

/** How long a job ran, on this process's clock (`ranMs`; `observedMs` from acceptance to the poll that saw the end). */
export function jobRanMs(job: AzureBackupJobResource, observedMs: number, clockRate = 1): number {
  return ranMs(job.properties?.startTime, job.properties?.endTime, observedMs, clockRate);
}

export function jobErrors(job: AzureBackupJob | undefined, jobId?: string): DataProtectionError[] {
  return (job?.errorDetails ?? []).map((e) => DataProtectionError.fromUserFacingError(e, { operation: "restoreJob", target: jobId }));
}

/**
 * Polls a restore job until it reaches a terminal status, with growing waits, a deadline and an abort
 * signal. Never throws for the job's own failure: the caller gets the job, its outcome and its errors
 * so it can record them (a failed restore must leave a trace).
 *
 * With a hint, polls line up on the expected end, and when a similar job ends while this one waits
 * short of its expected end, the wait is cut to that new expectation (once past it, the growing
 * interval applies, so one follower looks early at most once). While another follower of the kind is
 * learning its duration, this one polls only at its cap until woken. A job others wait for
 * (`waitedOn`) is looked at every `initialIntervalMs` from the shortest run of its kind on,
 * since its end starts their work; the same instance's own last run needs no such care.
 */
export async function followRestoreJob(client: Pick<DataProtectionClient, "getJob">, jobId: string, options: FollowJobOptions = {}): Promise<FollowedJob> {
  const clock = options.clock ?? realClock;
  const now = () => clock.now();
  const random = options.random ?? Math.random;
  const jitter = options.jitter ?? 0.25;
  const startedAt = options.startedAt ?? now();
  const deadline = options.deadlineMs !== undefined ? now() + options.deadlineMs : Infinity;
  const initialInterval = options.initialIntervalMs ?? 5000;
  const maxInterval = Math.max(initialInterval, options.maxIntervalMs ?? 60_000);
  const backoff = options.backoff ?? 1.5;
  const hint = options.hint;
  let interval = initialInterval;
  let overdue = false;
  let polls = 0;
  let job: AzureBackupJobResource | undefined;
  let wake: (() => void) | undefined;
  hint?.onChange(() => wake?.());
  /** The wait from now to the next poll. */
  const nextDelay = (): number => {
    const elapsed = now() - startedAt;
    const expected = overdue ? undefined : hint?.expectedMs();
    const jitterFactor = 1 - jitter + 2 * jitter * random();
    // Spread below the cap only: no wait is longer than the cap.
    if (expected === undefined && hint?.othersLearning()) return maxInterval * (1 - jitter * random());
    // The follower learning its kind's duration for the others looks at least every two first waits.
    const learning = expected === undefined && !overdue && hint !== undefined;
    const delay = nextPollDelay(elapsed, interval, learning ? Math.min(maxInterval, 2 * initialInterval) : maxInterval, expected, jitterFactor);
    if (overdue || expected === undefined) interval = Math.min(maxInterval, interval * backoff);
    const shortest = hint?.shortestMs();
    if (shortest === undefined || hint?.precise() || !options.waitedOn?.()) return delay;
    const watchFrom = shortest - elapsed;
    return Math.min(delay, watchFrom > 0 ? watchFrom : initialInterval);
  };
  try {
    for (;;) {
      job = await client.getJob(jobId, { abortSignal: options.abortSignal });
      polls += 1;
      options.onProgress?.(job);
      const outcome = jobOutcome(job.properties?.status);
      if (outcome) return { job, outcome, errors: jobErrors(job.properties, jobId), polls };
      if (options.abortSignal?.aborted) return { job, outcome: "aborted", errors: [], polls };
      if (deadline - now() <= 0) return { job, outcome: "timedOut", errors: [], polls };
      const expected = hint?.expectedMs();
      if (expected !== undefined && now() - startedAt >= expected && !overdue) {
        overdue = true;
        interval = initialInterval;
      }
      let pollAt = Math.min(now() + nextDelay(), deadline);
      while (now() < pollAt && !options.abortSignal?.aborted) {
        const changed = await sleep(clock, pollAt - now(), options.abortSignal, (w) => (wake = w));
        wake = undefined;
        if (!changed || overdue) continue;
        // A similar job ended (or the one learning stopped): look at its expectation, or learn in its place.
        const sooner = hint?.expectedMs();
        const delay = sooner !== undefined ? nextPollDelay(now() - startedAt, 0, maxInterval, sooner) : hint?.othersLearning() ? undefined : interval;
        if (delay !== undefined) pollAt = Math.min(pollAt, now() + delay);
      }
      if (options.abortSignal?.aborted) return { job, outcome: "aborted", errors: [], polls };
    }
  } finally {
    hint?.release();
  }
}
