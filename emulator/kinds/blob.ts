import { dpErrors } from "../service-errors";
import { parseArmId, sameArmId, sameName } from "../ids";
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

  concurrency: {
    key: (target) => (isStorageAccount(target) ? target.id : undefined),
    refusal: (account, runningJob) => dpErrors.restoreInProgress(account, runningJob),
  },
};
