import type { AzureBackupRecoveryPointResource, BackupInstanceResource } from "../api/types";
import type { DataProtectionClient } from "../client/client";
import { isDataProtectionError } from "../client/errors";
import { kindOf, type BackupInstanceFacts, type RestoreSpec } from "../kinds";
import type { BackupInstanceAddress } from "../language/backup-instance";
import type { RecoveryPointRef } from "../language/model";
import { crossRegionLocationPath, secondaryRegionRoute } from "../language/regions";
import { DEFAULT_API_VERSION, type ApiVersion } from "../api/versions";

export { factsFromFiles } from "./files";

/** The reads the facts need; the provider's session and the CLI pass their client. */
export type FactsApi = Pick<DataProtectionClient, "getBackupInstance" | "getRecoveryPoint" | "listRecoveryPoints" | "fetchSecondaryRecoveryPoints">;

/**
 * What the plan needs from the API for one spec: the backup instance, and the recovery points its kind
 * names (one GET for an ID; the listing, up to `latestBefore`, for `latest`/`latestBefore`).
 */
export async function fetchFacts(api: FactsApi, spec: RestoreSpec, address: BackupInstanceAddress, apiVersion: ApiVersion = DEFAULT_API_VERSION): Promise<BackupInstanceFacts> {
  const instance: BackupInstanceResource = await api.getBackupInstance(address);
  const ref = kindOf(spec).recoveryPoint(spec)?.ref;
  if (ref === undefined) return { instance };
  if (spec.spec.fromSecondaryRegion) return { instance, recoveryPoints: await secondaryRecoveryPoints(api, spec, address, instance, ref, apiVersion) };
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
 * the list. No region to ask (an api-version without the calls, no pair, the vault's own region): none,
 * and the planner says why.
 */
async function secondaryRecoveryPoints(
  api: FactsApi,
  spec: RestoreSpec,
  address: BackupInstanceAddress,
  instance: BackupInstanceResource,
  ref: RecoveryPointRef,
  apiVersion: ApiVersion,
): Promise<AzureBackupRecoveryPointResource[]> {
  const route = secondaryRegionRoute(spec.spec, instance.properties?.dataSourceInfo?.resourceLocation, apiVersion).value;
  if (!route) return [];
  const region = { locationPath: crossRegionLocationPath(address, route.targetRegion), sourceRegion: route.sourceRegion };
  const endDate = typeof ref === "object" ? ref.latestBefore : undefined;
  const points = await api.fetchSecondaryRecoveryPoints(region, address.id, endDate ? { endDate } : {});
  return typeof ref === "string" && ref !== "latest" ? points.filter((p) => (p.name ?? p.properties?.recoveryPointId ?? "").toLowerCase() === ref.toLowerCase()) : points;
}
