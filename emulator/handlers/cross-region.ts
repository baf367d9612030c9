import type { AzureBackupRestoreRequest } from "../../api/types";
import { armErrors, type DpError } from "../errors";
import { dpErrors } from "../service-errors";
import { normalizeLocation, parseArmId } from "../ids";
import type { Vault } from "../world/model";
import type { World } from "../world/world";
import { jobReply, jobsReply } from "./jobs";
import { recoveryPointsReply } from "./recovery-points";
import { restoreOperation } from "./restores";
import { checkScope, fail, type Handler } from "./shared";

/**
 * Cross-region restore (2024-04-01+): the location-scoped routes of the secondary region. Each names
 * its source vault or instance in the body; the vault must have cross-region restore on and the body's
 * source region must be the vault's.
 */

interface CrossRegionRestoreRequestObject {
  restoreRequestObject: AzureBackupRestoreRequest;
  crossRegionRestoreDetails: { sourceRegion: string; sourceBackupInstanceId: string };
}

/** The source vault of a cross-region call, and the rule it breaks, if any. */
function sourceVault(world: World, vaultArmId: string, sourceRegion: string): { vault: Vault; check?: DpError } {
  const parsed = parseArmId(vaultArmId);
  const vault = world.vaultById(vaultArmId.replace(/\/backupInstances\/[^/]+\/?$/i, ""));
  if (!parsed || !vault) throw armErrors.vaultNotFound(parsed?.resources[0]?.name ?? vaultArmId, parsed?.resourceGroup ?? "");
  if (!vault.crossRegionRestore) return { vault, check: dpErrors.crossRegionRestoreNotEnabled(vault.name) };
  if (normalizeLocation(sourceRegion) !== normalizeLocation(vault.location)) return { vault, check: dpErrors.invalidSourceRegion(sourceRegion, vault.location) };
  return { vault };
}

function crossRegionRestoreOperation(kind: "crossRegionRestore" | "validateCrossRegionRestore"): Handler {
  return (state, req) => {
    checkScope(state.world, req.params);
    const body = req.body as CrossRegionRestoreRequestObject;
    const details = body.crossRegionRestoreDetails;
    const bi = state.world.backupInstanceById(details.sourceBackupInstanceId);
    if (!bi) {
      const parsed = parseArmId(details.sourceBackupInstanceId);
      fail(dpErrors.backupInstanceNotFound(parsed?.resources[0]?.name ?? "", parsed?.resources[1]?.name ?? details.sourceBackupInstanceId));
    }
    const { check } = sourceVault(state.world, bi.vault.id, details.sourceRegion);
    return restoreOperation(state, req, kind, bi, body.restoreRequestObject, check);
  };
}

export const crossRegionRestore = crossRegionRestoreOperation("crossRegionRestore");

export const validateCrossRegionRestore = crossRegionRestoreOperation("validateCrossRegionRestore");

export const fetchSecondaryRecoveryPoints: Handler = (state, req) => {
  checkScope(state.world, req.params);
  const body = req.body as { sourceRegion: string; sourceBackupInstanceId: string };
  const bi = state.world.backupInstanceById(body.sourceBackupInstanceId);
  if (!bi) fail(dpErrors.backupInstanceNotFound("", body.sourceBackupInstanceId));
  const { check } = sourceVault(state.world, bi.vault.id, body.sourceRegion);
  if (check) fail(check);
  return recoveryPointsReply(state, req, bi);
};

export const fetchCrossRegionRestoreJob: Handler = (state, req) => {
  checkScope(state.world, req.params);
  const body = req.body as { sourceRegion: string; sourceBackupVaultId: string; jobId: string };
  const { vault, check } = sourceVault(state.world, body.sourceBackupVaultId, body.sourceRegion);
  if (check) fail(check);
  return jobReply(state, req, vault, body.jobId);
};

export const fetchCrossRegionRestoreJobs: Handler = (state, req) => {
  checkScope(state.world, req.params);
  const body = req.body as { sourceRegion: string; sourceBackupVaultId: string };
  const { vault, check } = sourceVault(state.world, body.sourceBackupVaultId, body.sourceRegion);
  if (check) fail(check);
  return jobsReply(state, req, vault);
};
