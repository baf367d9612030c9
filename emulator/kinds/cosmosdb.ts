import { sameArmId } from "../ids";
import { dpErrors } from "../service-errors";
import { resourceOfType } from "./arm";
import { accessErrors, targetResource } from "./access-needs";
import type { RestoreKind } from "./kind";

/**
 * Azure Cosmos DB accounts (`Microsoft.DocumentDB/databaseAccounts`) in a Backup vault. A restore writes
 * a vaulted recovery point into another, existing account (the CLI's manifest AzureCosmosDB.py@8722b2f2:
 * allowedRestoreTargetTypes AlternateLocation only; its live test restores into an existing `-tgt`
 * account). Into the backed-up account it fails with UserErrorOriginalLocationRestoreNotSupported, the
 * service's code for "Original location restores not supported for this datasource" (Blob
 * troubleshooting; no source names Cosmos DB's); a missing account has no sourced code. No recording
 * holds a Cosmos DB restore job (backup_and_restore_cosmosdb ends before any restore): the job reports
 * the account as `recoveryDestination`, as every recorded job reports its target's ID, and
 * `progressEnabled` is left false, as for the other datasources that are not proxy resources (disk, blob).
 */

export interface DatabaseAccountTarget {
  kind: "databaseAccount";
  id: string;
}

const ACCOUNT_TYPE = "Microsoft.DocumentDB/databaseAccounts";

export const cosmosdb: RestoreKind<DatabaseAccountTarget> = {
  name: "cosmosdb",
  datasourceTypes: ["microsoft.documentdb/databaseaccounts"],

  targetOf(_instance, target) {
    const id = target.datasourceInfo.resourceID;
    return { target: { kind: "databaseAccount", id }, recoveryDestination: id };
  },

  // Cosmos DB Operator on the target account (the CLI manifest's backupVaultRestorePermissions): databaseAccounts/write
  // (its `Microsoft.DocumentDb/databaseAccounts/*`); the refusal's code is the generic one, no source gives Cosmos DB's.
  access(ctx) {
    const id = targetResource(ctx);
    return id ? [{ who: "vault", scope: id, permission: { action: "Microsoft.DocumentDB/databaseAccounts/write" }, refusal: accessErrors.msiMissingPermissions }] : [];
  },

  rules({ world, instance, target }) {
    const accountId = target.datasourceInfo.resourceID;
    if (sameArmId(accountId, instance.dataSourceInfo.resourceID)) return dpErrors.originalLocationRestoreNotSupported();
    return resourceOfType(world, accountId, ACCOUNT_TYPE) ? undefined : dpErrors.targetResourceNotFound("Cosmos DB account", accountId);
  },
};
