import type { AzureBackupRestoreRequest } from "../../api/types";
import { checkCrossRegionCall, checkCrossRegionRestore, isReplicated } from "../cross-region-rules";
import { armErrors } from "../errors";
import { dpErrors } from "../service-errors";
import { normalizeLocation, parseArmId } from "../ids";
import { recoveryPointResource, rehydrationOf } from "../views";
import type { BackupInstance, Vault } from "../world/model";
import type { World } from "../world/world";
import { crossRegionJobReply, crossRegionJobsReply } from "./jobs";
import { recoveryPointFilter } from "./recovery-points";
import { restoreOperation } from "./restores";
import { checkScope, fail, type Handler } from "./shared";

/**
 * Cross-region restore (2023-11-01+): the location-scoped routes of the vault's secondary region
 * (emulator/cross-region-rules.ts). Each names its source vault or instance in the body, and the vault's
 * own region as `sourceRegion`. The restore calls report a broken rule as their operation's Failed status,
 * as validateRestore and restore do; the fetch calls answer it at once. The path's resource group is not
 * held to the vault's: the definitions' FetchSecondaryRPs example names another.
 */

interface CrossRegionRestoreRequestObject {
  restoreRequestObject: AzureBackupRestoreRequest;
  crossRegionRestoreDetails: { sourceRegion: string; sourceBackupInstanceId: string };
}

function sourceVault(world: World, vaultArmId: string): Vault {
  const parsed = parseArmId(vaultArmId);
  const vault = world.vaultById(vaultArmId);
  if (!parsed || !vault) throw armErrors.vaultNotFound(parsed?.resources[0]?.name ?? vaultArmId, parsed?.resourceGroup ?? "");
  return vault;
}

function sourceInstance(world: World, instanceArmId: string): BackupInstance {
  const bi = world.backupInstanceById(instanceArmId);
  if (bi) return bi;
  const parsed = parseArmId(instanceArmId);
  if (parsed?.resources[0]) sourceVault(world, instanceArmId.replace(/\/backupInstances\/[^/]+\/?$/i, ""));
  return fail(dpErrors.backupInstanceNotFound(parsed?.resources[0]?.name ?? "", parsed?.resources[1]?.name ?? instanceArmId));
}

function crossRegionRestoreOperation(kind: "crossRegionRestore" | "validateCrossRegionRestore"): Handler {
  return (state, req) => {
    checkScope(state.world, req.params);
    const body = req.body as CrossRegionRestoreRequestObject;
    const details = body.crossRegionRestoreDetails;
    const bi = sourceInstance(state.world, details.sourceBackupInstanceId);
    const request = body.restoreRequestObject;
    const check = checkCrossRegionCall(bi.vault, details.sourceRegion, req.params.location) ?? checkCrossRegionRestore(state.world, bi, request, req.nowMs);
    return restoreOperation(state, req, kind, bi, request, check);
  };
}

export const crossRegionRestore = crossRegionRestoreOperation("crossRegionRestore");

export const validateCrossRegionRestore = crossRegionRestoreOperation("validateCrossRegionRestore");

/**
 * The instance's recovery points the secondary region holds (taken at least the replication lag ago),
 * newest first, `$filter` as the instance's own list reads it, in one page: the service returned the
 * recording's 13 points in one page with no nextLink (cross_region_restore #1), and a nextLink of this POST
 * would have to be followed with GET, which the definitions do not define.
 */
export const fetchSecondaryRecoveryPoints: Handler = (state, req) => {
  checkScope(state.world, req.params);
  const body = req.body as { sourceRegion?: string; sourceBackupInstanceId?: string };
  const bi = sourceInstance(state.world, body.sourceBackupInstanceId ?? "");
  const check = checkCrossRegionCall(bi.vault, body.sourceRegion ?? "", req.params.location);
  if (check) fail(check);
  const filter = recoveryPointFilter(req.query.get("$filter"));
  const points = bi.points.filter((rp) => isReplicated(state.world, rp.timeMs, req.nowMs) && filter(rp)).sort((a, b) => b.timeMs - a.timeMs);
  return { status: 200, body: { value: points.map((rp) => recoveryPointResource(bi, rp, req.version, rehydrationOf(state.store, bi, rp.id, req.nowMs))) } };
};

export const fetchCrossRegionRestoreJob: Handler = (state, req) => {
  checkScope(state.world, req.params);
  const body = req.body as { sourceRegion: string; sourceBackupVaultId: string; jobId: string };
  const vault = sourceVault(state.world, body.sourceBackupVaultId);
  const check = checkCrossRegionCall(vault, body.sourceRegion, req.params.location);
  if (check) fail(check);
  return crossRegionJobReply(state, req, vault, normalizeLocation(req.params.location), body.jobId);
};

export const fetchCrossRegionRestoreJobs: Handler = (state, req) => {
  checkScope(state.world, req.params);
  const body = req.body as { sourceRegion: string; sourceBackupVaultId: string };
  const vault = sourceVault(state.world, body.sourceBackupVaultId);
  const check = checkCrossRegionCall(vault, body.sourceRegion, req.params.location);
  if (check) fail(check);
  return crossRegionJobsReply(state, req, vault, normalizeLocation(req.params.location));
};
