import type { BackupInstanceFacts } from "../plan";
import type { BackupInstanceAddress } from "../plan/backup-instance";
import type { RestoreSpec } from "../spec/model";
import type { DataProtectionClient } from "./client/client";
import { isDataProtectionError } from "./client/errors";

/**
 * What the plan needs from the API for one spec: the backup instance, and the recovery points the spec
 * names (one GET for an ID; the listing, up to `latestBefore`, for `latest`/`latestBefore`).
 */
export async function fetchFacts(api: DataProtectionClient, spec: RestoreSpec, address: BackupInstanceAddress): Promise<BackupInstanceFacts> {
  const instance = await api.getBackupInstance(address);
  const ref = spec.kind === "RawRestore" ? undefined : spec.spec.recoveryPoint;
  if (ref === undefined) return { instance };
  if (typeof ref === "string" && ref !== "latest") {
    try {
      return { instance, recoveryPoints: [await api.getRecoveryPoint(address, ref)] };
    } catch (error) {
      if (isDataProtectionError(error) && error.statusCode === 404) return { instance, recoveryPoints: [] };
      throw error;
    }
  }
  const endDate = typeof ref === "object" ? ref.latestBefore : undefined;
  return { instance, recoveryPoints: await api.listRecoveryPoints(address, endDate ? { endDate } : {}) };
}
