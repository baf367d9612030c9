import type { AzureBackupRecoveryPointResource, BackupInstanceResource } from "../api/types";
import type { DataProtectionClient } from "../client/client";
import { isDataProtectionError } from "../client/errors";
import { kindOf, type BackupInstanceFacts, type RestoreSpec } from "../kinds";
import type { BackupInstanceAddress } from "../language/backup-instance";

export { factsFromFiles } from "./files";

/** The reads the facts need; the provider's session and the CLI pass their client. */
export type FactsApi = Pick<DataProtectionClient, "getBackupInstance" | "getRecoveryPoint" | "listRecoveryPoints">;

/**
 * What the plan needs from the API for one spec: the backup instance, and the recovery points its kind
 * names (one GET for an ID; the listing, up to `latestBefore`, for `latest`/`latestBefore`).
 */
export async function fetchFacts(api: FactsApi, spec: RestoreSpec, address: BackupInstanceAddress): Promise<BackupInstanceFacts> {
  const instance: BackupInstanceResource = await api.getBackupInstance(address);
  const ref = kindOf(spec).recoveryPoint(spec)?.ref;
  if (ref === undefined) return { instance };
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
