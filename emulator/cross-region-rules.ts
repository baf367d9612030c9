import type { AzureBackupRestoreRequest } from "../api/types";
import type { DpError } from "./errors";
import { parseDateTime, parseDuration } from "./format";
import { normalizeLocation, parseArmId, parseContainerUrl, sameName } from "./ids";
import { secondaryRegionOf } from "./regions";
import { dpErrors } from "./service-errors";
import type { BackupInstance, Vault } from "./world/model";
import type { World } from "./world/world";

/**
 * Cross-region restore's own rules, as pure functions. The five cross-region calls are location-scoped at
 * the vault's secondary region (the `{location}` of their path; recording cross_region_restore: a vault in
 * eastus2euap, called at centraluseuap) and name the vault's own region as `sourceRegion`. A restore
 * through them writes to the secondary region ("restore data in a secondary Azure paired region",
 * tutorial-cross-region-restore.md), within the vault's subscription ("Cross Regional Restore (CRR) with
 * Cross Subscription Restore (CSR) is currently not supported", quick-cross-region-restore.md @37cce30),
 * from a recovery point the secondary region holds: one taken at least `settings.crossRegionReplicationLag`
 * ago ("it can take up to 12 hours for the recovery point in the primary region to get replicated to the
 * secondary region", tutorial-cross-region-restore.md @01dd3ac). No source gives the service's codes for
 * these refusals: they are the emulator's own (emulator/service-errors.ts).
 */

/** What every cross-region call checks first: cross-region restore on, the vault's region as the source, the secondary region as the path's. */
export function checkCrossRegionCall(vault: Vault, sourceRegion: string, location: string): DpError | undefined {
  if (!vault.crossRegionRestore) return dpErrors.crossRegionRestoreNotEnabled(vault.name);
  if (normalizeLocation(sourceRegion) !== normalizeLocation(vault.location)) return dpErrors.invalidSourceRegion(sourceRegion, vault.location);
  const secondary = secondaryRegionOf(vault);
  if (normalizeLocation(location) !== secondary) return dpErrors.invalidSecondaryRegion(location, vault.name, secondary);
  return undefined;
}

/** Whether a recovery point taken at `timeMs` is in the secondary region at `nowMs`. */
export function isReplicated(world: World, timeMs: number, nowMs: number): boolean {
  return timeMs <= nowMs - (parseDuration(world.settings.crossRegionReplicationLag) ?? 0);
}

/** The ARM resource a restore writes to: the datasource its target names, or the storage account of a restore as files. */
function targetResourceId(world: World, request: AzureBackupRestoreRequest): string | undefined {
  const target = request.restoreTargetInfo;
  if (target.objectType !== "RestoreFilesTargetInfo") return target.datasourceInfo.resourceID;
  const container = parseContainerUrl(target.targetDetails.url);
  return target.targetDetails.targetResourceArmId ?? (container ? world.storageAccountByName(container.account)?.id : undefined);
}

/** The region of a resource the world lists, or of the nearest parent it lists (a PostgreSQL database's server). */
function locationOf(world: World, id: string): string | undefined {
  for (let at = id.replace(/\/+$/, ""); parseArmId(at)?.resources.length; at = at.split("/").slice(0, -2).join("/")) {
    const location = world.postgresqlServer(at)?.location ?? world.storageAccountById(at)?.location ?? world.resource(at)?.location;
    if (location) return location;
  }
  return undefined;
}

/**
 * A cross-region restore's own rules, after the call's (`checkCrossRegionCall`) and before every other:
 * a target in the vault's subscription and in the secondary region (its `restoreLocation`, and the region
 * the world gives the target), from a recovery point (or point in time) the secondary region holds.
 */
export function checkCrossRegionRestore(world: World, bi: BackupInstance, request: AzureBackupRestoreRequest, nowMs: number): DpError | undefined {
  const vault = bi.vault;
  const secondary = secondaryRegionOf(vault) ?? "";
  const targetId = targetResourceId(world, request);
  const targetSubscription = targetId ? parseArmId(targetId)?.subscriptionId : undefined;
  if (targetSubscription && !sameName(targetSubscription, vault.subscriptionId)) return dpErrors.crossRegionCrossSubscriptionNotSupported(targetSubscription, vault.subscriptionId);
  for (const region of [request.restoreTargetInfo.restoreLocation, targetId ? locationOf(world, targetId) : undefined]) {
    if (region && normalizeLocation(region) !== secondary) return dpErrors.invalidSecondaryRegion(region, vault.name, secondary);
  }
  if (request.objectType === "AzureBackupRecoveryTimeBasedRestoreRequest") {
    const ms = parseDateTime(request.recoveryPointTime);
    return ms !== undefined && !isReplicated(world, ms, nowMs) ? dpErrors.recoveryPointNotInSecondaryRegion(request.recoveryPointTime, secondary) : undefined;
  }
  const rp = bi.points.find((p) => sameName(p.id, request.recoveryPointId));
  return rp && !isReplicated(world, rp.timeMs, nowMs) ? dpErrors.recoveryPointNotInSecondaryRegion(rp.id, secondary) : undefined;
}
