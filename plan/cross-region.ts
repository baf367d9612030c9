import type { AzureBackupRestoreRequest, CrossRegionRestoreRequestObject } from "../api/types";
import { earliestVersion, supportsCrossRegionRestore, supportsIdentityDetails, type ApiVersion } from "../api/versions";
import { fieldError, type FieldProblem } from "../errors/field";
import type { RestoreTarget } from "../kinds";
import type { BackupInstanceAddress } from "../language/backup-instance";
import { crossRegionLocationPath, crossRegionTarget, normalizeRegion, secondaryRegionOf } from "../language/regions";
import type { CommonSpec } from "../language/model";

/**
 * What `spec.fromSecondaryRegion` and `spec.identity` add to a plan: the cross-region calls and their
 * bodies, as `az dataprotection ... --use-secondary-region` sends them (recording cross_region_restore:
 * `POST /subscriptions/{s}/resourceGroups/{vault's group}/providers/Microsoft.DataProtection/locations/{secondary}/validateCrossRegionRestore`
 * with `{objectType, restoreRequestObject, crossRegionRestoreDetails: {sourceBackupInstanceId, sourceRegion}}`),
 * and `identityDetails`. Pure.
 */
export interface CrossRegionPlan {
  /** The region the backup instance (and its vault) is in. */
  sourceRegion: string;
  /** The secondary region: where the restore runs. */
  targetRegion: string;
  /** `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.DataProtection/locations/{targetRegion}`: the calls' base. */
  locationPath: string;
  validateBody: CrossRegionRestoreRequestObject;
  restoreBody: CrossRegionRestoreRequestObject;
}

const CRR_SINCE = earliestVersion(supportsCrossRegionRestore);
const IDENTITY_SINCE = earliestVersion(supportsIdentityDetails);

/** `identityDetails` for the spec's identity, or what keeps it from being sent at this api-version. */
export function identityDetails(spec: CommonSpec, apiVersion: ApiVersion): { value?: AzureBackupRestoreRequest["identityDetails"]; problems: FieldProblem[] } {
  const identity = spec.identity;
  if (identity === undefined) return { problems: [] };
  if (!supportsIdentityDetails(apiVersion)) {
    if (identity === "system") return { problems: [] };
    return { problems: [fieldError(["spec", "identity"], "PlanApiVersionTooOld", `a restore under a user-assigned identity needs api-version ${IDENTITY_SINCE} or later (this run uses ${apiVersion})`, `set the api-version to ${IDENTITY_SINCE} or later`)] };
  }
  return { value: identity === "system" ? { useSystemAssignedIdentity: true } : { useSystemAssignedIdentity: false, userAssignedIdentityArmUrl: identity }, problems: [] };
}

const subscriptionOf = (id: string): string | undefined => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();

/** The cross-region part of a plan, or the reasons it cannot be made. */
export function crossRegionPlan(
  spec: CommonSpec,
  request: AzureBackupRestoreRequest,
  target: RestoreTarget,
  instance: BackupInstanceAddress,
  sourceRegion: string | undefined,
  apiVersion: ApiVersion,
): { value?: CrossRegionPlan; problems: FieldProblem[] } {
  if (!spec.fromSecondaryRegion) return { problems: [] };
  const at = ["spec", "fromSecondaryRegion"];
  if (!supportsCrossRegionRestore(apiVersion)) {
    return { problems: [fieldError(at, "PlanApiVersionTooOld", `a cross-region restore needs api-version ${CRR_SINCE} or later (this run uses ${apiVersion})`, `set the api-version to ${CRR_SINCE} or later`)] };
  }
  if (!sourceRegion) return { problems: [fieldError(at, "PlanNoSourceRegion", "the backup instance names no region for its datasource", "check the backup instance's dataSourceInfo.resourceLocation")] };
  const targetRegion = crossRegionTarget(spec, sourceRegion) ?? "";
  if (!targetRegion) {
    return { problems: [fieldError(at, "PlanNoSecondaryRegion", `the vault's region ${sourceRegion} has no Azure region pair, so no secondary region to restore from`, "name the secondary region with spec.restoreLocation")] };
  }
  if (targetRegion === normalizeRegion(sourceRegion)) {
    return { problems: [fieldError(["spec", "restoreLocation"], "PlanSecondaryIsPrimary", `${targetRegion} is the vault's own region: a cross-region restore runs in its secondary region (${secondaryRegionOf(sourceRegion) ?? "none known"})`, "remove spec.restoreLocation, or set it to the vault's secondary region")] };
  }
  // "Cross Regional Restore (CRR) with Cross Subscription Restore (CSR) is currently not supported." (quick-cross-region-restore.md)
  const targetSubscription = subscriptionOf(target.id);
  if (targetSubscription && targetSubscription !== instance.subscriptionId.toLowerCase()) {
    return { problems: [fieldError(["spec", "target"], "PlanCrossRegionCrossSubscription", `a cross-region restore cannot write to another subscription (${targetSubscription}) than the vault's: Azure Backup does not support cross-region with cross-subscription restore`, "restore into the vault's subscription")] };
  }
  const details = { sourceBackupInstanceId: instance.id, sourceRegion: normalizeRegion(sourceRegion) };
  return {
    value: {
      sourceRegion: details.sourceRegion,
      targetRegion,
      locationPath: crossRegionLocationPath(instance, targetRegion),
      validateBody: { objectType: "ValidateRestoreRequestObject", restoreRequestObject: request, crossRegionRestoreDetails: details },
      restoreBody: { objectType: request.objectType, restoreRequestObject: request, crossRegionRestoreDetails: details },
    },
    problems: [],
  };
}
