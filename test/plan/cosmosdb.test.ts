import { describe, expect, it } from "vitest";
import { checkBody } from "../../api/schema";
import { API_VERSIONS } from "../../api/versions";
import { planRestore } from "../../plan";
import { checkedSpec, instanceFixture, recording } from "../helpers/recorded";
import { problemsOf, value } from "../helpers/result";

/**
 * CosmosDBRestore. The CLI's recorded Cosmos DB cassette (test_dataprotection_backup_and_restore_cosmosdb.yaml
 * @1b5472db) ends with validate-for-backup refused: it records the source account's datasource, which the
 * fixture instance is built from, and no restore. The expected body is therefore the one
 * `initialize-for-data-recovery` builds (manual/custom.py@52e482dc, helpers.py@8722b2f2; the wire form in
 * research kinds/cosmosdb.md) for the arguments of the same commit's test_dataprotection_cosmosdb.py: target
 * account cosmosbugbash-vijami-tgt, recovery point 33d445e6891444638ffca3d35b3c479f, restore location
 * northcentralus, VaultStore.
 */
const instance = instanceFixture("cosmosbugbash-vijami-src");
const SOURCE = instance.properties!.dataSourceInfo.resourceID;
const TARGET = SOURCE.replace(/-src$/, "-tgt");

const cosmos = (target = TARGET) =>
  checkedSpec(`apiVersion: azure-restores/v1
kind: CosmosDBRestore
metadata: { name: cosmos }
spec:
  backupInstance: ${instance.id}
  recoveryPoint: 33d445e6891444638ffca3d35b3c479f
  restoreLocation: northcentralus
  target:
    account: ${target}`).spec;

const cliBody = {
  objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
  recoveryPointId: "33d445e6891444638ffca3d35b3c479f",
  sourceDataStoreType: "VaultStore",
  restoreTargetInfo: {
    objectType: "RestoreTargetInfo",
    restoreLocation: "northcentralus",
    recoveryOption: "FailIfExists",
    datasourceInfo: {
      datasourceType: "Microsoft.DocumentDB/databaseAccounts",
      objectType: "Datasource",
      resourceName: "cosmosbugbash-vijami-tgt",
      resourceType: "Microsoft.DocumentDB/databaseAccounts",
      resourceUri: TARGET,
      resourceID: TARGET,
      resourceLocation: "northcentralus",
    },
  },
};

describe("CosmosDBRestore: the body the CLI builds for its live test", () => {
  it("the fixture instance is the recorded source account, as the CLI sent it for backup", () => {
    const validate = recording("backup_and_restore_cosmosdb").find((i) => i.uri.includes("/validateForBackup?"))!;
    expect((validate.requestBody as { backupInstance: { dataSourceInfo: unknown } }).backupInstance.dataSourceInfo).toEqual(instance.properties!.dataSourceInfo);
  });

  for (const version of API_VERSIONS) {
    it(`renders it at ${version}, strictly valid there`, () => {
      const plan = value(planRestore(cosmos(), { instance }, { apiVersion: version }));
      expect(plan.restoreRequest).toEqual(cliBody);
      expect(checkBody(version, "ValidateRestoreRequestObject", plan.validateRequest, { strict: true })).toEqual([]);
      expect(plan.target).toEqual({ kind: "other", id: TARGET, lockKey: `databaseAccount:${TARGET.toLowerCase()}` });
    });
  }

  it("refuses the account that was backed up: Cosmos DB restores only to another account", () => {
    expect(problemsOf(planRestore(cosmos(SOURCE), { instance }, { apiVersion: "2026-06-01" }))).toMatchObject([
      { code: "PlanOriginalLocationUnsupported", path: ["spec", "target", "account"] },
    ]);
  });
});
