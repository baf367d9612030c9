import type { AzureBackupJobResource } from "../api/types";
import type { DataProtectionClient } from "../client/client";
import { DataProtectionError, isDataProtectionError } from "../client/errors";
import type { Clock } from "../client/jobs";
import type { RestorePlan } from "../plan";
import { findLostJob } from "./adoption";

/** Attempts at the `restore` trigger when the answer is ambiguous or the target is busy. */
export const MAX_TRIGGER_ATTEMPTS = 4;

export interface TriggerOptions {
  clock: Clock;
  /** Where a job this restore may have started is looked for (see RestoreSession.adoptionWindow). */
  since: number;
  exclude: () => string[];
  /** When to stop trying (the operation's deadline, not the job's). */
  deadline: number;
  /** Wait before trying a busy target again. */
  busyWaitMs: number;
  /**
   * What a busy target is waited for: the end of a restore this run started on the same backup instance
   * or target, when there is one (resolves when it ends); otherwise the trigger waits `busyWaitMs`.
   */
  untilFree?: () => Promise<void> | undefined;
}

export interface Triggered {
  jobId: string;
  /** The trigger's answer was lost and the job list showed the job it started. */
  adopted: boolean;
  /** When the service accepted the request, on this process's clock (unknown for an adopted job). */
  acceptedAt?: number;
}

function busyTarget(error: DataProtectionError): boolean {
  return error.isRetryable === true && error.statusCode !== undefined && error.statusCode < 500 && error.statusCode !== 429;
}

/**
 * Sends `restore` once, unless the answer leaves it unknown whether the job started: then the job list
 * decides (adopt what started) before sending again. A busy target (another restore running there) is
 * waited for.
 */
export async function triggerRestore(api: Pick<DataProtectionClient, "triggerRestore" | "listJobs" | "getJob">, plan: RestorePlan, options: TriggerOptions): Promise<Triggered> {
  const { clock } = options;
  // A busy target (another restore running on the instance or target) is no failed attempt: it is waited
  // for up to the deadline, however long that restore's job takes.
  for (let attempt = 1; ; ) {
    try {
      let acceptedAt: number | undefined;
      const outcome = await api.triggerRestore(plan.backupInstance, plan.restoreRequest, {
        deadlineMs: Math.max(1000, options.deadline - clock.now()),
        onStarted: () => (acceptedAt = clock.now()),
      });
      if (!outcome.jobId) {
        throw new DataProtectionError({ code: "RestoreWithoutJob", serviceMessage: "the restore operation succeeded without a job ID", recommendedAction: ["Look for the job in the Backup vault"], operation: "restore" });
      }
      return { jobId: outcome.jobId, adopted: false, acceptedAt };
    } catch (error) {
      if (!isDataProtectionError(error) || error.code === "RestoreWithoutJob" || clock.now() > options.deadline) throw error;
      if (error.ambiguous) {
        if (attempt >= MAX_TRIGGER_ATTEMPTS) throw error;
        attempt += 1;
        const jobs: AzureBackupJobResource[] = await api.listJobs(plan.backupInstance);
        const found = await findLostJob(api, jobs, plan, { since: options.since, exclude: options.exclude() });
        if (found?.id) return { jobId: found.id, adopted: true };
        continue;
      }
      if (busyTarget(error)) {
        const peer = options.untilFree?.();
        if (!peer) {
          await clock.sleep(options.busyWaitMs);
          continue;
        }
        const stop = new AbortController();
        await Promise.race([peer, clock.sleep(Math.max(options.busyWaitMs, options.deadline - clock.now()), stop.signal)]);
        stop.abort();
        continue;
      }
      throw error;
    }
  }
}
