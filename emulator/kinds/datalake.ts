import type { ItemLevelRestoreCriteria, ItemPathBasedRestoreCriteria } from "../../api/types";
import { parseArmId, sameArmId } from "../ids";
import { dpErrors } from "../service-errors";
import type { World } from "../world/world";
import { accessErrors, targetResource } from "./access-needs";
import type { RestoreKind, RestoreTarget } from "./kind";

/**
 * Azure Data Lake Storage Gen2, vaulted backup (`Microsoft.Storage/storageAccounts/adlsBlobServices`): a
 * restore creates containers in another storage account, each under its own name or its `renameTo`; the
 * whole account (no criteria) restores every container of the backed-up account. Sources:
 * - Data Lake troubleshooting (learn.microsoft.com/azure/backup/azure-data-lake-storage-backup-troubleshoot,
 *   MicrosoftDocs/azure-docs @1414c2e): UserErrorTargetContainersExistOnAccount ("The containers that're part
 *   of restore request shouldn't exist on target storage account") and
 *   UserErrorOriginalLocationRestoreNotSupported (the restore document allows alternate locations only);
 * - Blob troubleshooting: UserErrorAzureResourceNotFoundByPlugin for a target account that does not exist
 *   (Data Lake vaulted backup is vaulted blob backup of a hierarchical-namespace account; its page lists no
 *   code of its own for it);
 * - the CLI's live tests (test/fixtures/recordings: backup_instance_ilr_restore_adls_recovery_point,
 *   backup_instance_restore_adls_recovery_point; their raw cassettes in research/recordings/raw) delete the
 *   containers they are about to restore, by the names they restore them as (`renamedcon1`, `renamedcon2`
 *   for `con4`, `con5` renamed; `con1`), and the account lists `renamedcon1`, `renamedcon2` once the job
 *   completed; the job's recoveryDestination is the target account's ID, progressEnabled false.
 * The containers exist from the moment the job starts (unless it fails), as a restore's target does for
 * the other kinds.
 */

export interface DataLakeContainersTarget {
  kind: "dataLakeContainers";
  accountId: string;
  /** The containers created, by the names they get; absent: every container of `sourceAccountId`. */
  containers?: string[];
  sourceAccountId: string;
}

function isDataLakeContainers(target: RestoreTarget): target is DataLakeContainersTarget {
  return target.kind === "dataLakeContainers";
}

function isItemPath(c: ItemLevelRestoreCriteria): c is ItemPathBasedRestoreCriteria {
  return c.objectType === "ItemPathBasedRestoreCriteria";
}

/** The containers a restore to `target` creates (the world's containers of the source account for a whole-account restore). */
function createdContainers(target: DataLakeContainersTarget, world: World): string[] {
  return target.containers ?? world.storageAccountById(target.sourceAccountId)?.containers ?? [];
}

function accountName(id: string): string {
  return parseArmId(id)?.resources.at(-1)?.name ?? id;
}

export const dataLake: RestoreKind<DataLakeContainersTarget> = {
  name: "dataLake",
  datasourceTypes: ["microsoft.storage/storageaccounts/adlsblobservices"],

  targetOf(instance, target) {
    const accountId = target.datasourceInfo.resourceID;
    const containers = target.objectType === "ItemLevelRestoreTargetInfo" ? target.restoreCriteria.filter(isItemPath).map((c) => c.renameTo ?? c.itemPath) : undefined;
    return { target: { kind: "dataLakeContainers", accountId, ...(containers ? { containers } : {}), sourceAccountId: instance.dataSourceInfo.resourceID }, recoveryDestination: accountId };
  },

  rules({ world, instance, target, restored }) {
    const accountId = target.datasourceInfo.resourceID;
    if (sameArmId(accountId, instance.dataSourceInfo.resourceID)) return dpErrors.originalLocationRestoreNotSupported();
    const account = world.storageAccountById(accountId);
    if (!account) return dpErrors.targetStorageAccountNotFound(accountName(accountId));
    const mine = dataLake.targetOf(instance, target)?.target;
    const existing = new Set([
      ...(account.containers ?? []),
      ...restored()
        .filter(isDataLakeContainers)
        .filter((t) => sameArmId(t.accountId, accountId))
        .flatMap((t) => createdContainers(t, world)),
    ].map((c) => c.toLowerCase()));
    const clashes = mine ? createdContainers(mine, world).filter((c) => existing.has(c.toLowerCase())) : [];
    if (clashes.length > 0) return dpErrors.targetContainersExist(accountName(account.id), clashes.map((c) => `'${c}'`).join(", "));
    return undefined;
  },

  // As a vaulted blob restore: Storage Account Backup Contributor on the target account.
  access(ctx) {
    const id = targetResource(ctx);
    return id ? [{ who: "vault", scope: id, permission: { action: "Microsoft.Storage/storageAccounts/objectReplicationPolicies/write" }, refusal: accessErrors.missingRequiredPermissions }] : [];
  },

  jobFields(instance) {
    // dataSourceSetName: the account's name, as recorded (backup_instance_ilr_restore_adls_recovery_point #14)
    return { dataSourceSetName: instance.dataSourceSetInfo?.resourceName ?? instance.dataSourceInfo.resourceName ?? accountName(instance.dataSourceInfo.resourceID) };
  },
};
