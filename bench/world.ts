/**
 * The reconcile benchmark's world and specs, generated in code: `accounts` storage accounts, each with a
 * blob backup instance (operational and vaulted tier) and two restores of it (a point in time of the
 * whole account, then the latest vaulted recovery point of a prefix: one after the other, since Azure
 * runs one blob restore per account at a time); `servers` PostgreSQL source databases, each with a
 * backup instance and two restores into new databases of its own target server (one from a recovery
 * point ID, one from `latest`: they run side by side). With 50 and 50 that is 200 restores.
 *
 * Durations and Retry-After values come from the emulator's default world (the seeds' operations and
 * jobs): validateRestore 22 s, restore 4 s, blob restore job 4m16.28s, PostgreSQL restore job 6m42s.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parseDuration } from "../emulator/format";
import type { BackupInstanceSpec, WorldFile, WorldSettings } from "../emulator/world";
import { prng } from "../emulator/faults";
import { SUB } from "./specs";

const ROOT = path.join(__dirname, "..");
const VAULT_RG = "bench-vaults";
const STORAGE_RG = "bench-storage";
const PG_RG = "bench-pg";
const TARGET_RG = "bench-targets";
const BLOB_VAULT = "bench-blob-vault";
const PG_VAULT = "bench-pg-vault";
const SECRET = "https://bench-kv.vault.azure.net/secrets/pgadmin";
const LOCATION = "westus";

export interface ReconcileSpec {
  name: string;
  text: string;
  /** blob, pg (bench/world.ts) or a name of bench/kinds-world.ts. */
  kind: string;
  /** The backup instance (its name): restores of one instance run one after another where the service allows one at a time. */
  instance?: string;
  /** Restores with the same key run one after another (the provider's lock, Azure's rule). */
  lockKey: string;
  /** Virtual seconds of the restore job. */
  jobSeconds: number;
  /** What the plan reads about the recovery point: nothing, one GET, or the listing. */
  recoveryPoint: "none" | "get" | "list";
  /** Vault of the backup instance (its job list). */
  vault: string;
}

export interface ReconcileSetup {
  world: WorldFile;
  specs: ReconcileSpec[];
  settings: WorldSettings["durations"] & { retryAfter: WorldSettings["retryAfterSeconds"]; pageSize: number };
  /** Virtual seconds, from the world. */
  seconds: { validateRestore: number; restore: number; blobJob: number; pgJob: number };
}

interface DefaultWorld {
  settings: { durations: WorldSettings["durations"]; retryAfterSeconds: WorldSettings["retryAfterSeconds"]; pageSize?: number };
  vaults: Array<{ backupInstances: BackupInstanceSpec[] }>;
}

/** Durations, Retry-After and page size of the emulator's default world (the seeds). */
export function seedTimings(): { settings: DefaultWorld["settings"]; blobJob: string; pgJob: string } {
  const world = YAML.parse(fs.readFileSync(path.join(ROOT, "emulator", "worlds", "default.yaml"), "utf8")) as DefaultWorld;
  const instances = world.vaults.flatMap((v) => v.backupInstances);
  const blob = instances.find((bi) => /blobServices$/i.test(bi.dataSourceInfo.datasourceType ?? ""))!;
  const pg = instances.find((bi) => /PostgreSQL/i.test(bi.dataSourceInfo.datasourceType ?? ""))!;
  return { settings: world.settings, blobJob: blob.restoreJob?.duration ?? world.settings.durations.restoreJob, pgJob: pg.restoreJob?.duration ?? world.settings.durations.restoreJob };
}

function seconds(duration: string): number {
  const ms = parseDuration(duration);
  if (ms === undefined) throw new Error(`not a duration: ${duration}`);
  return ms / 1000;
}

function pad(i: number): string {
  return String(i).padStart(2, "0");
}

function hex(i: number, salt: string): string {
  // A stable 32-hex-digit ID (recovery point IDs look like this in Azure).
  let h = 2166136261 ^ i;
  let out = "";
  for (const c of `${salt}:${i}`.repeat(4)) {
    h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += (h & 15).toString(16);
  }
  return out.slice(0, 32);
}

/**
 * `spread` > 0 varies each backup instance's restore job duration by up to that fraction either way
 * (seeded): real accounts and databases differ in size, and a follower that learns durations must not
 * depend on them all being equal.
 */
export function reconcileSetup(accounts = 50, servers = 50, spread = 0): ReconcileSetup {
  const random = prng(20261121);
  const vary = (duration: string): string => (spread > 0 ? `PT${(seconds(duration) * (1 + spread * (2 * random() - 1))).toFixed(3)}S` : duration);
  const seed = seedTimings();
  const blobJob = seed.blobJob;
  const pgJob = seed.pgJob;
  const points = (i: number, salt: string, stores: string[]) =>
    Array.from({ length: 5 }, (_, k) => ({
      id: hex(i * 10 + k, salt),
      time: new Date(Date.UTC(2021, 9, 16 + k, 16, 30, 41)).toISOString(),
      dataStores: stores,
    }));

  const storageAccounts: NonNullable<WorldFile["storageAccounts"]> = [];
  const blobInstances: BackupInstanceSpec[] = [];
  const specs: ReconcileSpec[] = [];
  const header = (kind: string, name: string) => `apiVersion: azure-restores/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  ticket: BENCH-${name}\n`;

  for (let i = 0; i < accounts; i++) {
    const account = `benchsa${pad(i)}`;
    const accountId = `/subscriptions/${SUB}/resourceGroups/${STORAGE_RG}/providers/Microsoft.Storage/storageAccounts/${account}`;
    const instance = `${account}-${hex(i, "blob").slice(0, 8)}`;
    const jobDuration = vary(blobJob);
    storageAccounts.push({ id: accountId, location: LOCATION, containers: ["data", "logs"] });
    const datasource = {
      datasourceType: "Microsoft.Storage/storageAccounts/blobServices",
      objectType: "Datasource",
      resourceID: accountId,
      resourceLocation: LOCATION,
      resourceName: account,
      resourceType: "Microsoft.Storage/storageAccounts",
      resourceUri: "",
    };
    blobInstances.push({
      name: instance,
      friendlyName: account,
      dataSourceInfo: datasource,
      dataSourceSetInfo: { ...datasource, objectType: "DatasourceSet", resourceUri: accountId },
      policyName: "BlobBackup-Policy",
      restorableTimeRanges: [{ sourceDataStoreType: "OperationalStore", startTime: "2021-07-01T00:00:00Z", endTime: "now" }],
      recoveryPoints: points(i, "blobrp", ["VaultStore"]),
      restoreJob: { duration: jobDuration },
    });
    const ref = `  backupInstance: { resourceGroup: ${VAULT_RG}, vault: ${BLOB_VAULT}, name: ${instance} }\n`;
    const lockKey = `storageAccount:${accountId.toLowerCase()}`;
    const common = { kind: "blob" as const, lockKey, jobSeconds: seconds(jobDuration), vault: BLOB_VAULT, instance };
    specs.push({ ...common, name: `${account}-pit`, recoveryPoint: "none", text: `${header("BlobRestore", `${account}-pit`)}spec:\n${ref}  pointInTime: 2021-07-08T00:00:00Z\n` });
    specs.push({ ...common, name: `${account}-vaulted`, recoveryPoint: "list", text: `${header("BlobRestore", `${account}-vaulted`)}spec:\n${ref}  recoveryPoint: latest\n  items:\n    prefixes: [data/2021/]\n` });
  }

  const pgInstances: BackupInstanceSpec[] = [];
  const postgresqlServers: NonNullable<WorldFile["postgresqlServers"]> = [];
  for (let i = 0; i < servers; i++) {
    const source = `bench-pgsrc-${pad(i)}`;
    const target = `bench-pgtgt-${pad(i)}`;
    const sourceServerId = `/subscriptions/${SUB}/resourceGroups/${PG_RG}/providers/Microsoft.DBforPostgreSQL/servers/${source}`;
    const targetServerId = `/subscriptions/${SUB}/resourceGroups/${TARGET_RG}/providers/Microsoft.DBforPostgreSQL/servers/${target}`;
    postgresqlServers.push({ id: sourceServerId, location: LOCATION, version: "11", databases: ["postgres", "appdb"] });
    postgresqlServers.push({ id: targetServerId, location: LOCATION, version: "12", databases: ["postgres"] });
    const instance = `${source}-appdb-${hex(i, "pg").slice(0, 8)}`;
    const rps = points(i, "pgrp", ["VaultStore"]);
    const jobDuration = vary(pgJob);
    pgInstances.push({
      name: instance,
      friendlyName: `${source}\\appdb`,
      dataSourceInfo: {
        datasourceType: "Microsoft.DBforPostgreSQL/servers/databases",
        objectType: "Datasource",
        resourceID: `${sourceServerId}/databases/appdb`,
        resourceLocation: LOCATION,
        resourceName: "appdb",
        resourceType: "Microsoft.DBforPostgreSQL/servers/databases",
        resourceUri: "",
      },
      dataSourceSetInfo: {
        datasourceType: "Microsoft.DBforPostgreSQL/servers/databases",
        objectType: "DatasourceSet",
        resourceID: sourceServerId,
        resourceLocation: LOCATION,
        resourceName: source,
        resourceType: "Microsoft.DBforPostgreSQL/servers",
        resourceUri: "",
      },
      datasourceAuthCredentials: { objectType: "SecretStoreBasedAuthCredentials", secretStoreResource: { secretStoreType: "AzureKeyVault", uri: SECRET } },
      policyName: "osspol3",
      recoveryPoints: rps,
      restoreJob: { duration: jobDuration },
    });
    const ref = `  backupInstance: /subscriptions/${SUB}/resourceGroups/${VAULT_RG}/providers/Microsoft.DataProtection/backupVaults/${PG_VAULT}/backupInstances/${instance}\n`;
    const db = (name: string) => `  target:\n    database:\n      id: ${targetServerId}/databases/${name}\n      credentialsSecretUri: ${SECRET}\n`;
    const common = { kind: "pg" as const, jobSeconds: seconds(jobDuration), vault: PG_VAULT, instance };
    specs.push({
      ...common,
      name: `${source}-by-id`,
      recoveryPoint: "get",
      lockKey: `database:${targetServerId.toLowerCase()}/databases/restored-a`,
      text: `${header("PostgreSQLRestore", `${source}-by-id`)}spec:\n${ref}  recoveryPoint: ${rps[2].id}\n${db("restored-a")}`,
    });
    specs.push({
      ...common,
      name: `${source}-latest`,
      recoveryPoint: "list",
      lockKey: `database:${targetServerId.toLowerCase()}/databases/restored-b`,
      text: `${header("PostgreSQLRestore", `${source}-latest`)}spec:\n${ref}  recoveryPoint: latest\n${db("restored-b")}`,
    });
  }

  const world: WorldFile = {
    settings: {
      pageSize: seed.settings.pageSize ?? 10,
      durations: seed.settings.durations,
      retryAfterSeconds: seed.settings.retryAfterSeconds,
    },
    subscriptions: [
      {
        id: SUB,
        resourceGroups: [VAULT_RG, STORAGE_RG, PG_RG, TARGET_RG].map((name) => ({ name, location: LOCATION })),
      },
    ],
    vaults: [
      { subscriptionId: SUB, resourceGroup: VAULT_RG, name: BLOB_VAULT, location: LOCATION, backupInstances: blobInstances },
      { subscriptionId: SUB, resourceGroup: VAULT_RG, name: PG_VAULT, location: LOCATION, backupInstances: pgInstances },
    ],
    storageAccounts,
    postgresqlServers,
    keyVaultSecrets: [SECRET],
  };
  const d = seed.settings.durations;
  return {
    world,
    specs,
    settings: { ...d, retryAfter: seed.settings.retryAfterSeconds, pageSize: world.settings!.pageSize! },
    seconds: { validateRestore: seconds(d.validateRestore), restore: seconds(d.restore), blobJob: seconds(blobJob), pgJob: seconds(pgJob) },
  };
}
