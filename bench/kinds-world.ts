/**
 * The benchmark's world over every kind of the kinds/ registry: blob, PostgreSQL single server (both as
 * bench/world.ts makes them: own storage accounts and servers), and the disk, PostgreSQL and MySQL
 * flexible server, Data Lake, AKS, Elastic SAN and Cosmos DB instances of the emulator's default world
 * (the examples'), each cloned `perKind` times with its own target, restored as its example spec in
 * restores/ restores it. Every instance keeps its kind's recorded job duration (the default world's
 * `restoreJob.duration`: disk 3m34s, MySQL 1m34s, Data Lake 6m21s, AKS 3m36s, Elastic SAN 2m5s; a kind
 * without a recording takes the world's 4m16s), spread by `spread` either way per instance (seeded).
 *
 * The default world's role assignments are left out: a world without the key is one where every
 * identity holds every role (the access checks still run, and pass), so the benchmark measures restores,
 * not grants.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { prng } from "../emulator/faults";
import { parseDuration } from "../emulator/format";
import type { BackupInstanceSpec, ResourceSpec, StorageAccountSpec, VaultSpec, WorldFile } from "../emulator/world";
import { reconcileSetup, type ReconcileSetup, type ReconcileSpec } from "./world";

const ROOT = path.join(__dirname, "..");

/** The kinds, as the benchmark names them. */
export const KIND_NAMES = ["blob", "postgresql", "disk", "postgresqlFlexible", "mysqlFlexible", "datalake", "aks", "elasticSan", "cosmosdb"] as const;
export type KindName = (typeof KIND_NAMES)[number];

interface Template {
  kind: KindName;
  /** The default world's instance (by datasource type) and the example spec that restores it. */
  datasourceType: string;
  example: string;
  recoveryPoint: ReconcileSpec["recoveryPoint"];
  /**
   * Clone `i`: the spec edited to the clone's instance and own target, the world entries the target
   * needs, and the restore's lock key (as kinds/ computes it for the plan).
   */
  clone(i: number, spec: Record<string, any>, instanceId: string): { lockKey: string; resources?: ResourceSpec[]; storageAccounts?: StorageAccountSpec[] };
}

const seconds = (duration: string) => parseDuration(duration)! / 1000;
const n = (i: number) => String(i).padStart(4, "0");

const TEMPLATES: Template[] = [
  {
    kind: "disk",
    datasourceType: "Microsoft.Compute/disks",
    example: "appdisk01-as-new-disk",
    recoveryPoint: "list",
    clone(i, spec) {
      const disk = spec.spec.target.disk.replace(/appdisk01-restored$/, `bench-disk-${n(i)}`);
      spec.spec.target.disk = disk;
      return { lockKey: `disk:${disk.toLowerCase()}` };
    },
  },
  {
    kind: "postgresqlFlexible",
    datasourceType: "Microsoft.DBforPostgreSQL/flexibleServers",
    example: "pgflex-orders-as-files",
    recoveryPoint: "list",
    clone(i, spec) {
      spec.spec.target.files.filePrefix = `orders-${n(i)}`;
      return { lockKey: `files:${spec.spec.target.files.containerUrl.toLowerCase()}/${spec.spec.target.files.filePrefix}` };
    },
  },
  {
    kind: "mysqlFlexible",
    datasourceType: "Microsoft.DBforMySQL/flexibleServers",
    example: "mysqlflex-shop-as-files",
    recoveryPoint: "list",
    clone(i, spec) {
      spec.spec.target.files.filePrefix = `shop-${n(i)}`;
      return { lockKey: `files:${spec.spec.target.files.containerUrl.toLowerCase()}/${spec.spec.target.files.filePrefix}` };
    },
  },
  {
    kind: "datalake",
    datasourceType: "Microsoft.Storage/storageAccounts/adlsBlobServices",
    example: "datalake-raw-containers",
    recoveryPoint: "list",
    clone(i, spec) {
      const account = spec.spec.target.storageAccount.replace(/restoredlake$/, `benchlake${n(i)}`);
      spec.spec.target.storageAccount = account;
      return { lockKey: `storageAccount:${account.toLowerCase()}`, storageAccounts: [{ id: account, location: "westus", containers: [] }] };
    },
  },
  {
    kind: "aks",
    datasourceType: "Microsoft.ContainerService/managedClusters",
    example: "aks-shop-into-cluster2",
    recoveryPoint: "get",
    clone(i, spec) {
      const cluster = spec.spec.target.cluster.replace(/clitest-cluster2-donotdelete$/, `bench-cluster-${n(i)}`);
      spec.spec.target.cluster = cluster;
      const principalId = `7a1d3c5e-2b4f-4d6a-8c1e-${(0x100000000000 + i).toString(16).slice(-12)}`;
      return {
        lockKey: `managedCluster:${cluster.toLowerCase()}`,
        resources: [{ id: cluster, location: "eastus2euap", properties: { backupExtension: true, trustedAccess: true }, identity: { type: "SystemAssigned", principalId } }],
      };
    },
  },
  {
    kind: "elasticSan",
    datasourceType: "Microsoft.ElasticSan/elasticSans/volumeGroups",
    example: "esan-srcvol1-as-restoredvol1",
    recoveryPoint: "get",
    clone(i, spec) {
      const group = spec.spec.target.volumeGroup.replace(/esanbugbashcli1-vg$/, `bench-vg-${n(i)}`);
      spec.spec.target.volumeGroup = group;
      return { lockKey: `volumeGroup:${group.toLowerCase()}`, resources: [{ id: group, location: "eastus2euap", properties: { volumes: [] } }] };
    },
  },
  {
    kind: "cosmosdb",
    datasourceType: "Microsoft.DocumentDB/databaseAccounts",
    example: "cosmos-src-into-tgt",
    recoveryPoint: "get",
    clone(i, spec) {
      const account = spec.spec.target.account.replace(/cosmosbugbash-vijami-tgt$/, `bench-cosmos-${n(i)}`);
      spec.spec.target.account = account;
      return { lockKey: `databaseAccount:${account.toLowerCase()}`, resources: [{ id: account, location: "eastus2euap" }] };
    },
  },
];

export interface KindsSetup extends ReconcileSetup {
  /** Restores by kind. */
  kinds: Record<string, number>;
}

/**
 * `perKind` restores of each kind (blob and PostgreSQL single: perKind / 2 instances with two restores
 * each, as bench/world.ts makes them), job durations spread by `spread`, and the world's own settings
 * on top of the default world's (`settings`: e.g. maxConcurrentRestoresPerInstance).
 */
export function kindsSetup(perKind: number, spread = 0, settings: WorldFile["settings"] = {}): KindsSetup {
  const random = prng(20261201);
  const vary = (duration: string): string => (spread > 0 ? `PT${(seconds(duration) * (1 + spread * (2 * random() - 1))).toFixed(3)}S` : duration);
  const base = reconcileSetup(Math.ceil(perKind / 2), Math.ceil(perKind / 2), spread);
  const defaults = YAML.parse(fs.readFileSync(path.join(ROOT, "emulator", "worlds", "default.yaml"), "utf8")) as WorldFile;
  const world: WorldFile = structuredClone(defaults);
  delete world.roleAssignments;
  world.settings = { ...world.settings, ...settings };
  // The bench's blob and PostgreSQL resources beside the default world's.
  const bbbb = world.subscriptions.find((s) => s.id === base.world.subscriptions[0].id)!;
  bbbb.resourceGroups.push(...base.world.subscriptions[0].resourceGroups.filter((g) => !bbbb.resourceGroups.some((h) => h.name === g.name)));
  // Five vaults in all: the bench's blob and PostgreSQL instances share one, beside the default world's
  // testBkpVault (disk, flexible servers, Data Lake) and its AKS, Elastic SAN and Cosmos DB vaults.
  const [blobVault, pgVault] = base.world.vaults!;
  blobVault.name = "bench-vault";
  blobVault.backupInstances!.push(...pgVault.backupInstances!);
  world.vaults!.push(blobVault);
  world.storageAccounts!.push(...base.world.storageAccounts!);
  world.postgresqlServers!.push(...base.world.postgresqlServers!);
  world.keyVaultSecrets!.push(...base.world.keyVaultSecrets!);
  const specs: ReconcileSpec[] = base.specs.map((s) => ({
    ...s,
    kind: s.kind === "blob" ? "blob" : "postgresql",
    vault: blobVault.name,
    text: s.text.replace(/vault: bench-blob-vault/g, `vault: ${blobVault.name}`).replace(/backupVaults\/bench-pg-vault\//g, `backupVaults/${blobVault.name}/`),
  }));
  const restoreJob = world.settings!.durations?.restoreJob ?? "PT4M16.2830187S";

  for (const t of TEMPLATES) {
    const vault = world.vaults!.find((v) => (v.backupInstances ?? []).some((bi) => bi.dataSourceInfo.datasourceType === t.datasourceType)) as VaultSpec;
    const template = vault.backupInstances!.find((bi) => bi.dataSourceInfo.datasourceType === t.datasourceType)!;
    const exampleText = fs.readFileSync(path.join(ROOT, "restores", `${t.example}.yaml`), "utf8");
    for (let i = 0; i < perKind; i++) {
      const instance: BackupInstanceSpec = structuredClone(template);
      instance.name = `${template.name.slice(0, 40)}-bench${n(i)}`;
      const jobDuration = vary(template.restoreJob?.duration ?? restoreJob);
      instance.restoreJob = { ...template.restoreJob, duration: jobDuration };
      vault.backupInstances!.push(instance);
      const spec = YAML.parse(exampleText) as Record<string, any>;
      const name = `${t.example}-${n(i)}`;
      spec.metadata.name = name;
      const instanceId = `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.DataProtection/backupVaults/${vault.name}/backupInstances/${instance.name}`;
      spec.spec.backupInstance = instanceId;
      const extra = t.clone(i, spec, instanceId);
      (world.resources ??= []).push(...(extra.resources ?? []));
      world.storageAccounts!.push(...(extra.storageAccounts ?? []));
      specs.push({ name, kind: t.kind, instance: instance.name, lockKey: extra.lockKey, jobSeconds: seconds(jobDuration), recoveryPoint: t.recoveryPoint, vault: vault.name, text: YAML.stringify(spec) });
    }
  }
  const kinds: Record<string, number> = {};
  for (const s of specs) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
  return { ...base, world, specs, kinds };
}
