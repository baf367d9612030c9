import type { AbortSignalLike } from "@azure/abort-controller";
import { createHttpPoller, type OperationResponse, type OperationState, type RunningOperation } from "@azure/core-lro";
import type { AzureBackupRestoreRequest, OperationJobExtendedInfo, OperationResource } from "../api/types";
import type { Exchanger, RawResult } from "./exchange";
import { DataProtectionError } from "./errors";
import { ranMs, type JobTimingHint, type JobTimings } from "./job-timings";

export interface LroOptions {
  abortSignal?: AbortSignalLike;
  /** Give up following the operation after this long (the operation itself goes on in Azure). */
  deadlineMs?: number;
  /** Give up after this many status polls. */
  maxPolls?: number;
  /** First wait between status polls when the service sends no Retry-After; it grows by half each poll. */
  pollIntervalMs?: number;
  /** Longest wait between status polls without Retry-After. */
  maxPollIntervalMs?: number;
  /** A state from `onStarted`: follow that operation instead of starting a new one. */
  resumeFrom?: string;
  /** Fetch the final result from Location when the status body lacks it (restore's jobId). */
  finalResult?: boolean;
  /** Called once the service accepted the request, with a state to resume from. */
  onStarted?: (state: string) => void;
  /** How long operations like this one took: the first status poll comes when it should be done (a new operation only). */
  timing?: OperationTiming;
}

/** The timings of an operation on a restore like `body` (operation, datasource type, target kind, data store). */
export function restoreOperationTiming(timings: JobTimings, operation: string, backupInstanceId: string, body: AzureBackupRestoreRequest | undefined, clockRate: () => number): OperationTiming {
  const target = body?.restoreTargetInfo;
  const datasourceType = target && "datasourceInfo" in target ? target.datasourceInfo?.datasourceType : undefined;
  const of = { kind: [operation, datasourceType ?? "", target?.objectType ?? "", body?.sourceDataStoreType ?? ""].join("|"), backupInstanceId };
  return { hint: timings.hint(of), record: (ms) => timings.record(of, ms), clockRate };
}

/** The timings of one operation's kind, and what the service's clock runs at. */
export interface OperationTiming {
  hint: JobTimingHint;
  record(ms: number): void;
  clockRate(): number;
}

export interface LroOutcome {
  status: "succeeded";
  /** `jobId` of the final result (a restore job's ARM ID), when the operation has one. */
  jobId?: string;
  result?: OperationJobExtendedInfo;
  /** The status polls this operation took. */
  polls: number;
}

function toOperationResponse(result: RawResult<unknown>): OperationResponse<unknown> {
  return { flatResponse: result.body, rawResponse: { statusCode: result.status, headers: result.headers, request: { method: result.method, url: result.url }, body: result.body } };
}

/** Retry-After in milliseconds: seconds, or an HTTP date. */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The wait before status poll `attempt` (0 = the first, after the 202) when the service names none: the
 * recorded 202s of 2023-2026 carry no Retry-After, so the client keeps its own schedule, growing by half
 * from `firstMs` to `maxMs`, spread by the jitter factor so operations started together do not poll in step.
 */
export function operationPollDelay(attempt: number, firstMs: number, maxMs: number, jitterFactor = 1): number {
  return Math.min(maxMs, firstMs * 1.5 ** attempt) * jitterFactor;
}

function combine(signal: AbortSignalLike | undefined, deadlineMs: number | undefined): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (signal) signals.push(signal as AbortSignal);
  if (deadlineMs !== undefined) signals.push(AbortSignal.timeout(deadlineMs));
  return signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
}

/** A factor in [0.8, 1.2]. */
function jitter(): number {
  return 0.8 + 0.4 * Math.random();
}

/** Waits `ms`; resolves early, with true, when a similar operation ends (the hint changes), or at once on abort. */
function wakeableDelay(ms: number, signal: AbortSignalLike | undefined, hint: JobTimingHint | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.reject((signal as AbortSignal).reason ?? new Error("aborted"));
  return new Promise<boolean>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    const finish = (woken: boolean, error?: unknown) => {
      clearTimeout(timer);
      unsubscribe?.();
      signal?.removeEventListener("abort", onAbort);
      if (error !== undefined) reject(error);
      else resolve(woken);
    };
    const onAbort = () => finish(false, (signal as AbortSignal | undefined)?.reason ?? new Error("aborted"));
    const timer = setTimeout(() => finish(false), ms);
    unsubscribe = hint?.onChange(() => finish(true));
    signal?.addEventListener("abort", onAbort);
  });
}

/**
 * Starts (or resumes) a long-running operation and follows it with `@azure/core-lro`: the
 * Azure-AsyncOperation header first, Location otherwise, Retry-After honoured, bounded by a number of
 * polls, a deadline and an abort signal. A Failed or Canceled operation throws the service's error,
 * built from the status body's `error` (with Data Protection's `additionalInfo`).
 */
export async function runLongRunningOperation(client: Exchanger, operation: string, start: () => Promise<RawResult<unknown>>, options: LroOptions = {}): Promise<LroOutcome> {
  const signal = combine(options.abortSignal, options.deadlineMs);
  // A resumed operation started at an unknown moment: it neither learns a duration nor lets others wait for one.
  if (options.resumeFrom) options.timing?.hint.release();
  const timing = options.resumeFrom ? undefined : options.timing;
  const maxPolls = options.maxPolls ?? 240;
  let polls = 0;
  let location: string | undefined;
  let initialRetryAfterMs: number | undefined;
  let pollRetryAfterMs: number | undefined;
  let lastStatus: OperationResource | undefined;
  let statusJobId: string | undefined;
  const lro: RunningOperation<unknown> = {
    sendInitialRequest: async () => {
      const initial = await start();
      location = initial.headers["location"];
      initialRetryAfterMs = retryAfterMs(initial.headers["retry-after"]);
      return toOperationResponse(initial);
    },
    sendPollRequest: async (url, pollOptions) => {
      polls += 1;
      if (polls > maxPolls) {
        throw new DataProtectionError({ code: "PollLimitExceeded", serviceMessage: `${operation} was still running after ${maxPolls} status polls`, recommendedAction: ["Run again: the operation is followed where it was left"], operation });
      }
      const result = await client.send<unknown>(`${operation}:poll`, "GET", url, { abortSignal: pollOptions?.abortSignal ?? signal });
      pollRetryAfterMs = retryAfterMs(result.headers["retry-after"]);
      const body = result.body as OperationResource | undefined;
      if (body && typeof body === "object" && "status" in body) {
        lastStatus = body;
        statusJobId = body.properties?.jobId ?? statusJobId;
      }
      return toOperationResponse(result);
    },
  };
  const poller = createHttpPoller<unknown, OperationState<unknown>>(lro, {
    intervalInMs: options.pollIntervalMs ?? 2000,
    ...(options.resumeFrom ? { restoreFrom: options.resumeFrom } : {}),
    // Failures are turned into DataProtectionError below, from the status body core-lro would drop.
    resolveOnUnsuccessful: true,
    // The status body carries the jobId; the Location GET is made below only when it does not.
    skipFinalGet: true,
  });
  try {
    await poller.submitted();
    if (options.onStarted && !options.resumeFrom) options.onStarted(await poller.serialize());
    // Each wait is the service's Retry-After when it names one, else our own schedule; core-lro's own
    // loop would poll at once after the 202 and then at a fixed interval.
    const firstMs = options.pollIntervalMs ?? 2000;
    const maxMs = Math.max(firstMs, options.maxPollIntervalMs ?? 30_000);
    const acceptedAt = Date.now();
    const hint = timing?.hint;
    const ownWait = (attempt: number): number => {
      const expected = hint?.expectedMs();
      const ahead = expected === undefined ? undefined : expected - (Date.now() - acceptedAt);
      if (ahead !== undefined && ahead > 0 && attempt === 0) return Math.min(ahead, maxMs);
      if (ahead !== undefined && ahead > 0) return Math.min(ahead, operationPollDelay(attempt, firstMs, maxMs, jitter()));
      if (expected === undefined && hint?.othersLearning()) return maxMs * (0.8 + 0.2 * Math.random());
      // The first of its kind learns the duration for the others: it starts from half the first wait.
      return operationPollDelay(attempt, expected === undefined && hint ? firstMs / 2 : firstMs, maxMs, jitter());
    };
    let waitMs = options.resumeFrom ? 0 : initialRetryAfterMs ?? ownWait(0);
    for (let attempt = 1; !poller.isDone; attempt++) {
      // A similar operation's end (or the one learning giving up) may bring the poll forward.
      for (let until = Date.now() + waitMs; Date.now() < until; ) {
        const woken = await wakeableDelay(until - Date.now(), signal, hint);
        if (woken && pollRetryAfterMs === undefined) until = Math.min(until, Date.now() + ownWait(attempt - 1));
      }
      await poller.poll({ abortSignal: signal });
      waitMs = pollRetryAfterMs ?? ownWait(attempt);
    }
    const ended = poller.operationState?.status === "succeeded" ? lastStatus : undefined;
    if (ended && timing) timing.record(ranMs(ended.startTime, ended.endTime, Date.now() - acceptedAt, timing.clockRate()));
  } catch (error) {
    if (signal?.aborted) {
      const byDeadline = !options.abortSignal?.aborted;
      throw new DataProtectionError({
        code: byDeadline ? "OperationDeadlineExceeded" : "OperationAborted",
        serviceMessage: byDeadline ? `${operation} did not finish within ${options.deadlineMs} ms` : `following ${operation} was aborted`,
        recommendedAction: ["Run again: the operation goes on in Azure and is followed where it was left"],
        operation,
        isRetryable: true,
      });
    }
    throw error;
  } finally {
    timing?.hint.release();
  }
  const state = poller.operationState;
  if (!state || state.status !== "succeeded") {
    const error = lastStatus?.error;
    throw DataProtectionError.fromCloudError(error, {
      code: `Operation${state?.status === "canceled" ? "Canceled" : "Failed"}`,
      serviceMessage: `${operation} ended ${state?.status ?? "without a status"}`,
      operation,
    });
  }
  let result = lastStatus?.properties;
  if (options.finalResult && !statusJobId && location) {
    result = (await client.send<OperationJobExtendedInfo>(`${operation}:result`, "GET", location, { abortSignal: signal })).body;
  }
  return { status: "succeeded", jobId: result?.jobId ?? statusJobId, ...(result ? { result } : {}), polls };
}
