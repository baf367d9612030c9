/**
 * 50 restores in one run, across 10 storage accounts and 10 PostgreSQL servers, through one provider
 * host as `pulumi up` runs them (all at once): every restore finishes, and restore jobs on one storage
 * account never overlap (and the service never had to refuse one for a busy account), and the vault's job
 * list is read once for the run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import type { WorldFile } from "../../emulator/world";
import { FakeEngine, runProgram, type Registration } from "../../harness/engine";
import { emulatorConfig, startProviderHost } from "../../harness/host";

const root = path.join(__dirname, "..", "..");
const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const ACCOUNTS = 10;
const SERVERS = 10;
const BLOB_PER_ACCOUNT = 3;
const PG_PER_SERVER = 2;
const account = (i: number) => `concblob${String(i).padStart(2, "0")}`;
const accountId = (i: number) => `/subscriptions/${SUB}/resourceGroups/rg-conc/providers/Microsoft.Storage/storageAccounts/${account(i)}`;
const server = (i: number) => `concpg${String(i).padStart(2, "0")}`;

function world(): WorldFile {
  const base = parse(fs.readFileSync(path.join(root, "emulator", "worlds", "default.yaml"), "utf8")) as WorldFile;
  base.subscriptions[0].resourceGroups.push({ name: "rg-conc", location: "westus" });
  // The vault's identity restores into the new accounts and servers as into the seeds' (README, Permissions).
  const principalId = base.vaults![0].identity!.principalId!;
  base.roleAssignments!.push({ scope: `/subscriptions/${SUB}/resourceGroups/rg-conc`, role: "Storage Account Backup Contributor", principalId }, { scope: `/subscriptions/${SUB}/resourceGroups/rg-conc`, role: "Reader", principalId });
  for (let i = 1; i <= ACCOUNTS; i++) {
    base.storageAccounts!.push({ id: accountId(i), location: "westus", containers: ["data"] });
    base.vaults![0].backupInstances!.push({
      name: `${account(i)}-instance`,
      friendlyName: account(i),
      dataSourceInfo: {
        datasourceType: "Microsoft.Storage/storageAccounts/blobServices",
        objectType: "Datasource",
        resourceID: accountId(i),
        resourceLocation: "westus",
        resourceName: account(i),
        resourceType: "Microsoft.Storage/storageAccounts",
        resourceUri: "",
      },
      policyName: "BlobBackup-Policy",
      restorableTimeRanges: [{ sourceDataStoreType: "OperationalStore", startTime: "2021-07-01T00:00:00Z", endTime: "now" }],
    } as never);
  }
  for (let i = 1; i <= SERVERS; i++) {
    base.postgresqlServers!.push({ id: `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/${server(i)}`, location: "westus", version: "12", databases: ["postgres"] });
  }
  return base;
}

let emulator: RunningEmulator;
let registrations: Registration[];

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 600, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs"), world: world() });
  const template = runProgram({ "azure-restores:specs": "restores" }).registrations[0];
  const reg = (name: string, spec: Record<string, unknown>): Registration => ({
    type: template.type,
    name,
    inputs: { __provider: template.inputs.__provider, specFile: `restores/${name}.yaml`, lookalikes: 1, spec: { apiVersion: "azure-restores/v1", metadata: { name }, ...spec } },
  });
  registrations = [];
  for (let i = 1; i <= ACCOUNTS; i++) {
    for (let k = 0; k < BLOB_PER_ACCOUNT; k++) {
      registrations.push(
        reg(`${account(i)}-at-${k}`, { kind: "BlobRestore", spec: { backupInstance: { resourceGroup: "testBkpVaultRG", vault: "testBkpVault", name: `${account(i)}-instance` }, pointInTime: `2021-07-1${k}T00:00:00Z` } }),
      );
    }
  }
  for (let i = 1; i <= SERVERS; i++) {
    for (let k = 0; k < PG_PER_SERVER; k++) {
      registrations.push(
        reg(`${server(i)}-db${k}`, {
          kind: "PostgreSQLRestore",
          spec: {
            backupInstance: { resourceGroup: "testBkpVaultRG", vault: "testBkpVault", name: "testpostgresql-empdb11-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e" },
            recoveryPoint: "eb006fde78cb47198be5a320fbe45e9b",
            target: { database: { id: `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/${server(i)}/databases/db${k}`, credentialsSecretUri: "https://vikottur-test.vault.azure.net/secrets/dbauth3" } },
          },
        }),
      );
    }
  }
});

afterAll(async () => {
  await emulator?.stop();
});

describe("50 restores over 10 storage accounts and 10 PostgreSQL servers in one run", () => {
  it("all finish, one job each, and jobs on one storage account never overlap", async () => {
    expect(registrations).toHaveLength(50);
    const host = await startProviderHost();
    try {
      await host.configure(emulatorConfig(emulator));
      const engine = new FakeEngine();
      const steps = await engine.up(host, registrations);
      expect(steps.filter((s) => s.op !== "create")).toEqual([]);
      expect([...engine.state.values()].every((e) => e.outputs.status === "Completed")).toBe(true);

      const jobs = emulator.control.jobs();
      expect(jobs).toHaveLength(50);
      const restores = emulator.control.requestLog({ route: "restore", method: "POST" });
      expect(restores.map((e) => e.status)).toEqual(Array(50).fill(202));
      // The vault's job list is read once for the run (its pages), before any restore, not once per restore.
      const listings = emulator.control.requestLog({ route: "listJobs" });
      expect(listings.length).toBeGreaterThan(0);
      expect(listings.length).toBeLessThanOrEqual(Math.ceil(emulator.control.jobs().length / 10));
      const firstRestore = Math.min(...restores.map((e) => Date.parse(e.startedAt)));
      expect(listings.every((e) => Date.parse(e.startedAt) <= firstRestore)).toBe(true);
      for (let i = 1; i <= ACCOUNTS; i++) {
        const onAccount = jobs
          .filter((j) => j.properties?.extendedInfo?.recoveryDestination?.toLowerCase() === accountId(i).toLowerCase())
          .map((j) => ({ start: Date.parse(j.properties!.startTime), end: Date.parse(j.properties!.endTime!) }))
          .sort((a, b) => a.start - b.start);
        expect(onAccount).toHaveLength(BLOB_PER_ACCOUNT);
        for (let k = 1; k < onAccount.length; k++) expect(onAccount[k].start).toBeGreaterThanOrEqual(onAccount[k - 1].end);
      }
    } finally {
      await host.stop();
    }
  });
});
