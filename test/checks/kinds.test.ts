import { describe, expect, it } from "vitest";
import type { Problem } from "../../errors/problem";
import { checkParsedSpecs, parseSpecText } from "../../checks";

/**
 * The offline rules of the disk, flexible server and Data Lake kinds, and of vaulted blob containers
 * with prefixes and renames: each positioned (`line:col field code`) in a YAML text, with a remedy.
 */
const NOW = new Date("2026-11-21T00:00:00Z");
const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const VAULT = `/subscriptions/${SUB}/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault/backupInstances`;
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.Storage/storageAccounts/restoredlake`;
const CONTAINER_URL = "https://restoredumps.blob.core.windows.net/pgflex";
const CONTAINER_ID = `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.Storage/storageAccounts/restoredumps/blobServices/default/containers/pgflex`;

function check(text: string): Problem[] {
  const { parsed, problems } = parseSpecText("restores/x.yaml", text);
  if (!parsed) return problems;
  return checkParsedSpecs([parsed], { now: NOW }).problems.filter((p) => p.code !== "SpecNameMismatch");
}

const positions = (problems: Problem[]) => problems.map((p) => `${p.line}:${p.column} ${p.field ?? ""} ${p.code}`);

/** A spec of `kind` whose `spec:` is the backup instance (line 6) and then `body` (from line 7). */
const spec = (kind: string, instance: string, body: string) => `apiVersion: azure-restores/v1
kind: ${kind}
metadata:
  name: x
spec:
  backupInstance: ${VAULT}/${instance}
${body}`;

const disk = (body: string) => spec("DiskRestore", "appdisk-appdisk-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", body);
const pgflex = (body: string) => spec("PostgreSQLFlexibleRestore", "pgflexserver-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", body);
const mysql = (body: string) => spec("MySQLFlexibleRestore", "mysqlserver-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", body);
const lake = (body: string) => spec("DataLakeRestore", "datalake-datalake-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", body);
const blob = (body: string) => spec("BlobRestore", "msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d", body);
const diskId = (name: string) => `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.Compute/disks/${name}`;

describe("rules of the new kinds, positioned, each with a remedy", () => {
  const cases: Array<[string, string, string[]]> = [
    ["DiskRestore: a target that is not a disk ID", disk(`  recoveryPoint: latest\n  target:\n    disk: ${ACCOUNT}`), ["9:11 spec.target.disk SpecInvalidValue"]],
    ["DiskRestore: a disk name with a period", disk(`  recoveryPoint: latest\n  target:\n    disk: ${diskId("app.disk")}`), ["9:11 spec.target.disk SpecInvalidValue"]],
    ["DiskRestore: no target (there is no original-location restore)", disk("  recoveryPoint: latest"), ["5:1 spec SpecMissingField"]],
    ["DiskRestore: a point in time", disk(`  pointInTime: 2021-07-08T00:00:00Z\n  recoveryPoint: latest\n  target: { disk: ${diskId("d1")} }`), ["7:3 spec.pointInTime SpecUnknownField"]],
    ["DiskRestore: a source data store", disk(`  sourceDataStore: VaultStore\n  recoveryPoint: latest\n  target: { disk: ${diskId("d1")} }`), ["7:3 spec.sourceDataStore SpecUnknownField"]],
    [
      "PostgreSQLFlexibleRestore: containerId of another container",
      pgflex(`  recoveryPoint: latest\n  target:\n    files:\n      containerUrl: ${CONTAINER_URL}\n      containerId: ${CONTAINER_ID.replace("/pgflex", "/other")}`),
      ["11:20 spec.target.files.containerId SpecContainerIdMismatch"],
    ],
    [
      "MySQLFlexibleRestore: containerId of another account",
      mysql(`  recoveryPoint: latest\n  target:\n    files:\n      containerUrl: ${CONTAINER_URL}\n      containerId: ${CONTAINER_ID.replace("restoredumps", "otherdumps")}`),
      ["11:20 spec.target.files.containerId SpecContainerIdMismatch"],
    ],
    ["PostgreSQLFlexibleRestore: a database target", pgflex(`  recoveryPoint: latest\n  target:\n    database: { id: x }`), ["8:3 spec.target SpecMissingField", "9:5 spec.target.database SpecUnknownField"]],
    ["PostgreSQLFlexibleRestore: ArchiveStore without rehydration", pgflex(`  recoveryPoint: latest\n  sourceDataStore: ArchiveStore\n  target: { files: { containerUrl: "${CONTAINER_URL}" } }`), ["8:20 spec.sourceDataStore SpecRehydrationMissing"]],
    [
      "MySQLFlexibleRestore: rehydration without ArchiveStore",
      mysql(`  recoveryPoint: latest\n  rehydration: { priority: High, retention: P10D }\n  target: { files: { containerUrl: "${CONTAINER_URL}" } }`),
      ["8:3 spec.rehydration SpecRehydrationWithoutArchive"],
    ],
    [
      "MySQLFlexibleRestore: rehydration retention outside 10-30 days",
      mysql(`  recoveryPoint: latest\n  sourceDataStore: ArchiveStore\n  rehydration: { priority: High, retention: P9D }\n  target: { files: { containerUrl: "${CONTAINER_URL}" } }`),
      ["9:45 spec.rehydration.retention SpecRehydrationRetention"],
    ],
    ["DataLakeRestore: no target account", lake("  recoveryPoint: latest\n  target: {}"), ["8:3 spec.target SpecMissingField"]],
    ["DataLakeRestore: a point in time", lake(`  pointInTime: 2021-07-08T00:00:00Z\n  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }`), ["7:3 spec.pointInTime SpecUnknownField"]],
    [
      "DataLakeRestore: an entry with only a name",
      lake(`  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }\n  items:\n    containers:\n      - { name: fs1 }`),
      ["11:9 spec.items.containers[0] SpecContainerEntryEmpty"],
    ],
    [
      "DataLakeRestore: two containers restored under one name",
      lake(`  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }\n  items:\n    containers:\n      - fs1\n      - { name: fs2, renameTo: fs1 }`),
      ["12:32 spec.items.containers[1].renameTo SpecRenameCollision"],
    ],
    [
      "DataLakeRestore: a rename that is not a container name",
      lake(`  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }\n  items:\n    containers:\n      - { name: fs1, renameTo: Fs_1 }`),
      ["11:32 spec.items.containers[0].renameTo SpecInvalidValue"],
    ],
    [
      "DataLakeRestore: an empty prefix list",
      lake(`  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }\n  items:\n    containers:\n      - { name: fs1, prefixes: [] }`),
      ["11:22 spec.items.containers[0].prefixes SpecEmptyList"],
    ],
    [
      "DataLakeRestore: more than 100 containers",
      lake(`  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }\n  items:\n    containers: [${Array.from({ length: 101 }, (_, i) => `fs${String(i).padStart(3, "0")}`).join(", ")}]`),
      ["10:5 spec.items.containers SpecTooManyContainers"],
    ],
    [
      "BlobRestore: prefixes or a rename of a container on the operational tier",
      blob("  pointInTime: 2021-07-08T00:00:00Z\n  items:\n    containers:\n      - { name: logs, renameTo: logs-restored }"),
      ["10:9 spec.items.containers[0] SpecContainerOptionsNeedVaultedTier"],
    ],
    [
      "BlobRestore: on the operational tier a container keeps its own index beside a refused mapping",
      blob("  pointInTime: 2021-07-08T00:00:00Z\n  items:\n    containers: [{ name: logs, prefixes: [a] }, m1n]\n    ranges: [{ from: a, to: z }]"),
      ["9:18 spec.items.containers[0] SpecContainerOptionsNeedVaultedTier", "9:49 spec.items.containers[1] SpecRangesOverlap"],
    ],
    [
      "BlobRestore: a vaulted rename onto another listed container",
      blob(`  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }\n  items:\n    containers: [a1b, { name: c1d, renameTo: a1b }]`),
      ["10:46 spec.items.containers[1].renameTo SpecRenameCollision"],
    ],
  ];
  for (const [title, text, expected] of cases) {
    it(title, () => {
      const problems = check(text);
      expect(positions(problems)).toEqual(expected);
      for (const p of problems) expect(p.remedy, p.code).toBeTruthy();
    });
  }

  it("warns on a Data Lake container or prefix listed twice", () => {
    const problems = check(lake(`  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }\n  items:\n    containers:\n      - fs1\n      - { name: fs1, prefixes: [a/, a/] }`));
    expect(problems.map((p) => `${p.severity} ${p.code} ${p.field}`)).toEqual(["warning SpecDuplicateItem spec.items.containers[1]", "warning SpecDuplicateItem spec.items.containers[1].prefixes[1]"]);
  });

  it("says where a field of another kind belongs", () => {
    const [problem] = check(disk(`  sourceDataStore: VaultStore\n  recoveryPoint: latest\n  target: { disk: ${diskId("d1")} }`));
    expect(problem.message).toBe("sourceDataStore is not a field of DiskRestore: a disk restore always reads the operational store (the snapshots): remove sourceDataStore");
  });

  it("points a flexible server database of PostgreSQLRestore at PostgreSQLFlexibleRestore", () => {
    const id = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.DBforPostgreSQL/flexibleServers/pgflex/databases/db1`;
    const problems = check(spec("PostgreSQLRestore", "pgflex-db1", `  recoveryPoint: latest\n  target:\n    database: { id: ${id}, credentialsSecretUri: "https://kv1.vault.azure.net/secrets/s" }`));
    const flexible = problems.find((p) => p.code === "SpecFlexibleServerDatabase")!;
    expect(`${flexible.line}:${flexible.column} ${flexible.field}`).toBe("9:21 spec.target.database.id");
    expect(flexible.remedy).toBe("use kind: PostgreSQLFlexibleRestore with target.files { containerUrl }");
  });

  it("accepts the forms the README shows", () => {
    expect(check(disk(`  recoveryPoint: { latestBefore: 2026-01-01T00:00:00Z }\n  target: { disk: ${diskId("app_disk-restored")} }`))).toEqual([]);
    expect(check(pgflex(`  recoveryPoint: latest\n  target: { files: { containerUrl: "${CONTAINER_URL}", filePrefix: pg1, containerId: "${CONTAINER_ID}" } }`))).toEqual([]);
    expect(check(lake(`  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }\n  items:\n    containers: [fs1, { name: fs2, prefixes: [raw/2024/] }, { name: fs3, renameTo: fs3-restored }]`))).toEqual([]);
    expect(check(blob(`  recoveryPoint: latest\n  target: { storageAccount: ${ACCOUNT} }\n  items:\n    containers: [{ name: invoices, renameTo: invoices-2021 }]\n    prefixes: [logs/app]`))).toEqual([]);
  });
});
