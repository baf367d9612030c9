import type { AzureBackupRecoveryPointResource, BackupInstanceResource } from "../api/types";
import type { DataProtectionClient } from "../client/client";
import { isDataProtectionError } from "../client/errors";
import { kindOf, type BackupInstanceFacts, type RestoreSpec } from "../kinds";
import type { BackupInstanceAddress } from "../language/backup-instance";
import type { RecoveryPointRef } from "../language/model";
import { crossRegionLocationPath, crossRegionTarget, normalizeRegion } from "../language/regions";

export { factsFromFiles } from "./files";

/** The reads the facts need; the provider's session and the CLI pass their client. */
export type FactsApi = Pick<DataProtectionClient, "getBackupInstance" | "getRecoveryPoint" | "listRecoveryPoints" | "fetchSecondaryRecoveryPoints">;

/**
 * What the plan needs from the API for one spec: the backup instance, and the recovery points its kind
 * names (one GET for an ID; the listing, up to `latestBefore`, for `latest`/`latestBefore`).
 */
export async function fetchFacts(api: FactsApi, spec: RestoreSpec, address: BackupInstanceAddress): Promise<BackupInstanceFacts> {
  const instance: BackupInstanceResource = await api.getBackupInstance(address);
  const ref = kindOf(spec).recoveryPoint(spec)?.ref;
  if (ref === undefined) return { instance };
  if (spec.spec.fromSecondaryRegion) return { instance, recoveryPoints: await secondaryRecoveryPoints(api, spec, address, instance, ref) };
  if (typeof ref === "string" && ref !== "latest") {
    try {
      return { instance, recoveryPoints: [await api.getRecoveryPoint(address, ref)] };
    } catch (error) {
      if (isDataProtectionError(error) && error.statusCode === 404) return { instance, recoveryPoints: [] as AzureBackupRecoveryPointResource[] };
      throw error;
    }
  }
  const endDate = typeof ref === "object" ? ref.latestBefore : undefined;
  return { instance, recoveryPoints: await api.listRecoveryPoints(address, endDate ? { endDate } : {}) };
}

/**
 * The recovery points of a restore from the secondary region, as that region has them (replication
 * lags the primary): `fetchSecondaryRecoveryPoints` has no GET of one point, so an ID is looked up in
 * the list. No region to ask (no pair and no restoreLocation): none, and the planner says why.
 */
async function secondaryRecoveryPoints(api: FactsApi, spec: RestoreSpec, address: BackupInstanceAddress, instance: BackupInstanceResource, ref: RecoveryPointRef): Promise<AzureBackupRecoveryPointResource[]> {
  const sourceRegion = instance.properties?.dataSourceInfo?.resourceLocation;
  const target = crossRegionTarget(spec.spec, sourceRegion);
  if (!sourceRegion || !target) return [];
  const region = { locationPath: crossRegionLocationPath(address, target), sourceRegion: normalizeRegion(sourceRegion) };
  const endDate = typeof ref === "object" ? ref.latestBefore : undefined;
  const points = await api.fetchSecondaryRecoveryPoints(region, address.id, endDate ? { endDate } : {});
  return typeof ref === "string" && ref !== "latest" ? points.filter((p) => (p.name ?? p.properties?.recoveryPointId ?? "").toLowerCase() === ref.toLowerCase()) : points;
}
