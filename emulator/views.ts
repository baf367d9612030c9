import type {
  AzureBackupJob,
  AzureBackupJobResource,
  AzureBackupRecoveryPointResource,
  BackupInstanceResource,
  JobExtendedInfo,
  JobSubTask,
  OperationJobExtendedInfo,
  OperationResource,
  RecoveryPointDataStoreDetails,
  UserFacingWarningDetail,
} from "../api/types";
import { withoutNulls } from "../api/schema";
import type { ApiVersion } from "../api/versions";
import { userFacingError } from "./errors";
import { formatDateTime, formatDateTimeSeconds, UNSET_DATE_TIME } from "./format";
import { sameName, vaultId } from "./ids";
import { RUNNING_STATUS, styleOf } from "./service-style";
import { definesProperty } from "./shape";
import type { JobRecord, OperationRecord, Store } from "./store";
import type { BackupInstance, RecoveryPoint } from "./world/model";

/**
 * Resources as the service returns them, built from the world and the store at a virtual time and
 * shaped for the requested api-version (fields a version does not define are left out).
 */

const defines = definesProperty;

export function backupInstanceResource(bi: BackupInstance, version: ApiVersion): BackupInstanceResource {
  return {
    id: bi.id,
    name: bi.name,
    type: "Microsoft.DataProtection/backupVaults/backupInstances",
    ...(bi.tags && defines(version, "BackupInstanceResource", "tags") ? { tags: bi.tags } : {}),
    properties: {
      friendlyName: bi.friendlyName ?? bi.name,
      dataSourceInfo: bi.dataSourceInfo,
      ...(bi.dataSourceSetInfo ? { dataSourceSetInfo: bi.dataSourceSetInfo } : {}),
      policyInfo: {
        policyId: `${bi.vault.id}/backupPolicies/${bi.policyName}`,
        ...(bi.policyVersion ? { policyVersion: bi.policyVersion } : {}),
        ...(bi.policyParameters ? { policyParameters: bi.policyParameters } : {}),
      },
      protectionStatus: { status: bi.protectionStatus ?? "ProtectionConfigured" },
      currentProtectionState: bi.currentProtectionState ?? "ProtectionConfigured",
      provisioningState: bi.provisioningState ?? "Succeeded",
      ...(bi.datasourceAuthCredentials && defines(version, "BackupInstance", "datasourceAuthCredentials") ? { datasourceAuthCredentials: bi.datasourceAuthCredentials } : {}),
      ...(bi.identityDetails && defines(version, "BackupInstance", "identityDetails") ? { identityDetails: bi.identityDetails } : {}),
      objectType: "BackupInstance",
    },
  };
}

/** Rehydration state of an archive-tier point, from rehydrate operations. */
export function rehydrationOf(store: Store, bi: BackupInstance, rpId: string, nowMs: number): { status: "CREATE_IN_PROGRESS" | "COMPLETED"; expiryMs?: number } | undefined {
  let found: { status: "CREATE_IN_PROGRESS" | "COMPLETED"; expiryMs?: number } | undefined;
  for (const op of store.operations.values()) {
    if (op.kind !== "rehydrate" || !op.rehydration || !sameName(op.rehydration.recoveryPointId, rpId)) continue;
    if (!sameName(op.vaultName, bi.vault.name) || !sameName(op.backupInstanceName, bi.name) || op.outcome.status !== "Succeeded") continue;
    if (op.endMs !== null && op.endMs <= nowMs) {
      const expiryMs = op.endMs + op.rehydration.retentionMs;
      if (expiryMs > nowMs) found = { status: "COMPLETED", expiryMs };
    } else if (!found) found = { status: "CREATE_IN_PROGRESS" };
  }
  return found;
}

export function recoveryPointResource(bi: BackupInstance, rp: RecoveryPoint, version: ApiVersion, rehydration?: ReturnType<typeof rehydrationOf>): AzureBackupRecoveryPointResource {
  const details = rp.details.map((d): RecoveryPointDataStoreDetails => {
    if (!rehydration || !sameName(d.type, "ArchiveStore")) return d;
    return { ...d, rehydrationStatus: rehydration.status, rehydrationExpiryTime: rehydration.expiryMs !== undefined ? formatDateTime(rehydration.expiryMs) : null };
  });
  return {
    id: `${bi.id}/recoveryPoints/${rp.id}`,
    name: rp.id,
    type: "Microsoft.DataProtection/backupVaults/backupInstances/recoveryPoints",
    properties: {
      objectType: "AzureBackupDiscreteRecoveryPoint",
      recoveryPointId: rp.id,
      recoveryPointTime: rp.time,
      recoveryPointType: rp.type ?? "Full",
      friendlyName: rp.friendlyName ?? rp.id,
      recoveryPointDataStoresDetails: details,
      retentionTagName: rp.retentionTagName ?? "Default",
      retentionTagVersion: rp.retentionTagVersion ?? "637212748405148394",
      policyName: rp.policyName ?? bi.policyName,
      policyVersion: rp.policyVersion ?? null,
      ...(rp.expiryTime && defines(version, "AzureBackupDiscreteRecoveryPoint", "expiryTime") ? { expiryTime: rp.expiryTime } : {}),
      ...(defines(version, "AzureBackupDiscreteRecoveryPoint", "recoveryPointState") ? { recoveryPointState: rp.recoveryPointState ?? "Completed" } : {}),
    },
  };
}

// ---- jobs ------------------------------------------------------------------------------------------

export interface JobState {
  status: "InProgress" | "Completed" | "Failed" | "CompletedWithWarnings";
  done: boolean;
  endMs: number;
}

export function jobState(job: JobRecord, nowMs: number): JobState {
  const endMs = job.startMs + job.durationMs;
  const done = nowMs >= endMs;
  return { status: done ? job.outcome : "InProgress", done, endMs };
}

export function jobArmId(job: JobRecord): string {
  return `${vaultId(job.subscriptionId, job.resourceGroup, job.vaultName)}/backupJobs/${job.name}`;
}

function etag(ms: number): string {
  return `W/"datetime'${encodeURIComponent(formatDateTime(ms))}'"`;
}

/** A value as the service writes it: the definitions' type, or null where the service says "not set". */
type Recorded<T> = { [K in keyof T]?: T[K] | null };

/** `00:03:39.7214322`, how the job list writes a duration (one job's GET writes ISO 8601). */
export function formatTimeSpan(ms: number): string {
  const total = Math.max(0, ms);
  const days = Math.floor(total / 86_400_000);
  const h = Math.floor((total % 86_400_000) / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const sec = (total % 60_000) / 1000;
  const pad = (n: number) => String(n).padStart(2, "0");
  const [whole, fraction = ""] = sec.toFixed(7).split(".");
  return `${days > 0 ? `${days}.` : ""}${pad(h)}:${pad(m)}:${whole.padStart(2, "0")}.${fraction}`;
}

/**
 * A restore job as the service returns it, field for field as the recorded jobs show them
 * (test/fixtures/recordings: backup_instance_ilr_restore_adls_recovery_point, job_list_and_show):
 * unset fields are null, one job's GET carries extendedInfo and `supportedActions: [""]`, the list
 * carries `extendedInfo: null`, `supportedActions: []` and TimeSpan durations. Fields an api-version
 * does not define are left out; so are unset ones, and the list is like a GET, at the versions whose
 * evidence (the 2021 documents) shows them so (emulator/service-style.ts).
 */
export function jobResource(job: JobRecord, nowMs: number, version: ApiVersion, asked: "get" | "list" = "get"): AzureBackupJobResource {
  const recorded = styleOf(version).nulls;
  const view = recorded ? asked : "get";
  const state = jobState(job, nowMs);
  const taskStatus = state.status === "InProgress" ? "InProgress" : state.status === "Failed" ? "Failed" : "Completed";
  const b = job.base;
  const warnings = (job.warnings ?? []).map(
    (w): UserFacingWarningDetail => ({
      resourceName: w.resourceName ?? b.dataSourceName,
      warning: userFacingError({ status: 200, code: w.code, message: w.message, recommendedAction: w.recommendedAction ?? [], isRetryable: false, isUserError: true }, b.activityID),
    }),
  );
  const extendedInfo: Recorded<JobExtendedInfo> & Record<string, unknown> = {
    backupInstanceState: null,
    dataTransferredInBytes: null,
    targetRecoverPoint: null,
    sourceRecoverPoint: { recoveryPointID: job.sourceRecoverPoint.recoveryPointID ?? null, recoveryPointTime: job.sourceRecoverPoint.recoveryPointTime ?? null } as JobExtendedInfo["sourceRecoverPoint"],
    recoveryDestination: job.recoveryDestination,
    subTasks: [
      {
        taskId: 1,
        taskName: "Trigger Restore",
        taskStatus,
        taskProgress: null,
        additionalDetails: state.done && recorded ? { DataTransferredInBytes: "0", TaskId: b.activityID, DatasourceType: b.dataSourceType } : null,
      } as unknown as JobSubTask,
    ],
    additionalDetails: job.filePrefix ? { "Restore File Prefix": job.filePrefix } : null,
    ...(defines(version, "JobExtendedInfo", "warningDetails") ? { warningDetails: state.status === "CompletedWithWarnings" ? warnings : null } : {}),
    ...(defines(version, "JobExtendedInfo", "isAutohealJob") ? { isAutohealJob: null } : {}),
    ...(defines(version, "JobExtendedInfo", "autohealParentFailedJobId") ? { autohealParentFailedJobId: null } : {}),
  };
  const elapsed = (state.done ? state.endMs : nowMs) - job.startMs;
  const properties: Recorded<AzureBackupJob> & Record<string, unknown> = {
    activityID: b.activityID,
    subscriptionId: b.subscriptionId,
    backupInstanceId: b.backupInstanceId,
    policyId: b.policyId,
    dataSourceId: b.dataSourceId,
    vaultName: b.vaultName,
    backupInstanceFriendlyName: b.backupInstanceFriendlyName,
    policyName: b.policyName,
    sourceResourceGroup: b.sourceResourceGroup,
    ...(b.dataSourceSetName !== undefined ? { dataSourceSetName: b.dataSourceSetName } : {}),
    dataSourceName: b.dataSourceName,
    ...(defines(version, "AzureBackupJob", "sourceDataStoreName") ? { sourceDataStoreName: null } : {}),
    // Not in the definitions, in every recorded job:
    ...(recorded ? { sourceDataStoreType: job.sourceDataStoreType ?? null } : {}),
    ...(defines(version, "AzureBackupJob", "destinationDataStoreName") ? { destinationDataStoreName: null } : {}),
    progressEnabled: b.progressEnabled,
    etag: etag(state.done ? state.endMs : job.startMs),
    sourceSubscriptionID: b.sourceSubscriptionID,
    dataSourceLocation: b.dataSourceLocation,
    startTime: formatDateTime(job.startMs),
    endTime: state.done ? formatDateTime(state.endMs) : null,
    dataSourceType: b.dataSourceType,
    operationCategory: b.operationCategory,
    operation: b.operation,
    status: state.status,
    restoreType: null,
    isUserTriggered: b.isUserTriggered,
    ...(defines(version, "AzureBackupJob", "rehydrationPriority") ? { rehydrationPriority: job.rehydrationPriority ?? null } : {}),
    supportedActions: view === "get" ? b.supportedActions : [],
    // A running job's GET says PT0S (recording backup_instance_restore_disk: four InProgress polls, then PT3M34.2898899S).
    duration: view === "list" ? formatTimeSpan(elapsed) : state.done ? job.durationText : "PT0S",
    progressUrl: null,
    ...(recorded ? { isCrossRegionRestore: job.crossRegionLocation ? true : null } : {}),
    errorDetails: state.status === "Failed" && job.error ? [job.error] : null,
    extendedInfo: view === "get" ? (extendedInfo as JobExtendedInfo) : null,
    ...(defines(version, "AzureBackupJob", "backupType") ? { backupType: null } : {}),
  };
  return { properties: (recorded ? properties : withoutNulls(properties)) as AzureBackupJob, id: jobArmId(job), name: job.name, type: "Microsoft.DataProtection/BackupVaults/backupJobs" };
}

// ---- operations ------------------------------------------------------------------------------------

export function operationDone(op: OperationRecord, nowMs: number): boolean {
  return op.endMs !== null && nowMs >= op.endMs;
}

/** OperationResource at `scopePath` (the path the client polled, without the operation ID). */
export function operationResource(op: OperationRecord, nowMs: number, scopePath: string): OperationResource {
  const done = operationDone(op, nowMs);
  const head = { id: `${scopePath}/operationStatus/${op.id}`, name: op.id };
  const times = { startTime: formatDateTime(op.startMs), endTime: done && op.endMs !== null ? formatDateTimeSeconds(op.endMs) : UNSET_DATE_TIME };
  if (!done) return { ...head, status: RUNNING_STATUS, ...times };
  if (op.outcome.status === "Failed") return { ...head, status: "Failed", error: op.outcome.error, ...times };
  return {
    ...head,
    status: "Succeeded",
    ...times,
    ...(op.outcome.jobId ? { properties: { jobId: op.outcome.jobId, objectType: "OperationJobExtendedInfo" } } : {}),
  };
}

export function operationJobInfo(op: OperationRecord): OperationJobExtendedInfo {
  return op.outcome.status === "Succeeded" && op.outcome.jobId ? { jobId: op.outcome.jobId, objectType: "OperationJobExtendedInfo" } : { objectType: "OperationJobExtendedInfo" };
}
