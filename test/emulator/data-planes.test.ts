import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { describe, expect, test } from "vitest";
import type { AzureBackupJobResource, AzureBackupRestoreRequest } from "../../api/types";
import { credentialFor } from "../../client/credentials";
import { DataProtectionClient } from "../../client/client";
import type { DrillVerify } from "../../drills/spec";
import { commandEnvironment, verifyRestore, type RestoredData } from "../../verify";
import { parseConnectionString, verifyIOFor } from "../../verify/io";
import { testDataPlanes } from "../helpers/data-planes";
import { call, PG_BI, PG_BI_NAME, pgDatabaseRestore, RP, SECRET, TARGET_SERVER, useTestEmulator } from "./helpers";
import { DISK_BI, diskId, editedWorld, expectAccepted, V } from "./kind-helpers";

/**
 * The emulator's data planes against the real Azurite and PostgreSQL globalSetup started: completed
 * restores write files and databases a drill's checks then read through verify/ (verifyRestore over
 * verifyIOFor, the reads a drill makes), and each bad-data switch makes the check that reads it fail.
 */

const planes = testDataPlanes();
const emu = useTestEmulator({ dataPlanes: planes });
const CONTAINER_URL = "https://testossstorageaccount.blob.core.windows.net/testcontainerrestore";
const unique = (lead: string) => `${lead}${crypto.randomBytes(4).toString("hex")}`;

const blobs = () => new BlobServiceClient(planes.blobEndpoint, new StorageSharedKeyCredential(planes.blobAccountName, planes.blobAccountKey));
async function listed(container: string, prefix: string): Promise<Array<{ name: string; size: number }>> {
  const out: Array<{ name: string; size: number }> = [];
  for await (const b of blobs().getContainerClient(container).listBlobsFlat({ prefix })) out.push({ name: b.name, size: b.properties.contentLength ?? 0 });
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
async function download(container: string, name: string): Promise<string> {
  return (await blobs().getContainerClient(container).getBlobClient(name).downloadToBuffer()).toString("utf8");
}
async function databaseExists(name: string): Promise<boolean> {
  const c = new Client({ connectionString: planes.postgresUrl });
  await c.connect();
  try {
    return (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
  } finally {
    await c.end();
  }
}

function filesRequest(prefix: string, url = CONTAINER_URL): AzureBackupRestoreRequest {
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    sourceDataStoreType: "VaultStore",
    recoveryPointId: RP,
    restoreTargetInfo: { objectType: "RestoreFilesTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "westus", targetDetails: { url, filePrefix: prefix, restoreTargetLocationType: "AzureBlobs" } },
  };
}

function diskRequest(target: string): AzureBackupRestoreRequest {
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    recoveryPointId: "6f1c2a3b4d5e4f60718293a4b5c6d7e8",
    sourceDataStoreType: "OperationalStore",
    restoreTargetInfo: {
      objectType: "RestoreTargetInfo",
      recoveryOption: "FailIfExists",
      restoreLocation: "westus",
      datasourceInfo: { datasourceType: "Microsoft.Compute/disks", objectType: "Datasource", resourceID: target, resourceLocation: "westus", resourceName: target.split("/").pop(), resourceType: "Microsoft.Compute/disks", resourceUri: "" },
    },
  };
}

/** The job's status once the clock has moved past its end (the GET answers after the data planes are written). */
async function finish(jobId: string): Promise<string | undefined> {
  emu.control.advance(3600);
  return (await call<AzureBackupJobResource>(emu, "GET", `${jobId}?api-version=${V}`)).body.properties?.status;
}

function io() {
  const api = new DataProtectionClient({ endpoint: emu.url, apiVersion: V, credential: credentialFor("emulator"), ca: emu.caCert });
  return verifyIOFor({ credential: "emulator", blobEndpoint: planes.blobEndpoint, blobAccountName: planes.blobAccountName, blobAccountKey: planes.blobAccountKey, keyVaultEndpoint: emu.keyVaultEndpoint, ca: emu.caCert }, api);
}

async function check(verify: DrillVerify, data: RestoredData): Promise<{ passed: boolean; detail: string }> {
  const [result] = await verifyRestore(verify, data, io());
  return { passed: result.passed, detail: result.detail };
}

const filesData = (prefix: string, jobId?: string): RestoredData => ({ backupInstanceId: PG_BI, recoveryPointId: RP, ...(jobId ? { jobId } : {}), target: CONTAINER_URL, files: { containerUrl: CONTAINER_URL, prefix } });
const databaseData = (database: string): RestoredData => ({ backupInstanceId: PG_BI, recoveryPointId: RP, target: `${TARGET_SERVER}/databases/${database}`, database: { id: `${TARGET_SERVER}/databases/${database}`, credentialsSecretUri: SECRET } });

describe("restore as files", () => {
  test("writes the dump files into the container when the job completes, not before: listed with their sizes, the rows in the database file", async () => {
    const prefix = unique("drill");
    const job = await expectAccepted(emu, PG_BI, filesRequest(prefix));
    await emu.control.settle();
    expect(await listed("testcontainerrestore", prefix)).toEqual([]);
    expect(await finish(job.id)).toBe("Completed");
    const files = await listed("testcontainerrestore", prefix);
    expect(files.map((f) => f.name)).toEqual([`${prefix}_database_empdb11.sql`, `${prefix}_roles.sql`, `${prefix}_schema.sql`, `${prefix}_tablespace.sql`]);
    for (const f of files) expect(f.size).toBeGreaterThan(0);
    const dump = await download("testcontainerrestore", `${prefix}_database_empdb11.sql`);
    expect(dump).toContain('CREATE TABLE public."orders"');
    expect(dump.match(/^\s+\(\d+, 'customer-\d+', [\d.]+, '[^']+'\)[,;]$/gm)).toHaveLength(10);
    expect(emu.control.dataPlaneWrites()).toMatchObject([{ job: job.id.split("/").pop(), restoredData: "present" }]);
    expect(emu.control.dataPlaneWrites()[0].wrote.sort()).toEqual(files.map((f) => `${CONTAINER_URL}/${f.name}`));
    expect(await check({ files: { minCount: 4, minBytes: 100 } }, filesData(prefix))).toMatchObject({ passed: true });
  });

  test("creates a container the world lists but Azurite lacks (a flexible server's files)", async () => {
    const prefix = unique("flex");
    const url = "https://testossstorageaccount.blob.core.windows.net/pgflexrestore";
    const request = { ...filesRequest(prefix, url), recoveryPointId: "a1b2c3d4e5f64718293a4b5c6d7e8f90" };
    const job = await expectAccepted(emu, `${PG_BI.replace(PG_BI_NAME, "pgflexorders-pgflexorders-cccc2c2c-dd3d-ee4e-ff5f-aaaaaa0a0a0a")}`, request);
    expect(await finish(job.id)).toBe("Completed");
    expect((await listed("pgflexrestore", prefix)).map((f) => f.name)).toContain(`${prefix}_database_pgflexorders.sql`);
  });

  test("a failed job writes nothing, and the files check fails", async () => {
    emu.control.addFaults([{ kind: "jobFails", count: 1 }]);
    const prefix = unique("failed");
    const job = await expectAccepted(emu, PG_BI, filesRequest(prefix));
    expect(await finish(job.id)).toBe("Failed");
    expect(await listed("testcontainerrestore", prefix)).toEqual([]);
    expect(emu.control.dataPlaneWrites()).toEqual([]);
    expect(await check({ files: {} }, filesData(prefix))).toMatchObject({ passed: false, detail: expect.stringContaining("0 file(s)") });
  });

  test("restoredData missing: no files, the check fails; empty: zero-byte files, the check fails on bytes", async () => {
    emu.control.setRestoredData("missing");
    const missing = unique("missing");
    expect(await finish((await expectAccepted(emu, PG_BI, filesRequest(missing))).id)).toBe("Completed");
    expect(await listed("testcontainerrestore", missing)).toEqual([]);
    expect(await check({ files: {} }, filesData(missing))).toMatchObject({ passed: false, detail: expect.stringContaining("0 file(s), 0 byte(s)") });

    emu.control.setRestoredData("empty", PG_BI_NAME);
    emu.control.setRestoredData("present");
    const empty = unique("empty");
    expect(await finish((await expectAccepted(emu, PG_BI, filesRequest(empty))).id)).toBe("Completed");
    const files = await listed("testcontainerrestore", empty);
    expect(files).toHaveLength(4);
    expect(files.every((f) => f.size === 0)).toBe(true);
    expect(await check({ files: { minCount: 4 } }, filesData(empty))).toMatchObject({ passed: false, detail: expect.stringContaining("4 file(s), 0 byte(s)") });
  });
});

describe("PostgreSQL database restore", () => {
  test("creates the database with the world's sample rows when the job completes; the sql check reads them with the Key Vault secret's credentials", async () => {
    emu.control.loadWorld(editedWorld((w) => (w.vaults![0].backupInstances!.find((b) => b.name === PG_BI_NAME)!.sampleData = { table: "invoices", rows: 25 })));
    const database = unique("drill");
    const job = await expectAccepted(emu, PG_BI, pgDatabaseRestore(database));
    await emu.control.settle();
    expect(await databaseExists(database)).toBe(false);
    expect(await finish(job.id)).toBe("Completed");
    expect(await databaseExists(database)).toBe(true);
    const result = await check({ sql: { query: "SELECT * FROM invoices", minRows: 25 } }, databaseData(database));
    expect(result).toEqual({ passed: true, detail: `SELECT * FROM invoices returned 25 row(s) in ${database} (wanted at least 25)` });
    expect(await check({ sql: { query: "SELECT * FROM invoices", minRows: 26 } }, databaseData(database))).toMatchObject({ passed: false });
  });

  test("restoredData empty: the database has the table and no rows; missing: no database; both fail the sql check", async () => {
    emu.control.setRestoredData("empty", PG_BI);
    const empty = unique("empty");
    expect(await finish((await expectAccepted(emu, PG_BI, pgDatabaseRestore(empty))).id)).toBe("Completed");
    expect(await databaseExists(empty)).toBe(true);
    expect(await check({ sql: { query: "SELECT * FROM orders" } }, databaseData(empty))).toEqual({ passed: false, detail: `SELECT * FROM orders returned 0 row(s) in ${empty} (wanted at least 1)` });

    emu.control.setRestoredData("missing", PG_BI);
    const missing = unique("missing");
    expect(await finish((await expectAccepted(emu, PG_BI, pgDatabaseRestore(missing))).id)).toBe("Completed");
    expect(await databaseExists(missing)).toBe(false);
    expect(await check({ sql: { query: "SELECT * FROM orders" } }, databaseData(missing))).toMatchObject({ passed: false, detail: expect.stringMatching(/^could not check: .*does not exist/) });
  });

  test("a failed job creates no database", async () => {
    emu.control.addFaults([{ kind: "jobFails", count: 1 }]);
    const database = unique("failed");
    expect(await finish((await expectAccepted(emu, PG_BI, pgDatabaseRestore(database))).id)).toBe("Failed");
    expect(await databaseExists(database)).toBe(false);
  });
});

describe("the Key Vault stand-in", () => {
  test("serves the world's secrets with Key Vault's shape, the configured PostgreSQL's connection string as the value", async () => {
    const res = await call<{ value: string; id: string; attributes: { enabled: boolean } }>(emu, "GET", `${emu.keyVaultEndpoint}/vikottur-test/secrets/dbauth3?api-version=7.4`, { token: null });
    expect(res.status).toBe(200);
    expect(res.body.id).toMatch(/^https:\/\/vikottur-test\.vault\.azure\.net\/secrets\/dbauth3\/[0-9a-f]{32}$/);
    expect(res.body.attributes.enabled).toBe(true);
    expect(res.body.value).toMatch(/^Server=127\.0\.0\.1;Port=\d+;User Id=postgres;Password=[0-9a-f]+;Database=postgres$/);
    const url = new URL(planes.postgresUrl);
    expect(parseConnectionString(res.body.value)).toEqual({ host: "127.0.0.1", port: Number(url.port), user: "postgres", password: url.password, ssl: false });
    expect(await io().secret(SECRET)).toBe(res.body.value);
    expect(emu.control.requestLog({ route: "keyVaultSecret" })).toHaveLength(2);
  });

  test("answers 404 SecretNotFound for a secret the world does not list", async () => {
    const res = await call<{ error: { code: string; message: string } }>(emu, "GET", `${emu.keyVaultEndpoint}/vikottur-test/secrets/nosuch?api-version=7.4`, { token: null });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("SecretNotFound");
    expect(res.body.error.message).toMatch(/^A secret with \(name\/id\) nosuch was not found in this key vault\./);
    await expect(io().secret("https://vikottur-test.vault.azure.net/secrets/nosuch")).rejects.toThrow("Key Vault answered 404");
  });
});

describe("disk restore", () => {
  test("the completed restore's disk is served; restoredData missing: it is not, and the exists check fails", async () => {
    const name = unique("drilldisk");
    const target = diskId(name);
    const job = await expectAccepted(emu, DISK_BI, diskRequest(target));
    expect(await check({ exists: true }, { backupInstanceId: DISK_BI, target })).toMatchObject({ passed: false });
    expect(await finish(job.id)).toBe("Completed");
    expect(await check({ exists: true }, { backupInstanceId: DISK_BI, target })).toEqual({ passed: true, detail: `${target} exists` });

    emu.control.setRestoredData("missing", DISK_BI);
    const gone = diskId(unique("gonedisk"));
    expect(await finish((await expectAccepted(emu, DISK_BI, diskRequest(gone))).id)).toBe("Completed");
    expect((await call(emu, "GET", `${gone}?api-version=2022-07-02`)).status).toBe(404);
    expect(await check({ exists: true }, { backupInstanceId: DISK_BI, target: gone })).toEqual({ passed: false, detail: `${gone} does not exist` });
  });
});

describe("a command check", () => {
  // A user's script as a drill runs it: it reads what was restored from the environment verify gives it.
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "drill-command-")), "check-files.js");
  fs.writeFileSync(
    script,
    `const { BlobServiceClient, StorageSharedKeyCredential } = require(${JSON.stringify(require.resolve("@azure/storage-blob"))});
const container = new URL(process.env.AZURE_RESTORES_CONTAINER_URL).pathname.split("/")[1];
const service = new BlobServiceClient(process.env.BLOB_ENDPOINT, new StorageSharedKeyCredential(process.env.BLOB_ACCOUNT, process.env.BLOB_KEY));
(async () => {
  let bytes = 0;
  for await (const b of service.getContainerClient(container).listBlobsFlat({ prefix: process.env.AZURE_RESTORES_FILE_PREFIX })) bytes += b.properties.contentLength;
  console.log(bytes + " bytes restored for " + process.env.AZURE_RESTORES_BACKUP_INSTANCE_ID.split("/").pop());
  process.exit(bytes > 0 ? 0 : 3);
})();
`,
  );
  const argv = ["env", `BLOB_ENDPOINT=${planes.blobEndpoint}`, `BLOB_ACCOUNT=${planes.blobAccountName}`, `BLOB_KEY=${planes.blobAccountKey}`, process.execPath, script];

  test("gets the restore's IDs in its environment and passes on the restored files, fails when they are missing", async () => {
    const good = unique("cmd");
    const job = await expectAccepted(emu, PG_BI, filesRequest(good));
    expect(await finish(job.id)).toBe("Completed");
    expect(commandEnvironment(filesData(good, job.id))).toMatchObject({ AZURE_RESTORES_FILE_PREFIX: good, AZURE_RESTORES_JOB_ID: job.id });
    expect(await check({ command: argv }, filesData(good, job.id))).toMatchObject({ passed: true, detail: expect.stringMatching(new RegExp(`exited 0: \\d+ bytes restored for ${PG_BI_NAME}$`)) });

    emu.control.setRestoredData("missing");
    const bad = unique("cmd");
    expect(await finish((await expectAccepted(emu, PG_BI, filesRequest(bad))).id)).toBe("Completed");
    expect(await check({ command: argv }, filesData(bad))).toMatchObject({ passed: false, detail: expect.stringContaining("exited 3: 0 bytes restored") });
  });
});

describe("the control API", () => {
  test("sets, lists and clears the bad-data switches; reports what was written", async () => {
    const put = await call(emu, "PUT", "/_emulator/restored-data", { body: { restoredData: "empty", backupInstance: PG_BI_NAME }, token: null });
    expect(put.body).toEqual({ restoredData: "present", backupInstances: { [PG_BI_NAME.toLowerCase()]: "empty" } });
    expect((await call(emu, "POST", "/_emulator/restored-data", { body: { restoredData: "missing" }, token: null })).body).toMatchObject({ restoredData: "missing" });
    expect((await call(emu, "PUT", "/_emulator/restored-data", { body: { restoredData: "wrong" }, token: null })).status).toBe(400);
    expect((await call(emu, "DELETE", "/_emulator/restored-data", { token: null })).body).toEqual({ restoredData: "present", backupInstances: {} });
    const status = await call(emu, "GET", "/_emulator/data-planes", { token: null });
    expect(status.body).toEqual({ blobEndpoint: planes.blobEndpoint, postgres: true, writes: [] });
  });

  test("reset clears the switches", async () => {
    emu.control.setRestoredData("missing");
    emu.control.reset();
    expect((await call(emu, "GET", "/_emulator/restored-data", { token: null })).body).toEqual({ restoredData: "present", backupInstances: {} });
  });
});
