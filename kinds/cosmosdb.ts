import type { RestoreTargetInfo } from "../api/types";
import { ROLES } from "../api/roles";
import { need } from "./access";
import { fieldError } from "../errors/field";
import { failed, ok } from "../errors/result";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import * as P from "../language/patterns";
import { resolveRecoveryPoint } from "../language/recovery-point";
import { armId, recoveryPoint, specSchema, type Schema } from "../language/schema-parts";
import type { RestoreKind } from "./kind";
import { datasourceFor, RECOVERY_OPTION, restoreLocation, sourceDatasource } from "./parts";

/**
 * Azure Cosmos DB accounts (`Microsoft.DocumentDB/databaseAccounts`) backed up to a Backup vault: a
 * vaulted recovery point restored into another account (alternate location only, no item level). The
 * body as `az dataprotection backup-instance restore initialize-for-data-recovery --datasource-type
 * AzureCosmosDB --source-datastore VaultStore --target-resource-id <account>` builds it, the command of
 * the CLI's live test (tests/latest/test_dataprotection_backup_and_restore_workloads.py,
 * test_dataprotection_backup_and_restore_cosmosdb) and of tests/latest/test_dataprotection_cosmosdb.py@1b5472db:
 * RestoreTargetInfo, no datasource set (not a proxy resource), the datasource's URI its ID
 * (manual/custom.py@52e482dc, helpers.py@8722b2f2, manifest AzureCosmosDB.py@8722b2f2). The recorded
 * cassette of that test (test/fixtures/recordings/backup_and_restore_cosmosdb.json) ends before any
 * restore: it holds the source account's datasource only.
 */
export interface CosmosDBRestoreSpec extends CommonSpec {
  recoveryPoint: RecoveryPointRef;
  target: { account: string };
}

export type CosmosDBRestore = SpecEnvelope<"CosmosDBRestore", CosmosDBRestoreSpec>;

const schema = (): Schema =>
  specSchema(["recoveryPoint", "target"], {
    recoveryPoint,
    target: {
      type: "object",
      description: "The Cosmos DB account to restore into (another account than the one backed up).",
      additionalProperties: false,
      required: ["account"],
      properties: {
        account: armId("ARM ID of the target Cosmos DB account.", P.COSMOS_ACCOUNT_ID, "a Cosmos DB account", "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.DocumentDB/databaseAccounts/<name>"),
      },
    },
  });

export const cosmosdbKind: RestoreKind<CosmosDBRestore> = {
  name: "CosmosDBRestore",
  title: "Azure Cosmos DB",
  datasourceTypes: ["Microsoft.DocumentDB/databaseAccounts"],
  misplacedFields: {
    pointInTime: "a Backup vault restores Cosmos DB from a recovery point: use recoveryPoint (point-in-time restore is Cosmos DB's own continuous backup, outside Azure Backup)",
    sourceDataStore: "Cosmos DB recovery points are in VaultStore: remove sourceDataStore",
    items: "a Cosmos DB restore brings back the whole account; there is no item-level restore",
  },
  specSchema: schema,
  // All a Cosmos DB spec can get wrong alone is the schema's; whether it names the source account is known at plan time.
  rules: () => [],

  recoveryPoint(spec) {
    return { ref: spec.spec.recoveryPoint, dataStore: "VaultStore" };
  },

  plan(spec, facts) {
    const s = spec.spec;
    const ds = sourceDatasource(facts);
    const accountId = s.target.account;
    if (accountId.toLowerCase() === ds.resourceID.toLowerCase()) {
      return failed(
        fieldError(["spec", "target", "account"], "PlanOriginalLocationUnsupported", "this is the account that was backed up: Cosmos DB restores only into another account", "restore into another Cosmos DB account"),
      );
    }
    const location = restoreLocation(s, ds);
    const point = resolveRecoveryPoint(s.recoveryPoint, "VaultStore", facts.recoveryPoints);
    if (!point.ok) return point;
    const restoreTargetInfo: RestoreTargetInfo = {
      objectType: "RestoreTargetInfo",
      recoveryOption: RECOVERY_OPTION,
      restoreLocation: location,
      datasourceInfo: datasourceFor(ds, accountId, location),
    };
    return ok({
      request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", recoveryPointId: point.value.id, sourceDataStoreType: "VaultStore", restoreTargetInfo },
      source: { dataStore: "VaultStore", recoveryPointId: point.value.id, ...(point.value.time ? { recoveryPointTime: point.value.time } : {}) },
      target: { kind: "other", id: accountId, lockKey: `databaseAccount:${accountId.toLowerCase()}` },
    });
  },

  policyTargets(spec) {
    return { targets: [{ id: spec.spec.target.account, path: ["spec", "target", "account"] }] };
  },

  // The datasource manifests (backupVaultRestorePermissions: Cosmos DB Operator @DataSource, the target account).
  access(_spec, plan) {
    return { needs: [need(ROLES.cosmosDbOperator, plan.target.id, "the target account", "az dataprotection datasource manifest AzureCosmosDB (backupVaultRestorePermissions)")], unchecked: [] };
  },

  destination(spec) {
    return spec.spec.target;
  },
};
