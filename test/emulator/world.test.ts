import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { CloudError } from "../../api/types";
import { sourceServerVersion } from "../../emulator/kinds/postgresql";
import type { RunningEmulator } from "../../emulator/server";
import { loadDefaultWorld, parseWorld, worldFromObject, type WorldFile } from "../../emulator/world";
import { BLOB_BI_NAME, call, PG_BI_NAME, pollToEnd, RP, SECRET, startTestEmulator, SUB } from "./helpers";

/** The world: the default one has the seeds' names; worlds with many targets are easy to write. */

describe("default world", () => {
  test("has the seeds' names", () => {
    const world = loadDefaultWorld();
    expect(world.subscription(SUB)).toBeDefined();
    const vault = world.vault(SUB, "testBkpVaultRG", "testBkpVault");
    expect(vault?.location).toBe("westus");
    const blob = vault?.instances.find((bi) => bi.name === BLOB_BI_NAME);
    expect(blob?.dataSourceInfo.resourceID).toBe(`/subscriptions/${SUB}/resourceGroups/RG-BlobBackup/providers/Microsoft.Storage/storageAccounts/msblobbackup`);
    expect(blob?.restorableTimeRanges?.[0]).toMatchObject({ startTime: "2021-07-06T18:46:45.947728Z", endTime: "2021-07-08T18:46:45.9932408Z" });
    const pg = vault?.instances.find((bi) => bi.name === PG_BI_NAME);
    const rp = pg?.points.find((p) => p.id === RP);
    expect(rp?.time).toBe("2021-10-21T16:31:16.8316716Z");
    expect(rp?.details.map((d) => d.type)).toEqual(["VaultStore", "ArchiveStore"]);
    expect(sourceServerVersion(world, pg!)).toBe("10");
    expect(world.postgresqlServer(`/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver`)?.version).toBe("11");
    expect(world.postgresqlServer(`/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver95`)?.version).toBe("9.5");
    expect(world.storageAccountByName("testossstorageaccount")?.containers).toContain("testcontainerrestore");
    expect(world.secretExists(SECRET)).toBe(true);
    expect(world.settings.durations.restoreJob).toBe("PT4M16.2830187S");
  });
});

describe("invalid worlds are refused with the offending path", () => {
  const base = (): WorldFile => ({ subscriptions: [{ id: SUB, resourceGroups: [{ name: "rg", location: "westus" }] }] });
  test("unknown keys", () => {
    expect(() => worldFromObject({ ...base(), vault: [] })).toThrow(/'vault'/);
    expect(() => parseWorld("subscriptions:\n  - id: nope\n    resourceGroups: []\n")).toThrow(/\/subscriptions\/0\/id/);
  });
  test("a vault in a resource group the subscriptions do not list", () => {
    expect(() => worldFromObject({ ...base(), vaults: [{ subscriptionId: SUB, resourceGroup: "other", name: "v", location: "westus" }] })).toThrow(/resource group other/);
  });
  test("times and durations", () => {
    const world = base();
    world.vaults = [
      {
        subscriptionId: SUB,
        resourceGroup: "rg",
        name: "v",
        location: "westus",
        backupInstances: [{ name: "b", policyName: "p", dataSourceInfo: { resourceID: "/x" }, restorableTimeRanges: [{ startTime: "yesterday", endTime: "now" }], restoreJob: { duration: "4 minutes" } }],
      },
    ];
    expect(() => worldFromObject(world)).toThrow(/startTime 'yesterday'[\s\S]*restoreJob.duration '4 minutes'/);
  });
});

describe("many targets", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startTestEmulator();
  });
  afterAll(async () => {
    await emu.stop();
  });
  beforeEach(() => emu.control.reset());

  /** A world with `n` storage accounts, each protected by a blob instance, and `n` PostgreSQL servers. */
  function manyTargets(n: number): WorldFile {
    const account = (i: number) => `/subscriptions/${SUB}/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/account${i}`;
    return {
      subscriptions: [{ id: SUB, resourceGroups: [{ name: "backup", location: "westus" }, { name: "data", location: "westus" }] }],
      vaults: [
        {
          subscriptionId: SUB,
          resourceGroup: "backup",
          name: "vault",
          location: "westus",
          backupInstances: Array.from({ length: n }, (_, i) => ({
            name: `account${i}`,
            policyName: "policy",
            dataSourceInfo: { resourceID: account(i), datasourceType: "Microsoft.Storage/storageAccounts/blobServices", resourceName: `account${i}` },
            restorableTimeRanges: [{ startTime: "2024-01-01T00:00:00Z", endTime: "now" }],
          })),
        },
      ],
      storageAccounts: Array.from({ length: n }, (_, i) => ({ id: account(i), containers: ["data"] })),
      postgresqlServers: Array.from({ length: n }, (_, i) => ({ id: `/subscriptions/${SUB}/resourceGroups/data/providers/Microsoft.DBforPostgreSQL/servers/server${i}`, version: "16" })),
    };
  }

  test("12 restores on 12 storage accounts run at once; a 13th on a busy account is refused", async () => {
    emu.control.loadWorld(manyTargets(12));
    const path = (i: number) => `/subscriptions/${SUB}/resourceGroups/backup/providers/Microsoft.DataProtection/backupVaults/vault/backupInstances/account${i}/restore?api-version=2024-04-01`;
    const body = (i: number) => ({
      objectType: "AzureBackupRecoveryTimeBasedRestoreRequest",
      sourceDataStoreType: "OperationalStore",
      recoveryPointTime: "2024-06-01T00:00:00Z",
      restoreTargetInfo: {
        objectType: "RestoreTargetInfo",
        recoveryOption: "FailIfExists",
        datasourceInfo: { objectType: "Datasource", datasourceType: "Microsoft.Storage/storageAccounts/blobServices", resourceID: `/subscriptions/${SUB}/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/account${i}` },
      },
    });
    const accepted = await Promise.all(Array.from({ length: 12 }, (_, i) => call(emu, "POST", path(i), { body: body(i) })));
    expect(accepted.map((r) => r.status)).toEqual(Array(12).fill(202));
    const done = await Promise.all(accepted.map((r) => pollToEnd(emu, String(r.headers["azure-asyncoperation"]), 1)));
    expect(done.map((d) => d.body.status)).toEqual(Array(12).fill("Succeeded"));
    expect(emu.control.jobs()).toHaveLength(12);
    const busy = await call<CloudError>(emu, "POST", path(0), { body: body(0) });
    expect(busy.status).toBe(409);
  });
});
