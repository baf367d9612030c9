import { fieldError } from "../errors/field";
import { failed, ok, type Result } from "../errors/result";
import type { BackupInstanceRef } from "./model";
import { BACKUP_INSTANCE_ID } from "./patterns";

/** A backup instance named in full: what every REST path of the restore flow is built from. */
export interface BackupInstanceAddress {
  subscriptionId: string;
  resourceGroup: string;
  vault: string;
  name: string;
  /** `/subscriptions/…/backupInstances/<name>` in ARM's canonical casing. */
  id: string;
  /** `/subscriptions/…/backupVaults/<vault>` */
  vaultId: string;
}

const BACKUP_INSTANCE = new RegExp(BACKUP_INSTANCE_ID);

export function backupInstanceAddress(subscriptionId: string, resourceGroup: string, vault: string, name: string): BackupInstanceAddress {
  const vaultId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.DataProtection/backupVaults/${vault}`;
  return { subscriptionId, resourceGroup, vault, name, vaultId, id: `${vaultId}/backupInstances/${name}` };
}

/** The full address of a spec's backup instance; the default subscription fills in a missing one. */
export function resolveBackupInstance(ref: BackupInstanceRef, defaultSubscriptionId?: string): Result<BackupInstanceAddress> {
  if (typeof ref === "string") {
    const m = BACKUP_INSTANCE.exec(ref);
    if (!m) return failed(fieldError(["spec", "backupInstance"], "SpecInvalidValue", "is not the ARM ID of a backup instance", "see the schema"));
    return ok(backupInstanceAddress(m[1], m[2], m[3], m[4]));
  }
  const subscriptionId = ref.subscriptionId ?? defaultSubscriptionId;
  if (!subscriptionId) {
    return failed(
      fieldError(
        ["spec", "backupInstance", "subscriptionId"],
        "SpecSubscriptionUnknown",
        "no subscriptionId here and no default subscription is configured",
        "add subscriptionId, or set AZURE_SUBSCRIPTION_ID (CLI: --subscription; Pulumi: azure-restores:subscriptionId)",
      ),
    );
  }
  return ok(backupInstanceAddress(subscriptionId, ref.resourceGroup, ref.vault, ref.name));
}
