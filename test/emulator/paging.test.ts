import * as fs from "fs";
import { describe, expect, test } from "vitest";
import * as YAML from "yaml";
import type { AzureBackupJobResource, AzureBackupRecoveryPointResource, BackupInstanceResource, CloudError, ResourceList } from "../../api/types";
import { defaultWorldPath, type WorldFile } from "../../emulator/world";
import { BV, call, expectDefinition, PG_BI, pollToEnd, SECRET, TARGET_SERVER, useTestEmulator } from "./helpers";

/** Paging by nextLink, and $filter on recovery points. */

const V = "2021-07-01";
type RpList = ResourceList<AzureBackupRecoveryPointResource>;

const emu = useTestEmulator();

function worldWithPageSize(pageSize: number): WorldFile {
  const world = YAML.parse(fs.readFileSync(defaultWorldPath(), "utf8")) as WorldFile;
  world.settings = { ...world.settings, pageSize };
  return world;
}

async function all<T>(first: string): Promise<{ pages: number; items: T[]; links: string[] }> {
  const items: T[] = [];
  const links: string[] = [];
  let url: string | undefined = first;
  let pages = 0;
  while (url) {
    const res: { status: number; body: ResourceList<T> } = await call<ResourceList<T>>(emu, "GET", url);
    expect(res.status).toBe(200);
    pages++;
    items.push(...(res.body.value ?? []));
    url = res.body.nextLink;
    if (url) links.push(url);
  }
  return { pages, items, links };
}

describe("recovery points", () => {
  test("a page holds pageSize points, newest first, and nextLink leads to the rest", async () => {
    const first = await call<RpList>(emu, "GET", `${PG_BI}/recoveryPoints?api-version=${V}`);
    expect(first.body.value).toHaveLength(10);
    expect(first.body.nextLink).toMatch(new RegExp(`^${emu.url.replace(/\./g, "\\.")}${PG_BI}/recoveryPoints\\?api-version=${V}&\\$skipToken=[A-Za-z0-9_-]+$`));
    expectDefinition(V, "AzureBackupRecoveryPointResourceList", first.body);
    const { pages, items } = await all<AzureBackupRecoveryPointResource>(`${PG_BI}/recoveryPoints?api-version=${V}`);
    expect(pages).toBe(2);
    expect(items).toHaveLength(11);
    expect(new Set(items.map((i) => i.name)).size).toBe(11);
    const times = items.map((i) => Date.parse(i.properties?.recoveryPointTime ?? ""));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  test("$filter on startDate and endDate (the CLI's form) keeps points in between", async () => {
    const filter = encodeURIComponent("startDate eq '2021-10-18T00:00:00Z' and endDate eq '2021-10-21T23:59:59Z'");
    const res = await call<RpList>(emu, "GET", `${PG_BI}/recoveryPoints?api-version=${V}&$filter=${filter}`);
    expect(res.status).toBe(200);
    expect(res.body.value?.map((rp) => rp.properties?.recoveryPointTime?.slice(0, 10))).toEqual(["2021-10-21", "2021-10-20", "2021-10-19", "2021-10-18"]);
    expect(res.body.nextLink).toBeUndefined();
    // only a start
    const after = await call<RpList>(emu, "GET", `${PG_BI}/recoveryPoints?api-version=${V}&$filter=${encodeURIComponent("startDate eq '2021-10-21T00:00:00Z'")}`);
    expect(after.body.value?.map((rp) => rp.name)).toEqual(["3f1c2b0a9d8e4f7a8b6c5d4e3f2a1b0c", "eb006fde78cb47198be5a320fbe45e9b"]);
  });

  test("nextLink keeps the $filter", async () => {
    emu.control.loadWorld(worldWithPageSize(2));
    const filter = encodeURIComponent("startDate eq '2021-10-15T00:00:00Z' and endDate eq '2021-10-22T23:59:59Z'");
    const { pages, items, links } = await all<AzureBackupRecoveryPointResource>(`${PG_BI}/recoveryPoints?api-version=${V}&$filter=${filter}`);
    expect(items).toHaveLength(8);
    expect(pages).toBe(4);
    for (const link of links) expect(new URL(link).searchParams.get("$filter")).toBe(decodeURIComponent(filter));
  });

  test("a bad $filter or $skipToken gets 400", async () => {
    for (const q of [`$filter=${encodeURIComponent("startDate gt '2021-10-18T00:00:00Z'")}`, `$filter=${encodeURIComponent("color eq 'blue'")}`, `$filter=${encodeURIComponent("startDate eq 'yesterday'")}`, "$skipToken=garbage"]) {
      const res = await call<CloudError>(emu, "GET", `${PG_BI}/recoveryPoints?api-version=${V}&${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error?.code).toMatch(/^UserErrorInvalid(Filter|SkipToken)$/);
    }
  });
});

describe("backup instances and jobs", () => {
  test("backup instances page by nextLink", async () => {
    const world = worldWithPageSize(2);
    const count = world.vaults?.[0].backupInstances?.length ?? 0;
    emu.control.loadWorld(world);
    const { pages, items } = await all<BackupInstanceResource>(`${BV}/backupInstances?api-version=${V}`);
    expect(count).toBeGreaterThan(2);
    expect(pages).toBe(Math.ceil(count / 2));
    expect(new Set(items.map((i) => i.name)).size).toBe(count);
  });

  test("jobs page by nextLink, newest first", async () => {
    emu.control.loadWorld(worldWithPageSize(2));
    for (const db of ["r1", "r2", "r3"]) {
      const body = {
        objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
        sourceDataStoreType: "VaultStore",
        recoveryPointId: "eb006fde78cb47198be5a320fbe45e9b",
        restoreTargetInfo: {
          objectType: "RestoreTargetInfo",
          recoveryOption: "FailIfExists",
          datasourceInfo: { objectType: "Datasource", datasourceType: "Microsoft.DBforPostgreSQL/servers/databases", resourceID: `${TARGET_SERVER}/databases/${db}` },
          datasourceAuthCredentials: { objectType: "SecretStoreBasedAuthCredentials", secretStoreResource: { secretStoreType: "AzureKeyVault", uri: SECRET } },
        },
      };
      const res = await call(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body });
      expect((await pollToEnd(emu, String(res.headers["azure-asyncoperation"]))).body.status).toBe("Succeeded");
      emu.control.advance(1);
    }
    const { pages, items } = await all<AzureBackupJobResource>(`${BV}/backupJobs?api-version=${V}`);
    expect(pages).toBe(2);
    const jobs = await Promise.all(items.map((j) => call<AzureBackupJobResource>(emu, "GET", `${j.id}?api-version=${V}`)));
    expect(jobs.map((j) => j.body.properties?.extendedInfo?.recoveryDestination?.split("/").pop())).toEqual(["r3", "r2", "r1"]);
  });
});
