import { dpErrors } from "../service-errors";
import { parseArmId, sameArmId, sameName } from "../ids";
import { accessErrors, targetResource } from "./access-needs";
import type { RestoreKind, RestoreTarget } from "./kind";

/**
 * Azure Blobs (operational and vaulted backup of a storage account's blobs). A restore writes the
 * storage account; one restore at a time runs on an account.
 */

export interface StorageAccountTarget {
  kind: "storageAccount";
  id: string;
}

function isStorageAccount(target: RestoreTarget): target is StorageAccountTarget {
  return target.kind === "storageAccount";
}

function accountName(id: string): string {
  return parseArmId(id)?.resources.at(-1)?.name ?? id;
}

export const blob: RestoreKind<StorageAccountTarget> = {
  name: "blob",
  datasourceTypes: ["microsoft.storage/storageaccounts/blobservices"],

  targetOf(_instance, target) {
    const id = target.datasourceInfo.resourceID;
    return { target: { kind: "storageAccount", id }, recoveryDestination: id };
  },

  rules({ world, instance, request, target }) {
    const targetId = target.datasourceInfo.resourceID;
    if (sameName(request.sourceDataStoreType, "OperationalStore") && !sameArmId(targetId, instance.dataSourceInfo.resourceID)) {
      return dpErrors.operationalRestoreToAnotherAccount(accountName(targetId));
    }
    if (!world.storageAccountById(targetId)) return dpErrors.targetStorageAccountNotFound(accountName(targetId));
    return undefined;
  },

  // Storage Account Backup Contributor on the account restored into (learn.microsoft.com/azure/backup/blob-restore):
  // restoreBlobRanges for an operational restore, object replication for a vaulted one (both in the role's actions).
  access(ctx) {
    const id = targetResource(ctx);
    if (!id) return [];
    const action = sameName(ctx.request.sourceDataStoreType, "OperationalStore") ? "Microsoft.Storage/storageAccounts/restoreBlobRanges/action" : "Microsoft.Storage/storageAccounts/objectReplicationPolicies/write";
    return [{ who: "vault", scope: id, permission: { action }, refusal: accessErrors.missingRequiredPermissions }];
  },

  // A vaulted restore's job names the account as its datasource set; an operational one's none (recordings
  // backup_instance_restore_blob_recovery_point #7 and backup_instance_restore_blob_point_in_time #11).
  jobFields(instance, request) {
    return sameName(request.sourceDataStoreType, "VaultStore") ? { dataSourceSetName: instance.dataSourceInfo.resourceName ?? accountName(instance.dataSourceInfo.resourceID) } : {};
  },

  concurrency: {
    key: (target) => (isStorageAccount(target) ? target.id : undefined),
    refusal: (account, runningJob) => dpErrors.restoreInProgress(account, runningJob),
  },
};
