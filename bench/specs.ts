/**
 * Generated restore specs for the benchmarks: every kind and form the spec language has (ARM ID or
 * parts, point in time, recovery point ID / latest / latestBefore, items, another target account,
 * database or files, archive tier with rehydration, RawRestore), plus a share of broken files so the
 * error paths (positions, suggestions) are part of what is measured. Deterministic (seeded PRNG).
 */
import * as fs from "fs";
import * as path from "path";
import { prng } from "../emulator/faults";

export const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const ROOT = path.join(__dirname, "..");

export type Facts = "blob" | "pg";

export interface GeneratedSpec {
  name: string;
  variant: string;
  /** Which backup instance's facts render it (offline). */
  facts: Facts;
  /** False for the deliberately broken files. */
  valid: boolean;
  text: string;
}

// ---- the backup instances offline rendering uses: the fixtures, as the API returns them -------------

const FIXTURES = path.join(ROOT, "test", "fixtures", "instances");
const BLOB_BI = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault/backupInstances/msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d";
const PG_BI = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault/backupInstances/testpostgresql-empdb11-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e";
const TARGET_SERVER = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver";
const SECRET = "https://vikottur-test.vault.azure.net/secrets/dbauth3";
const OTHER_ACCOUNT = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/targetrg/providers/Microsoft.Storage/storageAccounts/testossstorageaccount";

/** Recovery point IDs of the offline facts: daily points, the oldest few in the archive tier too. */
const POINTS = Array.from({ length: 12 }, (_, i) => ({
  id: `rp${String(i).padStart(2, "0")}${"0123456789abcdef".repeat(2).slice(0, 28)}`,
  time: new Date(Date.UTC(2021, 9, 10 + i, 16, 31, 16)).toISOString(),
  stores: i < 4 ? ["VaultStore", "ArchiveStore"] : ["VaultStore"],
}));

function recoveryPoints(instanceId: string): unknown[] {
  return POINTS.map((p) => ({
    id: `${instanceId}/recoveryPoints/${p.id}`,
    name: p.id,
    type: "Microsoft.DataProtection/backupVaults/backupInstances/recoveryPoints",
    properties: {
      objectType: "AzureBackupDiscreteRecoveryPoint",
      recoveryPointId: p.id,
      recoveryPointTime: p.time,
      recoveryPointType: "Full",
      recoveryPointDataStoresDetails: p.stores.map((type) => ({ type, visible: true, state: "COMMITTED" })),
    },
  }));
}

/** `{ blob: facts, pg: facts }` as planRestore takes them (BackupInstanceFacts). */
export function offlineFacts(): Record<Facts, { instance: unknown; recoveryPoints: unknown[] }> {
  const blob = JSON.parse(fs.readFileSync(path.join(FIXTURES, "msblobbackup.json"), "utf8")) as { id: string };
  const pg = JSON.parse(fs.readFileSync(path.join(FIXTURES, "testpostgresql-empdb11.json"), "utf8")) as { id: string };
  return { blob: { instance: blob, recoveryPoints: recoveryPoints(blob.id) }, pg: { instance: pg, recoveryPoints: recoveryPoints(pg.id) } };
}

// ---- the specs -----------------------------------------------------------------------------------------

function header(kind: string, name: string, r: () => number): string {
  const meta = [`  name: ${name}`];
  if (r() < 0.7) meta.push(`  ticket: CHG-${1000 + Math.floor(r() * 9000)}`);
  if (r() < 0.4) meta.push(`  requestedBy: team-${Math.floor(r() * 50)}@example.com`);
  if (r() < 0.3) meta.push(`  description: restore requested for incident review ${Math.floor(r() * 1e6)}`);
  if (r() < 0.2) meta.push(`  labels: { team: data-${Math.floor(r() * 20)}, env: prod }`);
  return `# yaml-language-server: $schema=../schemas/restore.schema.json\napiVersion: azure-restores/v1\nkind: ${kind}\nmetadata:\n${meta.join("\n")}\n`;
}

function day(r: () => number): string {
  const d = new Date(Date.UTC(2021, 6, 1 + Math.floor(r() * 7), Math.floor(r() * 24), Math.floor(r() * 60), 0));
  return d.toISOString().replace(/\.000Z$/, "Z");
}

function wait(r: () => number): string {
  return r() < 0.3 ? `  wait: { timeout: PT${1 + Math.floor(r() * 6)}H }\n` : "";
}

function blobRef(r: () => number): string {
  return r() < 0.5
    ? `  backupInstance: ${BLOB_BI}\n`
    : "  backupInstance:\n    resourceGroup: testBkpVaultRG\n    vault: testBkpVault\n    name: msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d\n";
}

function pgRef(r: () => number): string {
  return r() < 0.5
    ? `  backupInstance: ${PG_BI}\n`
    : `  backupInstance: { subscriptionId: ${SUB}, resourceGroup: testBkpVaultRG, vault: testBkpVault, name: testpostgresql-empdb11-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e }\n`;
}

function point(r: () => number, archive = false): string {
  const candidates = archive ? POINTS.slice(0, 4) : POINTS;
  return candidates[Math.floor(r() * candidates.length)].id;
}

function db(i: number): string {
  return `${TARGET_SERVER}/databases/restored${i}`;
}

type Variant = { name: string; facts: Facts; valid: boolean; weight: number; body: (i: number, r: () => number) => string };

const VARIANTS: Variant[] = [
  { name: "blob-pit-account", facts: "blob", valid: true, weight: 14, body: (_i, r) => `spec:\n${blobRef(r)}  pointInTime: ${day(r)}\n${wait(r)}` },
  {
    name: "blob-pit-items",
    facts: "blob",
    valid: true,
    weight: 12,
    body: (_i, r) => {
      const n = 1 + Math.floor(r() * 3);
      const containers = Array.from({ length: n }, (_, k) => `c${k}data`);
      const ranges = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, k) => `      - { from: r${k}/a, to: r${k}/m }`).join("\n");
      return `spec:\n${blobRef(r)}  pointInTime: ${day(r)}\n  items:\n    containers: [${containers.join(", ")}]\n    ranges:\n${ranges}\n${wait(r)}`;
    },
  },
  {
    name: "blob-vault-prefixes",
    facts: "blob",
    valid: true,
    weight: 10,
    body: (_i, r) => `spec:\n${blobRef(r)}  recoveryPoint: latest\n  items:\n    prefixes: [data/2021/, logs/app-${Math.floor(r() * 100)}]\n`,
  },
  {
    name: "blob-vault-other-account",
    facts: "blob",
    valid: true,
    weight: 8,
    body: (_i, r) => `spec:\n${blobRef(r)}  recoveryPoint:\n    latestBefore: 2021-10-${15 + Math.floor(r() * 5)}T00:00:00Z\n  target:\n    storageAccount: ${OTHER_ACCOUNT}\n`,
  },
  {
    name: "pg-database",
    facts: "pg",
    valid: true,
    weight: 14,
    body: (i, r) => `spec:\n${pgRef(r)}  recoveryPoint: ${point(r)}\n  target:\n    database:\n      id: ${db(i)}\n      credentialsSecretUri: ${SECRET}\n${wait(r)}`,
  },
  {
    name: "pg-files-latest-before",
    facts: "pg",
    valid: true,
    weight: 10,
    body: (i, r) =>
      `spec:\n${pgRef(r)}  recoveryPoint:\n    latestBefore: 2021-10-${12 + Math.floor(r() * 8)}T00:00:00Z\n  target:\n    files:\n      containerUrl: https://testossstorageaccount.blob.core.windows.net/testcontainerrestore\n      filePrefix: dump-${i}\n`,
  },
  {
    name: "pg-archive",
    facts: "pg",
    valid: true,
    weight: 8,
    body: (i, r) =>
      `spec:\n${pgRef(r)}  recoveryPoint: ${point(r, true)}\n  sourceDataStore: ArchiveStore\n  rehydration: { priority: ${r() < 0.5 ? "Standard" : "High"}, retention: P${10 + Math.floor(r() * 21)}D }\n  target:\n    database:\n      id: ${db(i)}\n      credentialsSecretUri: ${SECRET}\n`,
  },
  {
    name: "raw-pg",
    facts: "pg",
    valid: true,
    weight: 8,
    body: (i, r) => `spec:
  backupInstance: ${PG_BI}
  request:
    objectType: AzureBackupRecoveryPointBasedRestoreRequest
    sourceDataStoreType: VaultStore
    recoveryPointId: ${point(r)}
    restoreTargetInfo:
      objectType: RestoreTargetInfo
      recoveryOption: FailIfExists
      restoreLocation: westus
      datasourceInfo:
        datasourceType: Microsoft.DBforPostgreSQL/servers/databases
        objectType: Datasource
        resourceID: ${db(i)}
        resourceLocation: westus
        resourceName: restored${i}
        resourceType: Microsoft.DBforPostgreSQL/servers/databases
        resourceUri: ""
      datasourceSetInfo:
        datasourceType: Microsoft.DBforPostgreSQL/servers/databases
        objectType: DatasourceSet
        resourceID: ${TARGET_SERVER}
        resourceLocation: westus
        resourceName: targetossserver
        resourceType: Microsoft.DBforPostgreSQL/servers
        resourceUri: ""
      datasourceAuthCredentials:
        objectType: SecretStoreBasedAuthCredentials
        secretStoreResource: { secretStoreType: AzureKeyVault, uri: ${SECRET} }
`,
  },
  // Broken files (about 8%): what a pull request gets wrong.
  { name: "bad-unknown-field", facts: "pg", valid: false, weight: 2, body: (i, r) => `spec:\n${pgRef(r)}  recoveryPiont: ${point(r)}\n  target:\n    database:\n      id: ${db(i)}\n      credentialsSecretUri: ${SECRET}\n` },
  { name: "bad-retention", facts: "pg", valid: false, weight: 2, body: (i, r) => `spec:\n${pgRef(r)}  recoveryPoint: ${point(r, true)}\n  sourceDataStore: ArchiveStore\n  rehydration: { priority: Urgent, retention: P45D }\n  target:\n    database:\n      id: ${db(i)}\n      credentialsSecretUri: ${SECRET}\n` },
  { name: "bad-range", facts: "blob", valid: false, weight: 2, body: (_i, r) => `spec:\n${blobRef(r)}  pointInTime: ${day(r)}\n  items:\n    ranges:\n      - { from: Container1, to: Container0 }\n      - { from: Container0, to: Container5 }\n` },
  { name: "bad-yaml", facts: "blob", valid: false, weight: 2, body: (_i, r) => `spec:\n${blobRef(r)}  pointInTime: ${day(r)}\n  items: { containers: [a, b\n` },
];

/** `count` specs in the variants' proportions (`validOnly` leaves out the broken ones). Names are unique. */
export function generateSpecs(count: number, options: { seed?: number; validOnly?: boolean } = {}): GeneratedSpec[] {
  const r = prng(options.seed ?? 7);
  const variants = VARIANTS.filter((v) => v.valid || !options.validOnly);
  const total = variants.reduce((s, v) => s + v.weight, 0);
  const out: GeneratedSpec[] = [];
  for (let i = 0; i < count; i++) {
    let pick = r() * total;
    const variant = variants.find((v) => (pick -= v.weight) < 0) ?? variants[variants.length - 1];
    const kind = variant.name.startsWith("blob") || variant.name === "bad-range" || variant.name === "bad-yaml" ? "BlobRestore" : variant.name.startsWith("raw") ? "RawRestore" : "PostgreSQLRestore";
    const name = `${variant.name}-${String(i).padStart(5, "0")}`;
    out.push({ name, variant: variant.name, facts: variant.facts, valid: variant.valid, text: header(kind, name, r) + variant.body(i, r) });
  }
  return out;
}

/** Writes the specs as `<name>.yaml` into `dir` (created empty). */
export function writeSpecs(dir: string, specs: Array<{ name: string; text: string }>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const s of specs) fs.writeFileSync(path.join(dir, `${s.name}.yaml`), s.text);
}

export function variantCounts(specs: GeneratedSpec[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of specs) counts[s.variant] = (counts[s.variant] ?? 0) + 1;
  return counts;
}
