import type { AzureBackupJobResource, AzureBackupRestoreRequest } from "../../api/types";
import { userFacingError } from "../errors";
import { dpErrors } from "../service-errors";
import { formatDuration } from "../format";
import type { Reply } from "../http";
import { newGuid, parseArmId, sameArmId, sameName } from "../ids";
import { kindOf } from "../kinds";
import type { RestoreTarget } from "../kinds/kind";
import type { JobRecord, JobTarget } from "../store";
import { jobResource, jobState } from "../views";
import type { BackupInstance, JobWarning, Vault } from "../world/model";
import { restoreJobDuration } from "../world/world";
import { fail, findVault, page, type ArmRequest, type EngineState, type Handler } from "./shared";

/**
 * Restore jobs: those of a vault (the emulator's, newest first, then the world's), one job, and a new job
 * when a restore is accepted. A job crossRegionRestore created lives in the secondary region: only
 * fetchCrossRegionRestoreJob(s) there see it, not the vault's job routes.
 */

type View = "get" | "list";

/** Jobs of a vault, newest first: those the emulator ran and those the world lists; `crossRegion`: those of cross-region restores at that region instead. */
function vaultJobs(state: EngineState, vault: Vault, req: ArmRequest, view: View, crossRegion?: string): AzureBackupJobResource[] {
  const own = [...state.store.jobs.values()]
    .filter((j) => sameName(j.subscriptionId, vault.subscriptionId) && sameName(j.resourceGroup, vault.resourceGroup) && sameName(j.vaultName, vault.name))
    .filter((j) => (crossRegion === undefined ? j.crossRegionLocation === undefined : sameName(j.crossRegionLocation, crossRegion)))
    .sort((a, b) => b.startMs - a.startMs || a.name.localeCompare(b.name))
    .map((j) => jobResource(j, req.nowMs, req.version, view));
  const listed = (crossRegion === undefined ? state.world.file.jobs : state.world.file.crossRegionJobs) ?? [];
  const seeded = listed.filter((j) => j.id !== undefined && sameArmId(j.id.replace(/\/backupJobs\/[^/]+$/i, ""), vault.id));
  return [...own, ...seeded];
}

/** The page of `vault`'s jobs the request asks for. */
function jobsReply(state: EngineState, req: ArmRequest, vault: Vault): Reply {
  return { status: 200, body: page(state.world, req, vaultJobs(state, vault, req, "list")) };
}

/** One job of `vault`, by name, or by ARM ID under the vault. */
function jobReply(state: EngineState, req: ArmRequest, vault: Vault, jobId: string, crossRegion?: string): Reply {
  const name = jobId.includes("/") && sameArmId(jobId.replace(/\/backupJobs\/[^/]+\/?$/i, ""), vault.id) ? jobId.replace(/\/+$/, "").split("/").pop()! : jobId;
  const job = vaultJobs(state, vault, req, "get", crossRegion).find((j) => sameName(j.name, name));
  if (!job) fail(dpErrors.jobNotFound(vault.name, jobId));
  return { status: 200, body: job };
}

/**
 * fetchCrossRegionRestoreJobs: the vault's cross-region restore jobs at `region`, in one page (the
 * operation is a POST; the emulator hands out no nextLink a client would have to follow with GET).
 */
export function crossRegionJobsReply(state: EngineState, req: ArmRequest, vault: Vault, region: string): Reply {
  return { status: 200, body: { value: vaultJobs(state, vault, req, "list", region) } };
}

/** fetchCrossRegionRestoreJob: one cross-region restore job of the vault at `region`; `jobId` its name (a GUID) or its ARM ID. */
export function crossRegionJobReply(state: EngineState, req: ArmRequest, vault: Vault, region: string, jobId: string): Reply {
  return jobReply(state, req, vault, jobId, region);
}

export const listJobs: Handler = (state, req) => jobsReply(state, req, findVault(state.world, req.params));

export const getJob: Handler = (state, req) => jobReply(state, req, findVault(state.world, req.params), req.params.jobId);

export function runningJobs(state: EngineState, nowMs: number): JobRecord[] {
  return [...state.store.jobs.values()].filter((j) => !jobState(j, nowMs).done);
}

/** What restore jobs are writing or have written: every job's target but a failed one's. */
export function restoredTargets(state: EngineState, nowMs: number): RestoreTarget[] {
  return [...state.store.jobs.values()].filter((j) => jobState(j, nowMs).status !== "Failed").map((j) => j.target);
}

/** A restore the service accepted: what its job is made of. */
export interface AcceptedRestore {
  instance: BackupInstance;
  request: AzureBackupRestoreRequest;
  target: JobTarget;
  recoveryDestination: string;
  activityId: string;
  nowMs: number;
  /** The (secondary) region a crossRegionRestore ran in. */
  crossRegionLocation?: string;
}

/** The job of an accepted restore, running from now; its outcome is decided now (world, `jobFails` fault). */
export function createJob(state: EngineState, restore: AcceptedRestore): JobRecord {
  const { instance: bi, request, target, recoveryDestination, activityId, crossRegionLocation } = restore;
  const { world, store, faults } = state;
  const duration = restoreJobDuration(world, bi);
  const rehydrating = request.objectType === "AzureBackupRestoreWithRehydrationRequest";
  const durationMs = duration.ms + (rehydrating ? world.durationMs("rehydration") : 0);
  const fault = faults.takeOutcome(crossRegionLocation ? "crossRegionRestore" : "restore", "jobFails");
  const kindWarnings = kindWarningsOf(state, restore);
  const worldOutcome = bi.restoreJob?.outcome ?? "Completed";
  const outcome = fault ? "Failed" : worldOutcome === "Completed" && kindWarnings.length > 0 ? "CompletedWithWarnings" : worldOutcome;
  const error =
    outcome === "Failed"
      ? fault
        ? userFacingError(dpErrors.injected(fault.error?.code ?? "UserErrorRestoreJobFailed", fault.error?.message ?? "The restore job failed."), activityId)
        : bi.restoreJob?.error ?? userFacingError(dpErrors.injected("UserErrorRestoreJobFailed", "The restore job failed."), activityId)
      : undefined;
  const source = parseArmId(bi.dataSourceInfo.resourceID);
  const rp = request.objectType === "AzureBackupRecoveryTimeBasedRestoreRequest" ? undefined : bi.points.find((p) => sameName(p.id, request.recoveryPointId));
  const name = newGuid();
  const restoredData = state.restoredData?.modeFor(bi) ?? "present";
  const job: JobRecord = {
    name,
    subscriptionId: bi.vault.subscriptionId,
    resourceGroup: bi.vault.resourceGroup,
    vaultName: bi.vault.name,
    backupInstanceName: bi.name,
    startMs: restore.nowMs,
    durationMs,
    durationText: rehydrating ? "" : duration.text,
    outcome,
    ...(error ? { error } : {}),
    ...(outcome === "CompletedWithWarnings" ? { warnings: [...worldWarnings(bi, kindWarnings), ...kindWarnings] } : {}),
    sourceDataStoreType: request.sourceDataStoreType,
    ...(request.restoreTargetInfo.objectType === "RestoreFilesTargetInfo" ? { filePrefix: request.restoreTargetInfo.targetDetails.filePrefix } : {}),
    ...(restoredData !== "present" ? { restoredData } : {}),
    target,
    recoveryDestination,
    sourceRecoverPoint:
      request.objectType === "AzureBackupRecoveryTimeBasedRestoreRequest"
        ? { recoveryPointTime: normalizeTime(request.recoveryPointTime) }
        : { recoveryPointID: request.recoveryPointId, ...(rp ? { recoveryPointTime: rp.time } : {}) },
    ...(rehydrating ? { rehydrationPriority: request.rehydrationPriority } : {}),
    ...(crossRegionLocation ? { crossRegionLocation } : {}),
    base: {
      activityID: activityId.replace(/-Ibz$/, ""),
      subscriptionId: bi.vault.subscriptionId,
      backupInstanceId: bi.id,
      policyId: `${bi.vault.id}/backupPolicies/${bi.policyName}`,
      dataSourceId: bi.dataSourceInfo.resourceID,
      vaultName: bi.vault.name,
      backupInstanceFriendlyName: bi.friendlyName ?? bi.name,
      policyName: bi.policyName,
      sourceResourceGroup: source?.resourceGroup ?? "",
      dataSourceName: bi.dataSourceInfo.resourceName ?? source?.resources.at(-1)?.name ?? "",
      progressEnabled: false,
      sourceSubscriptionID: source?.subscriptionId ?? bi.vault.subscriptionId,
      dataSourceLocation: bi.dataSourceInfo.resourceLocation || bi.vault.location,
      dataSourceType: bi.datasourceType,
      operationCategory: "Restore",
      operation: "Restore",
      isUserTriggered: true,
      supportedActions: [""],
      ...kindOf(bi.datasourceType)?.jobFields?.(bi, request),
    },
  };
  if (rehydrating) job.durationText = formatDuration(durationMs);
  store.addJob(job);
  return job;
}

/** What the instance's kind finds to warn about in the world for this restore (an AKS target cluster of another version...). */
function kindWarningsOf(state: EngineState, restore: AcceptedRestore): JobWarning[] {
  const { instance, request, nowMs } = restore;
  const target = request.restoreTargetInfo;
  if (target.objectType === "RestoreFilesTargetInfo") return [];
  return kindOf(instance.datasourceType)?.jobWarnings?.({ world: state.world, instance, request, target, nowMs, restored: () => restoredTargets(state, nowMs) }) ?? [];
}

/** The world's warnings of a job it makes end CompletedWithWarnings; none but the kind's when the kind found some. */
function worldWarnings(bi: BackupInstance, kindWarnings: JobWarning[]): JobWarning[] {
  const listed = bi.restoreJob?.warnings ?? (kindWarnings.length > 0 ? [] : ["The restore completed with warnings."]);
  return listed.map(warningOf);
}

/** A world's warning; a message alone gets the emulator's own code (no source names a generic one). */
function warningOf(w: string | JobWarning): JobWarning {
  return typeof w === "string" ? { code: "UserErrorRestoreCompletedWithWarnings", message: w } : w;
}

/** `2021-07-08T00:00:00.0000000Z` → `2021-07-08T00:00:00Z`, as the job reports the requested time. */
function normalizeTime(text: string): string {
  return text.replace(/\.0+Z$/, "Z");
}
