import type { AzureBackupJobResource, AzureBackupRestoreRequest, ValidateRestoreRequestObject } from "../api/types";
import { vaultPath, type BackupInstanceAddress, type DataProtectionClient, type SecondaryRegion, type VaultAddress } from "../client/client";
import type { LroOptions, LroOutcome } from "../client/lro";
import type { CrossRegionPlan } from "../plan";

/** The calls of one restore's life after its plan: validate, trigger, its job, the vault's jobs. */
export type RestoreCalls = Pick<DataProtectionClient, "validateRestore" | "triggerRestore" | "getJob" | "listJobs">;

export type CrossRegionApi = Pick<DataProtectionClient, "validateCrossRegionRestore" | "crossRegionRestore" | "fetchCrossRegionRestoreJob" | "fetchCrossRegionRestoreJobs">;

/** Where a cross-region restore's calls go, as its record keeps it (the secondary region's path and the source). */
export interface CrossRegionRoute extends SecondaryRegion {
  targetRegion: string;
  /** ARM ID of the vault restored from: the cross-region job calls name it. */
  vaultId: string;
}

export function routeOf(plan: CrossRegionPlan, vault: VaultAddress): CrossRegionRoute {
  return { locationPath: plan.locationPath, sourceRegion: plan.sourceRegion, targetRegion: plan.targetRegion, vaultId: vaultPath(vault) };
}

const jobName = (jobId: string): string => jobId.replace(/\/+$/, "").split("/").pop() ?? jobId;

/**
 * The restore's calls: the backup instance's own, or for a restore from the secondary region those of
 * its location (validateCrossRegionRestore, crossRegionRestore, fetchCrossRegionRestoreJob(s)), with the
 * bodies the plan made. The same signatures either way, so validation, the trigger, adoption and the job
 * follower do not tell them apart.
 */
export function restoreCalls(api: RestoreCalls & Partial<CrossRegionApi>, route: CrossRegionRoute | undefined, plan?: CrossRegionPlan): RestoreCalls {
  if (!route) return api;
  const crr = api as RestoreCalls & CrossRegionApi;
  const needPlan = (): CrossRegionPlan => {
    if (!plan) throw new Error("a cross-region restore is validated and triggered from its plan");
    return plan;
  };
  return {
    validateRestore: (_bi: BackupInstanceAddress, _body: ValidateRestoreRequestObject, options?: LroOptions): Promise<LroOutcome> => crr.validateCrossRegionRestore(route, needPlan().validateBody, options),
    triggerRestore: (_bi: BackupInstanceAddress, _body: AzureBackupRestoreRequest, options?: LroOptions): Promise<LroOutcome> => crr.crossRegionRestore(route, needPlan().restoreBody, options),
    getJob: (job: string | { vault: VaultAddress; name: string }): Promise<AzureBackupJobResource> =>
      crr.fetchCrossRegionRestoreJob(route, route.vaultId, typeof job === "string" ? jobName(job) : job.name),
    listJobs: (): Promise<AzureBackupJobResource[]> => crr.fetchCrossRegionRestoreJobs(route, route.vaultId),
  };
}
