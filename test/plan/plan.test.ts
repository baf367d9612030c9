import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { checkBody } from "../../api/schema";
import type { AzureBackupRecoveryPointResource, BackupInstanceResource, ItemLevelRestoreTargetInfo, RestoreTargetInfo } from "../../api/types";
import { checkSpecValue } from "../../checks";
import type { RestoreSpec } from "../../kinds";
import { resolveRecoveryPoint } from "../../language/recovery-point";
import { planRestore } from "../../plan";
import { codes, problemsOf, value } from "../helpers/result";

const fixtures = path.join(__dirname, "..", "fixtures", "instances");
const blobInstance: BackupInstanceResource = JSON.parse(fs.readFileSync(path.join(fixtures, "msblobbackup.json"), "utf8"));
const pgInstance: BackupInstanceResource = JSON.parse(fs.readFileSync(path.join(fixtures, "testpostgresql-empdb11.json"), "utf8"));
const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const blobRef = { resourceGroup: "testBkpVaultRG", vault: "testBkpVault", name: "msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d" };
const pgRef = { ...blobRef, name: "testpostgresql-empdb11-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e" };
const OTHER_ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/restoredblobs`;

function point(id: string, time: string, stores: string[]): AzureBackupRecoveryPointResource {
  return {
    id: `${pgInstance.id}/recoveryPoints/${id}`,
    name: id,
    properties: {
      objectType: "AzureBackupDiscreteRecoveryPoint",
      recoveryPointId: id,
      recoveryPointTime: time,
      recoveryPointDataStoresDetails: stores.map((type) => ({ type, visible: true })),
    },
  };
}

const points = [
  point("rp-oct-20", "2021-10-20T16:31:16.0000000Z", ["VaultStore"]),
  point("rp-oct-21", "2021-10-21T16:31:16.8316716Z", ["VaultStore", "ArchiveStore"]),
  point("rp-oct-22", "2021-10-22T16:31:16.0000000Z", ["VaultStore"]),
  point("rp-sep-01", "2021-09-01T00:00:00.0000000Z", ["ArchiveStore"]),
];

/** Builds a spec and asserts it passes the spec checks, so plan tests only ever see checked specs. */
function checked<T extends RestoreSpec>(spec: T): T {
  expect(checkSpecValue(spec, { now: new Date("2026-01-01T00:00:00Z") }).filter((p) => p.severity === "error")).toEqual([]);
  return spec;
}

function blob(spec: Record<string, unknown>): RestoreSpec {
  return checked({ apiVersion: "azure-restores/v1", kind: "BlobRestore", metadata: { name: "b" }, spec: { backupInstance: blobRef, ...spec } } as RestoreSpec);
}

function pg(spec: Record<string, unknown>): RestoreSpec {
  return checked({
    apiVersion: "azure-restores/v1",
    kind: "PostgreSQLRestore",
    metadata: { name: "p" },
    spec: { backupInstance: pgRef, target: { files: { containerUrl: "https://testossstorageaccount.blob.core.windows.net/testcontainerrestore", filePrefix: "f" } }, ...spec },
  } as RestoreSpec);
}

describe("recovery points are resolved from the listing", () => {
  it("latest is the newest in the requested data store", () => {
    expect(resolveRecoveryPoint("latest", "VaultStore", points)).toEqual({ ok: true, value: { id: "rp-oct-22", time: "2021-10-22T16:31:16.0000000Z" } });
    expect(resolveRecoveryPoint("latest", "ArchiveStore", points)).toEqual({ ok: true, value: { id: "rp-oct-21", time: "2021-10-21T16:31:16.8316716Z" } });
  });

  it("latestBefore is the newest at or before the time", () => {
    expect(resolveRecoveryPoint({ latestBefore: "2021-10-22T00:00:00Z" }, "VaultStore", points)).toMatchObject({ value: { id: "rp-oct-21" } });
    expect(resolveRecoveryPoint({ latestBefore: "2021-10-20T16:31:16Z" }, "VaultStore", points)).toMatchObject({ value: { id: "rp-oct-20" } });
    expect(resolveRecoveryPoint({ latestBefore: "2021-01-01T00:00:00Z" }, "VaultStore", points)).toMatchObject({ ok: false, problems: [{ code: "PlanRecoveryPointNotFound" }] });
  });

  it("an ID must exist, and be in the data store asked for", () => {
    expect(resolveRecoveryPoint("RP-OCT-20", "VaultStore", points)).toMatchObject({ value: { id: "rp-oct-20" } });
    expect(resolveRecoveryPoint("missing", "VaultStore", points)).toMatchObject({ ok: false, problems: [{ code: "PlanRecoveryPointNotFound" }] });
    expect(resolveRecoveryPoint("rp-oct-20", "ArchiveStore", points)).toMatchObject({ ok: false, problems: [{ code: "PlanRecoveryPointNotInStore" }] });
  });

  it("latest needs the listing; an ID offline is taken as given", () => {
    expect(resolveRecoveryPoint("latest", "VaultStore", undefined)).toMatchObject({ ok: false, problems: [{ code: "PlanRecoveryPointsUnknown" }] });
    expect(resolveRecoveryPoint("abc", "VaultStore", undefined)).toEqual({ ok: true, value: { id: "abc" } });
  });

  it("the plan records the recovery point it resolved", () => {
    const result = planRestore(pg({ recoveryPoint: "latest" }), { instance: pgInstance, recoveryPoints: points }, { defaultSubscriptionId: SUB });
    expect(value(result).source).toEqual({ dataStore: "VaultStore", recoveryPointId: "rp-oct-22", recoveryPointTime: "2021-10-22T16:31:16.0000000Z" });
    expect(value(result).restoreRequest).toMatchObject({ recoveryPointId: "rp-oct-22" });
  });
});

describe("blob restores", () => {
  it("operational containers map to c .. c-0, as az dataprotection maps them", () => {
    const result = planRestore(blob({ pointInTime: "2021-07-08T00:00:00Z", items: { containers: ["invoices", "logs"] } }), { instance: blobInstance }, { defaultSubscriptionId: SUB });
    const info = value(result).restoreRequest.restoreTargetInfo as ItemLevelRestoreTargetInfo;
    expect(info.restoreCriteria).toEqual([
      { objectType: "RangeBasedItemLevelRestoreCriteria", minMatchingValue: "invoices", maxMatchingValue: "invoices-0" },
      { objectType: "RangeBasedItemLevelRestoreCriteria", minMatchingValue: "logs", maxMatchingValue: "logs-0" },
    ]);
    expect(value(result).target).toEqual({ kind: "storageAccount", id: blobInstance.properties!.dataSourceInfo.resourceID, lockKey: `storageAccount:${blobInstance.properties!.dataSourceInfo.resourceID.toLowerCase()}` });
  });

  it("vaulted containers and prefixes become item-path criteria, into another account", () => {
    const spec = blob({ recoveryPoint: "rp-oct-22", items: { containers: ["invoices"], prefixes: ["invoices/2021/", "logs/app"] }, target: { storageAccount: OTHER_ACCOUNT } });
    const result = planRestore(spec, { instance: blobInstance }, { apiVersion: "2024-04-01", defaultSubscriptionId: SUB });
    expect(problemsOf(result)).toEqual([]);
    const info = value(result).restoreRequest.restoreTargetInfo as ItemLevelRestoreTargetInfo;
    expect(info.restoreCriteria).toEqual([
      { objectType: "ItemPathBasedRestoreCriteria", itemPath: "invoices", isPathRelativeToBackupItem: true, subItemPathPrefix: ["2021/"] },
      { objectType: "ItemPathBasedRestoreCriteria", itemPath: "logs", isPathRelativeToBackupItem: true, subItemPathPrefix: ["app"] },
    ]);
    expect(info.datasourceInfo).toMatchObject({ resourceID: OTHER_ACCOUNT, resourceName: "restoredblobs", resourceUri: OTHER_ACCOUNT, datasourceType: "Microsoft.Storage/storageAccounts/blobServices" });
    expect(value(result).restoreRequest).toMatchObject({ objectType: "AzureBackupRecoveryPointBasedRestoreRequest", sourceDataStoreType: "VaultStore", recoveryPointId: "rp-oct-22" });
    expect(value(result).target.id).toBe(OTHER_ACCOUNT);
    expect(checkBody("2024-04-01", "ValidateRestoreRequestObject", value(result).validateRequest, { strict: true })).toEqual([]);
  });

  it("a vaulted whole-account restore uses the instance's datasource", () => {
    const result = planRestore(blob({ recoveryPoint: "abc123" }), { instance: blobInstance }, { defaultSubscriptionId: SUB });
    expect((value(result).restoreRequest.restoreTargetInfo as RestoreTargetInfo).datasourceInfo).toEqual(blobInstance.properties!.dataSourceInfo);
  });

  it("item-path criteria need api-version 2024-04-01 or later", () => {
    const result = planRestore(blob({ recoveryPoint: "abc123", items: { containers: ["invoices"] } }), { instance: blobInstance }, { apiVersion: "2021-07-01", defaultSubscriptionId: SUB });
    expect(codes(result)).toEqual(["PlanApiVersionTooOld"]);
  });

  it("a restore location in the spec wins over the datasource's", () => {
    const result = planRestore(blob({ pointInTime: "2021-07-08T00:00:00Z", restoreLocation: "eastus2" }), { instance: blobInstance }, { defaultSubscriptionId: SUB });
    expect(value(result).restoreRequest.restoreTargetInfo.restoreLocation).toBe("eastus2");
  });
});

describe("PostgreSQL restores", () => {
  it("refuse to restore over the database that was backed up", () => {
    const source = pgInstance.properties!.dataSourceInfo.resourceID;
    const spec = pg({ recoveryPoint: "rp-oct-22", target: { database: { id: source, credentialsSecretUri: "https://vikottur-test.vault.azure.net/secrets/dbauth3" } } });
    expect(codes(planRestore(spec, { instance: pgInstance }, { defaultSubscriptionId: SUB }))).toEqual(["PlanOriginalLocationUnsupported"]);
  });

  it("into a database need api-version 2021-07-01 (credentials) or later", () => {
    const spec = pg({ recoveryPoint: "rp-oct-22", target: { database: { id: pgInstance.properties!.dataSourceInfo.resourceID.replace("empdb11", "newdb"), credentialsSecretUri: "https://kv1.vault.azure.net/secrets/s" } } });
    expect(codes(planRestore(spec, { instance: pgInstance }, { apiVersion: "2021-01-01", defaultSubscriptionId: SUB }))).toEqual(["PlanApiVersionTooOld"]);
  });

  it("from ArchiveStore resolve the recovery point in the archive", () => {
    const spec = pg({ recoveryPoint: "latest", sourceDataStore: "ArchiveStore", rehydration: { priority: "High", retention: "P30D" } });
    const result = planRestore(spec, { instance: pgInstance, recoveryPoints: points }, { defaultSubscriptionId: SUB });
    expect(value(result).restoreRequest).toMatchObject({ objectType: "AzureBackupRestoreWithRehydrationRequest", recoveryPointId: "rp-oct-21", rehydrationPriority: "High", rehydrationRetentionDuration: "P30D" });
  });
});

describe("every kind", () => {
  it("refuses a kind that does not match the backup instance's datasource", () => {
    const wrong = checked({ ...blob({ pointInTime: "2021-07-08T00:00:00Z" }), spec: { backupInstance: pgRef, pointInTime: "2021-07-08T00:00:00Z" } } as RestoreSpec);
    expect(codes(planRestore(wrong, { instance: pgInstance }, { defaultSubscriptionId: SUB }))).toEqual(["PlanKindMismatch"]);
  });

  it("needs a subscription for the { resourceGroup, vault, name } form", () => {
    const result = planRestore(blob({ pointInTime: "2021-07-08T00:00:00Z" }), { instance: blobInstance });
    expect(problemsOf(result)).toMatchObject([{ code: "SpecSubscriptionUnknown", path: ["spec", "backupInstance", "subscriptionId"] }]);
    const own = blob({ pointInTime: "2021-07-08T00:00:00Z", backupInstance: { ...blobRef, subscriptionId: SUB } });
    expect(value(planRestore(own, { instance: blobInstance })).backupInstance.subscriptionId).toBe(SUB);
  });

  it("hash what the restore does, not its metadata", () => {
    const a = value(planRestore(blob({ pointInTime: "2021-07-08T00:00:00Z" }), { instance: blobInstance }, { defaultSubscriptionId: SUB }));
    const renamed = { ...blob({ pointInTime: "2021-07-08T00:00:00Z" }), metadata: { name: "other", ticket: "T-1" } } as RestoreSpec;
    const b = value(planRestore(renamed, { instance: blobInstance }, { defaultSubscriptionId: SUB }));
    const c = value(planRestore(blob({ pointInTime: "2021-07-08T00:00:01Z" }), { instance: blobInstance }, { defaultSubscriptionId: SUB }));
    expect(b.requestHash).toBe(a.requestHash);
    expect(c.requestHash).not.toBe(a.requestHash);
    expect(a.requestHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("RawRestore passes the request through and refuses another datasource type", () => {
    const request = {
      objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
      sourceDataStoreType: "VaultStore",
      recoveryPointId: "rp-oct-22",
      restoreTargetInfo: { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "westus", datasourceInfo: { ...blobInstance.properties!.dataSourceInfo } },
    };
    const raw = checked({ apiVersion: "azure-restores/v1", kind: "RawRestore", metadata: { name: "r" }, spec: { backupInstance: blobRef, request } } as RestoreSpec);
    const result = planRestore(raw, { instance: blobInstance }, { defaultSubscriptionId: SUB });
    expect(value(result).restoreRequest).toEqual(request);
    expect(value(result).target.kind).toBe("storageAccount");
    expect(codes(planRestore(raw, { instance: pgInstance }, { defaultSubscriptionId: SUB }))).toEqual(["PlanDatasourceTypeMismatch"]);
  });
});
