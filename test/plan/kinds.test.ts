import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { checkBody } from "../../api/schema";
import type { AzureBackupRecoveryPointResource, BackupInstanceResource, ItemLevelRestoreTargetInfo, RestoreFilesTargetInfo, RestoreTargetInfo } from "../../api/types";
import { checkSpecFiles, checkSpecValue } from "../../checks";
import { fieldPathText } from "../../errors/field";
import { kindOf, type RestoreSpec } from "../../kinds";
import { planRestore } from "../../plan";
import { instanceFixture } from "../helpers/recorded";
import { codes, problemsOf, value } from "../helpers/result";

/** Plans of the disk, flexible server and Data Lake kinds, and vaulted blob renames, beyond the golden bodies. */
const SUB = "00000000-0000-0000-0000-000000000000";
const disk = instanceFixture("clitest-disk-persistent-bi-donotdelete");
const mysql = instanceFixture("clitest-mysql-server");
const pgflex = instanceFixture("clitest-pgflex-server");
const lake = instanceFixture("adlsblobsourcesa");
const blob = instanceFixture("clitestsavltdonotdelete");
const pgSingle = instanceFixture("testpostgresql-empdb11");
const ref = (instance: BackupInstanceResource) => instance.id!;
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/restoredlake`;
const CONTAINER_URL = "https://restoredumps.blob.core.windows.net/dumps";
const CONTAINER_ID = `/subscriptions/${SUB}/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/restoredumps/blobServices/default/containers/dumps`;
const NEW_DISK = `/subscriptions/${SUB}/resourceGroups/rg2/providers/Microsoft.Compute/disks/restored`;

function checked(kind: string, instance: BackupInstanceResource, spec: Record<string, unknown>): RestoreSpec {
  const value = { apiVersion: "azure-restores/v1", kind, metadata: { name: "k" }, spec: { backupInstance: ref(instance), recoveryPoint: "rp1", ...spec } };
  expect(checkSpecValue(value, { now: new Date("2026-01-01T00:00:00Z") }).filter((p) => p.severity === "error")).toEqual([]);
  return value as RestoreSpec;
}

const at = (result: ReturnType<typeof planRestore>) => problemsOf(result).map((p) => `${fieldPathText(p.path)} ${p.code}`);

describe("DiskRestore", () => {
  const spec = (extra: Record<string, unknown> = {}) => checked("DiskRestore", disk, { target: { disk: NEW_DISK }, ...extra });

  it("creates the disk the spec names, in the region of the snapshots; the disk is the target and the lock", () => {
    const plan = value(planRestore(spec(), { instance: disk }));
    expect((plan.restoreRequest.restoreTargetInfo as RestoreTargetInfo).datasourceInfo).toEqual({
      datasourceType: "Microsoft.Compute/disks",
      objectType: "Datasource",
      resourceID: NEW_DISK,
      resourceLocation: "centraluseuap",
      resourceName: "restored",
      resourceType: "Microsoft.Compute/disks",
      resourceUri: NEW_DISK,
    });
    expect(plan.source).toEqual({ dataStore: "OperationalStore", recoveryPointId: "rp1" });
    expect(plan.target).toEqual({ kind: "disk", id: NEW_DISK, lockKey: `disk:${NEW_DISK.toLowerCase()}` });
    expect(kindOf(spec()).policyTargets(spec())).toEqual({ targets: [{ id: NEW_DISK, path: ["spec", "target", "disk"] }] });
  });

  it("refuses to restore over the disk that was backed up", () => {
    const source = disk.properties!.dataSourceInfo.resourceID.replace("resourceGroups", "resourcegroups");
    expect(at(planRestore(spec({ target: { disk: source } }), { instance: disk }))).toEqual(["spec.target.disk PlanOriginalLocationUnsupported"]);
  });

  it("refuses another region than the snapshots'", () => {
    const result = planRestore(spec({ restoreLocation: "westus" }), { instance: disk });
    expect(at(result)).toEqual(["spec.restoreLocation PlanDiskRegionMismatch"]);
    expect(problemsOf(result)[0].remedy).toBe("remove restoreLocation, or set it to centraluseuap");
  });

  it("resolves latest in the operational store", () => {
    expect(kindOf(spec()).recoveryPoint(spec())).toEqual({ ref: "rp1", dataStore: "OperationalStore" });
  });
});

describe("PostgreSQLFlexibleRestore and MySQLFlexibleRestore", () => {
  const files = (extra: Record<string, unknown> = {}) => ({ target: { files: { containerUrl: CONTAINER_URL, ...extra } } });

  it("send the placeholder prefix Az.DataProtection sends when the spec names none", () => {
    const plan = value(planRestore(checked("MySQLFlexibleRestore", mysql, files()), { instance: mysql }));
    expect((plan.restoreRequest.restoreTargetInfo as RestoreFilesTargetInfo).targetDetails).toEqual({ url: CONTAINER_URL, filePrefix: "dummyprefix", restoreTargetLocationType: "AzureBlobs" });
    expect(plan.target).toEqual({ kind: "files", id: CONTAINER_URL, lockKey: `files:${CONTAINER_URL}/dummyprefix` });
  });

  it("restore from the archive tier after rehydration, strictly valid", () => {
    const spec = checked("PostgreSQLFlexibleRestore", pgflex, { ...files({ filePrefix: "pg1" }), sourceDataStore: "ArchiveStore", rehydration: { priority: "High", retention: "P12D" } });
    const plan = value(planRestore(spec, { instance: pgflex }, { apiVersion: "2026-06-01" }));
    expect(plan.restoreRequest).toEqual({
      objectType: "AzureBackupRestoreWithRehydrationRequest",
      sourceDataStoreType: "ArchiveStore",
      recoveryPointId: "rp1",
      rehydrationPriority: "High",
      rehydrationRetentionDuration: "P12D",
      restoreTargetInfo: { objectType: "RestoreFilesTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "eastus2euap", targetDetails: { url: CONTAINER_URL, filePrefix: "pg1", restoreTargetLocationType: "AzureBlobs" } },
    });
    expect(checkBody("2026-06-01", "AzureBackupRestoreRequest", plan.restoreRequest, { strict: true })).toEqual([]);
    expect(kindOf(spec).recoveryPoint(spec)).toEqual({ ref: "rp1", dataStore: "ArchiveStore" });
  });

  it("check the container's ARM ID against the policy; a URL alone names no subscription", () => {
    const withId = checked("PostgreSQLFlexibleRestore", pgflex, files({ containerId: CONTAINER_ID }));
    expect(kindOf(withId).policyTargets(withId)).toEqual({ targets: [{ id: CONTAINER_ID, path: ["spec", "target", "files", "containerId"] }] });
    const withoutId = checked("PostgreSQLFlexibleRestore", pgflex, files());
    expect(kindOf(withoutId).policyTargets(withoutId)).toEqual({ targets: [] });
  });
});

describe("DataLakeRestore", () => {
  const spec = (extra: Record<string, unknown> = {}) => checked("DataLakeRestore", lake, { target: { storageAccount: ACCOUNT }, ...extra });

  it("restores every container as initialize-for-data-recovery does: RestoreTargetInfo, no datasourceSetInfo, at every api-version", () => {
    for (const apiVersion of ["2021-01-01", "2026-06-01"] as const) {
      const plan = value(planRestore(spec(), { instance: lake }, { apiVersion }));
      expect(plan.restoreRequest.restoreTargetInfo).toEqual({
        objectType: "RestoreTargetInfo",
        recoveryOption: "FailIfExists",
        restoreLocation: "eastus",
        datasourceInfo: { datasourceType: "Microsoft.Storage/storageAccounts/adlsBlobServices", objectType: "Datasource", resourceID: ACCOUNT, resourceLocation: "eastus", resourceName: "restoredlake", resourceType: "Microsoft.Storage/storageAccounts", resourceUri: ACCOUNT },
      });
    }
  });

  it("by container: the target's datasource twice (set and datasource), plain names without prefixes", () => {
    const plan = value(planRestore(spec({ items: { containers: ["fs1", { name: "fs2", prefixes: ["raw/"] }] } }), { instance: lake }, { apiVersion: "2024-04-01" }));
    const info = plan.restoreRequest.restoreTargetInfo as ItemLevelRestoreTargetInfo;
    expect(info.datasourceSetInfo).toEqual({ ...info.datasourceInfo, objectType: "DatasourceSet" });
    expect(info.restoreCriteria).toEqual([
      { objectType: "ItemPathBasedRestoreCriteria", itemPath: "fs1", isPathRelativeToBackupItem: true },
      { objectType: "ItemPathBasedRestoreCriteria", itemPath: "fs2", isPathRelativeToBackupItem: true, subItemPathPrefix: ["raw/"] },
    ]);
    expect(plan.target).toEqual({ kind: "storageAccount", id: ACCOUNT, lockKey: `storageAccount:${ACCOUNT.toLowerCase()}` });
  });

  it("refuses the account that was backed up", () => {
    expect(at(planRestore(spec({ target: { storageAccount: lake.properties!.dataSourceInfo.resourceID } }), { instance: lake }))).toEqual(["spec.target.storageAccount PlanOriginalLocationUnsupported"]);
  });
});

describe("BlobRestore: vaulted containers with prefixes and renames", () => {
  const spec = (items: Record<string, unknown>) => checked("BlobRestore", blob, { target: { storageAccount: ACCOUNT }, items });

  it("merge a container's prefixes from both forms; a mapping always carries subItemPathPrefix", () => {
    const plan = value(planRestore(spec({ containers: [{ name: "invoices", renameTo: "invoices-2021" }, { name: "logs", prefixes: ["app/"] }], prefixes: ["logs/web/", "img/2021"] }), { instance: blob }));
    expect((plan.restoreRequest.restoreTargetInfo as ItemLevelRestoreTargetInfo).restoreCriteria).toEqual([
      { objectType: "ItemPathBasedRestoreCriteria", itemPath: "invoices", isPathRelativeToBackupItem: true, subItemPathPrefix: [], renameTo: "invoices-2021" },
      { objectType: "ItemPathBasedRestoreCriteria", itemPath: "logs", isPathRelativeToBackupItem: true, subItemPathPrefix: ["app/", "web/"] },
      { objectType: "ItemPathBasedRestoreCriteria", itemPath: "img", isPathRelativeToBackupItem: true, subItemPathPrefix: ["2021"] },
    ]);
    expect(checkBody("2026-06-01", "ValidateRestoreRequestObject", plan.validateRequest, { strict: true })).toEqual([]);
  });

  it("refuse renameTo at api-versions whose definitions lack it, naming the one that has it", () => {
    const result = planRestore(spec({ containers: ["a1b", { name: "invoices", renameTo: "invoices-2021" }] }), { instance: blob }, { apiVersion: "2024-04-01" });
    expect(at(result)).toEqual(["spec.items.containers[1].renameTo PlanApiVersionTooOld"]);
    expect(problemsOf(result)[0].message).toBe("restoring a container under another name needs api-version 2025-07-01 or later (this run uses 2024-04-01)");
  });
});

describe("a spec of one kind against a backup instance of another", () => {
  const cases: Array<[string, RestoreSpec, BackupInstanceResource, string, string]> = [
    ["a disk restore of a PostgreSQL database", checked("DiskRestore", pgSingle, { target: { disk: NEW_DISK } }), pgSingle, "Microsoft.DBforPostgreSQL/servers/databases", "use kind PostgreSQLRestore"],
    ["a PostgreSQL single-server restore of a flexible server", checked("PostgreSQLRestore", pgflex, { target: { files: { containerUrl: CONTAINER_URL, filePrefix: "p" } } }), pgflex, "Microsoft.DBforPostgreSQL/flexibleServers", "use kind PostgreSQLFlexibleRestore"],
    ["a MySQL restore of a PostgreSQL flexible server", checked("MySQLFlexibleRestore", pgflex, { target: { files: { containerUrl: CONTAINER_URL } } }), pgflex, "Microsoft.DBforPostgreSQL/flexibleServers", "use kind PostgreSQLFlexibleRestore"],
    ["a blob restore of a Data Lake account", checked("BlobRestore", lake, {}), lake, "Microsoft.Storage/storageAccounts/adlsBlobServices", "use kind DataLakeRestore"],
    ["a Data Lake restore of a disk", checked("DataLakeRestore", disk, { target: { storageAccount: ACCOUNT } }), disk, "Microsoft.Compute/disks", "use kind DiskRestore"],
  ];
  for (const [title, spec, instance, type, remedy] of cases) {
    it(`${title}: names both datasource types and the kind to use`, () => {
      const result = planRestore(spec, { instance });
      expect(codes(result)).toEqual(["PlanKindMismatch"]);
      const [problem] = problemsOf(result);
      expect(problem.message).toContain(`this backup instance protects a ${type}; ${spec.kind} restores ${kindOf(spec).title} (${kindOf(spec).datasourceTypes.join(", ")})`);
      expect(problem.remedy).toBe(remedy);
    });
  }
});

describe("the example specs of the new kinds", () => {
  const examples: Array<[string, string]> = [
    ["appdisk01-as-new-disk", "appdisk01"],
    ["pgflex-orders-as-files", "pgflexorders"],
    ["mysqlflex-shop-as-files", "mysqlshop"],
    ["datalake-raw-containers", "datalakeraw"],
  ];
  const root = path.join(__dirname, "..", "..");
  for (const [name, instance] of examples) {
    it(`${name} renders offline against its instance and recovery points, strictly valid`, () => {
      const { specs, problems } = checkSpecFiles([path.join(root, "restores", `${name}.yaml`)]);
      expect(problems).toEqual([]);
      const points = JSON.parse(fs.readFileSync(path.join(root, "test", "fixtures", "recovery-points", `${instance}.json`), "utf8")) as { value: AzureBackupRecoveryPointResource[] };
      const plan = value(planRestore(specs[0].spec, { instance: instanceFixture(instance), recoveryPoints: points.value }, { defaultSubscriptionId: "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f" }));
      expect(checkBody(plan.apiVersion, "ValidateRestoreRequestObject", plan.validateRequest, { strict: true })).toEqual([]);
    });
  }
});
