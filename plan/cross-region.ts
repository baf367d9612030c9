import type { AzureBackupRestoreRequest, CrossRegionRestoreRequestObject } from "../api/types";
import { earliestVersion, supportsIdentityDetails, type ApiVersion } from "../api/versions";
import { fieldError, type FieldProblem } from "../errors/field";
import type { RestoreTarget } from "../kinds";
import type { BackupInstanceAddress } from "../language/backup-instance";
import { crossRegionLocationPath, secondaryRegionRoute } from "../language/regions";
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
  const regions = secondaryRegionRoute(spec, sourceRegion, apiVersion);
  if (!regions.value) return { problems: regions.problems };
  const { targetRegion } = regions.value;
  // "Cross Regional Restore (CRR) with Cross Subscription Restore (CSR) is currently not supported." (quick-cross-region-restore.md)
  const targetSubscription = subscriptionOf(target.id);
  if (targetSubscription && targetSubscription !== instance.subscriptionId.toLowerCase()) {
    return { problems: [fieldError(["spec", "target"], "PlanCrossRegionCrossSubscription", `a cross-region restore cannot write to another subscription (${targetSubscription}) than the vault's: Azure Backup does not support cross-region with cross-subscription restore`, "restore into the vault's subscription")] };
  }
  const details = { sourceBackupInstanceId: instance.id, sourceRegion: regions.value.sourceRegion };
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

/**
 * A recovery point the secondary region's listing lacks: the primary may well have it, not yet replicated
 * ("it can take up to 12 hours for the recovery point in the primary region to get replicated to the
 * secondary region", tutorial-cross-region-restore.md @01dd3ac). Other problems pass unchanged.
 */
export function notYetReplicated(problem: FieldProblem, ref: unknown, targetRegion: string): FieldProblem {
  if (problem.code !== "PlanRecoveryPointNotFound") return problem;
  const which = typeof ref === "string" && ref !== "latest" ? `recovery point ${ref} is not` : "no recovery point that fits is";
  return fieldError(
    problem.path,
    "PlanRecoveryPointNotInSecondaryRegion",
    `${which} in the secondary region ${targetRegion}: a recovery point reaches it up to 12 hours after it is taken, so a recent one may be in the vault's region only`,
    "use latest (the newest point the secondary region has), pick an ID it lists, or restore in the vault's region",
  );
}
