import type { AbortSignalLike } from "@azure/abort-controller";
import type { AzureBackupJob, AzureBackupJobResource } from "../../api/types";
import type { DataProtectionClient } from "./client";
import { DataProtectionError } from "./errors";

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
  maxIntervalMs?: number;
  backoff?: number;
  onProgress?: (job: AzureBackupJobResource) => void;
  /** Clock and sleep, injectable for tests. */
  now?: () => number;
}

export interface FollowedJob {
  job: AzureBackupJobResource;
  /** Terminal outcome, or `timedOut`/`aborted` when the follower stopped first. */
  outcome: JobOutcome | "timedOut" | "aborted";
  /** The job's errorDetails as errors (empty unless it failed). */
  errors: DataProtectionError[];
  polls: number;
}

function sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener?.("abort", done);
      resolve();
    }
    signal?.addEventListener?.("abort", done);
  });
}

export function jobErrors(job: AzureBackupJob | undefined, jobId?: string): DataProtectionError[] {
  return (job?.errorDetails ?? []).map((e) => DataProtectionError.fromUserFacingError(e, { operation: "restoreJob", target: jobId }));
}

/**
 * Polls a restore job until it reaches a terminal status, with growing waits, a deadline and an abort
 * signal. Never throws for the job's own failure: the caller gets the job, its outcome and its errors
 * so it can record them (a failed restore must leave a trace).
 */
export async function followRestoreJob(client: DataProtectionClient, jobId: string, options: FollowJobOptions = {}): Promise<FollowedJob> {
  const now = options.now ?? Date.now;
  const deadline = options.deadlineMs !== undefined ? now() + options.deadlineMs : Infinity;
  let interval = options.initialIntervalMs ?? 5000;
  const maxInterval = options.maxIntervalMs ?? 60_000;
  const backoff = options.backoff ?? 1.5;
  let polls = 0;
  let job: AzureBackupJobResource | undefined;
  for (;;) {
    job = await client.getJob(jobId, { abortSignal: options.abortSignal });
    polls += 1;
    options.onProgress?.(job);
    const outcome = jobOutcome(job.properties?.status);
    if (outcome) return { job, outcome, errors: jobErrors(job.properties, jobId), polls };
    if (options.abortSignal?.aborted) return { job, outcome: "aborted", errors: [], polls };
    const left = deadline - now();
    if (left <= 0) return { job, outcome: "timedOut", errors: [], polls };
    await sleep(Math.min(interval, left), options.abortSignal);
    if (options.abortSignal?.aborted) return { job, outcome: "aborted", errors: [], polls };
    interval = Math.min(maxInterval, interval * backoff);
  }
}
