import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import * as YAML from "yaml";
import type {
  AzureBackupDiscreteRecoveryPoint,
  AzureBackupJobResource,
  CloudErrorBody,
  Datasource,
  DatasourceSet,
  RecoveryPointDataStoreDetails,
  SecretStoreBasedAuthCredentials,
  UserFacingError,
} from "../api/types";
import { parseDateTime, parseDuration } from "./format";
import { parseArmId, sameArmId, sameName, vaultId } from "./ids";

/**
 * The world: everything the emulated Azure knows before any request arrives (subscriptions, resource
 * groups, backup vaults and instances with their recovery points and restorable ranges, restore targets
 * and their versions, Key Vault secrets, and jobs/operations that already exist). It loads from YAML or
 * JSON (`emulator/worlds/default.yaml` reproduces the seeds). The world never changes while requests run;
 * what requests create (operations, jobs) lives in the store, and what those create (a restored
 * database) is derived from the store.
 */

export type JobOutcome = "Completed" | "Failed" | "CompletedWithWarnings";

export interface WorldDurations {
  /** How long validateRestore operations run (seed: PT22S). */
  validateRestore: string;
  /** How long the restore trigger operation runs until it reports the jobId (seed: PT4S). */
  restore: string;
  /** How long a restore job runs (seed blob restore: PT4M16.2830187S); per instance in `restoreJob.duration`. */
  restoreJob: string;
  /** How long a rehydrate operation runs. */
  rehydrate: string;
  /** Added to a restore job that rehydrates from the archive tier first. */
  rehydration: string;
}

export interface WorldSettings {
  /** Virtual time when the emulator starts (default: real now). */
  startTime?: string;
  /** Locations listed as supported in NoRegisteredProviderFound errors. */
  locations: string[];
  /** Page size of list operations (recovery points, backup instances, jobs). */
  pageSize: number;
  durations: WorldDurations;
  /** Retry-After (virtual seconds, divided by the time scale, at least 1) of 202 responses. */
  retryAfterSeconds: { validateRestore: number; restore: number; rehydrate: number; operationResults: number };
}

export interface ResourceGroupSpec {
  name: string;
  location: string;
}

export interface SubscriptionSpec {
  id: string;
  resourceGroups: ResourceGroupSpec[];
}

export interface RestorableRangeSpec {
  /** Default OperationalStore. */
  sourceDataStoreType?: string;
  startTime: string;
  /** An ISO date-time, or `now` for the virtual clock's now (continuous backup). */
  endTime: string;
}

/** A recovery point as the world file writes it: the definition's fields, with short names for ID, time and type. */
export interface RecoveryPointSpec
  extends Pick<AzureBackupDiscreteRecoveryPoint, "friendlyName" | "retentionTagName" | "retentionTagVersion" | "policyName" | "policyVersion" | "expiryTime" | "recoveryPointState"> {
  id: string;
  time: string;
  type?: string;
  /** Data stores holding the point: `VaultStore`, `ArchiveStore`, `OperationalStore`, or full details. */
  dataStores: Array<string | RecoveryPointDataStoreDetails>;
}

export interface RestoreJobSpec {
  /** ISO 8601 duration of restore jobs of this instance (default settings.durations.restoreJob). */
  duration?: string;
  /** How restore jobs of this instance end (default Completed). */
  outcome?: JobOutcome;
  /** errorDetails of a Failed job. */
  error?: UserFacingError;
  /** Warnings of a CompletedWithWarnings job. */
  warnings?: string[];
}

export interface BackupInstanceSpec {
  name: string;
  friendlyName?: string;
  dataSourceInfo: Datasource;
  dataSourceSetInfo?: DatasourceSet;
  policyName: string;
  policyVersion?: string;
  protectionStatus?: string;
  currentProtectionState?: string;
  provisioningState?: string;
  tags?: Record<string, string>;
  datasourceAuthCredentials?: SecretStoreBasedAuthCredentials;
  /** Shown by api-versions that define it (2024-04-01+). */
  identityDetails?: { useSystemAssignedIdentity?: boolean; userAssignedIdentityArmUrl?: string };
  restorableTimeRanges?: RestorableRangeSpec[];
  recoveryPoints?: RecoveryPointSpec[];
  restoreJob?: RestoreJobSpec;
  /** PostgreSQL version of the source server; default: the version of the server in `postgresqlServers`. */
  sourceServerVersion?: string;
}

export interface VaultSpec {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  /** Cross-region restore enabled (geo-redundant vault). */
  crossRegionRestore?: boolean;
  backupInstances?: BackupInstanceSpec[];
}

export interface StorageAccountSpec {
  /** ARM ID `/subscriptions/.../providers/Microsoft.Storage/storageAccounts/{name}`. */
  id: string;
  location?: string;
  containers?: string[];
}

export interface PostgresqlServerSpec {
  /** ARM ID `/subscriptions/.../providers/Microsoft.DBforPostgreSQL/servers/{name}`. */
  id: string;
  location?: string;
  /** PostgreSQL major(.minor) version, e.g. `11` or `9.5`. */
  version: string;
  databases?: string[];
}

/** An operation that exists before the emulator starts (for replaying examples that poll a given ID). */
export interface OperationSpec {
  id: string;
  subscriptionId: string;
  location: string;
  resourceGroup?: string;
  vaultName?: string;
  backupInstanceName?: string;
  status: "Succeeded" | "Failed" | "InProgress";
  startTime: string;
  endTime?: string;
  jobId?: string;
  error?: CloudErrorBody;
  /** What `BI/operationResults` returns when done: the job info (default) or the backup instance. */
  result?: "job" | "backupInstance";
}

export interface WorldFile {
  settings?: Partial<Omit<WorldSettings, "durations" | "retryAfterSeconds">> & {
    durations?: Partial<WorldDurations>;
    retryAfterSeconds?: Partial<WorldSettings["retryAfterSeconds"]>;
  };
  subscriptions: SubscriptionSpec[];
  vaults?: VaultSpec[];
  storageAccounts?: StorageAccountSpec[];
  postgresqlServers?: PostgresqlServerSpec[];
  keyVaultSecrets?: string[];
  /** Jobs that exist before the emulator starts, as AzureBackupJobResource (with `id`). */
  jobs?: AzureBackupJobResource[];
  operations?: OperationSpec[];
}

export const DEFAULT_SETTINGS: WorldSettings = {
  locations: ["westus", "eastus", "eastus2", "centralus", "westeurope", "northeurope", "southeastasia", "eastasia", "centraluseuap", "eastus2euap"],
  pageSize: 10,
  durations: { validateRestore: "PT22S", restore: "PT4S", restoreJob: "PT4M16.2830187S", rehydrate: "PT1M", rehydration: "PT15M" },
  retryAfterSeconds: { validateRestore: 10, restore: 30, rehydrate: 60, operationResults: 10 },
};

const datasourceSchema = {
  type: "object",
  required: ["resourceID"],
  properties: { resourceID: { type: "string", minLength: 1 } },
  additionalProperties: true,
};
const isoString = { type: "string", minLength: 1 };

/** JSON Schema of a world file; unknown keys are refused so typos surface at load time. */
const WORLD_SCHEMA = {
  type: "object",
  required: ["subscriptions"],
  additionalProperties: false,
  properties: {
    settings: {
      type: "object",
      additionalProperties: false,
      properties: {
        startTime: isoString,
        locations: { type: "array", items: { type: "string" } },
        pageSize: { type: "integer", minimum: 1, maximum: 1000 },
        durations: {
          type: "object",
          additionalProperties: false,
          properties: Object.fromEntries(Object.keys(DEFAULT_SETTINGS.durations).map((k) => [k, isoString])),
        },
        retryAfterSeconds: {
          type: "object",
          additionalProperties: false,
          properties: Object.fromEntries(Object.keys(DEFAULT_SETTINGS.retryAfterSeconds).map((k) => [k, { type: "number", minimum: 0 }])),
        },
      },
    },
    subscriptions: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "resourceGroups"],
        additionalProperties: false,
        properties: {
          id: { type: "string", pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" },
          resourceGroups: {
            type: "array",
            items: { type: "object", required: ["name", "location"], additionalProperties: false, properties: { name: { type: "string" }, location: { type: "string" } } },
          },
        },
      },
    },
    vaults: {
      type: "array",
      items: {
        type: "object",
        required: ["subscriptionId", "resourceGroup", "name", "location"],
        additionalProperties: false,
        properties: {
          subscriptionId: { type: "string" },
          resourceGroup: { type: "string" },
          name: { type: "string" },
          location: { type: "string" },
          crossRegionRestore: { type: "boolean" },
          backupInstances: {
            type: "array",
            items: {
              type: "object",
              required: ["name", "dataSourceInfo", "policyName"],
              additionalProperties: false,
              properties: {
                name: { type: "string" },
                friendlyName: { type: "string" },
                dataSourceInfo: datasourceSchema,
                dataSourceSetInfo: datasourceSchema,
                policyName: { type: "string" },
                policyVersion: { type: "string" },
                protectionStatus: { type: "string" },
                currentProtectionState: { type: "string" },
                provisioningState: { type: "string" },
                tags: { type: "object", additionalProperties: { type: "string" } },
                datasourceAuthCredentials: { type: "object" },
                identityDetails: { type: "object" },
                sourceServerVersion: { type: ["string", "number"] },
                restorableTimeRanges: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["startTime", "endTime"],
                    additionalProperties: false,
                    properties: { sourceDataStoreType: { type: "string" }, startTime: isoString, endTime: isoString },
                  },
                },
                recoveryPoints: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["id", "time", "dataStores"],
                    additionalProperties: false,
                    properties: {
                      id: { type: "string" },
                      time: isoString,
                      type: { type: "string" },
                      friendlyName: { type: "string" },
                      dataStores: { type: "array", minItems: 1, items: { anyOf: [{ type: "string" }, { type: "object", required: ["type"] }] } },
                      retentionTagName: { type: "string" },
                      retentionTagVersion: { type: "string" },
                      policyName: { type: "string" },
                      policyVersion: { type: ["string", "null"] },
                      expiryTime: isoString,
                      recoveryPointState: { type: "string" },
                    },
                  },
                },
                restoreJob: {
                  type: "object",
                  additionalProperties: false,
                  properties: {
                    duration: isoString,
                    outcome: { enum: ["Completed", "Failed", "CompletedWithWarnings"] },
                    error: { type: "object" },
                    warnings: { type: "array", items: { type: "string" } },
                  },
                },
              },
            },
          },
        },
      },
    },
    storageAccounts: {
      type: "array",
      items: {
        type: "object",
        required: ["id"],
        additionalProperties: false,
        properties: { id: { type: "string" }, location: { type: "string" }, containers: { type: "array", items: { type: "string" } } },
      },
    },
    postgresqlServers: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "version"],
        additionalProperties: false,
        properties: { id: { type: "string" }, location: { type: "string" }, version: { type: ["string", "number"] }, databases: { type: "array", items: { type: "string" } } },
      },
    },
    keyVaultSecrets: { type: "array", items: { type: "string" } },
    jobs: { type: "array", items: { type: "object", required: ["id", "properties"] } },
    operations: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "subscriptionId", "location", "status", "startTime"],
        additionalProperties: false,
        properties: {
          id: { type: "string" },
          subscriptionId: { type: "string" },
          location: { type: "string" },
          resourceGroup: { type: "string" },
          vaultName: { type: "string" },
          backupInstanceName: { type: "string" },
          status: { enum: ["Succeeded", "Failed", "InProgress"] },
          startTime: isoString,
          endTime: isoString,
          jobId: { type: "string" },
          error: { type: "object" },
          result: { enum: ["job", "backupInstance"] },
        },
      },
    },
  },
} as const;

let validateWorldFile: ReturnType<Ajv["compile"]> | undefined;

export class WorldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorldError";
  }
}

/** A recovery point with its data store details filled in. */
export interface RecoveryPoint extends RecoveryPointSpec {
  timeMs: number;
  details: RecoveryPointDataStoreDetails[];
}

export interface BackupInstance extends BackupInstanceSpec {
  vault: Vault;
  id: string;
  datasourceType: string;
  points: RecoveryPoint[];
}

export interface Vault extends VaultSpec {
  id: string;
  instances: BackupInstance[];
}

/** A world loaded, checked and indexed. */
export class World {
  readonly settings: WorldSettings;
  readonly vaults: Vault[];

  constructor(readonly file: WorldFile) {
    this.settings = {
      ...DEFAULT_SETTINGS,
      ...file.settings,
      durations: { ...DEFAULT_SETTINGS.durations, ...file.settings?.durations },
      retryAfterSeconds: { ...DEFAULT_SETTINGS.retryAfterSeconds, ...file.settings?.retryAfterSeconds },
    };
    this.vaults = (file.vaults ?? []).map((spec) => {
      const vault: Vault = { ...spec, id: vaultId(spec.subscriptionId, spec.resourceGroup, spec.name), instances: [] };
      vault.instances = (spec.backupInstances ?? []).map((bi) => ({
        ...bi,
        vault,
        id: `${vault.id}/backupInstances/${bi.name}`,
        datasourceType: bi.dataSourceInfo.datasourceType ?? bi.dataSourceInfo.resourceType ?? "",
        points: (bi.recoveryPoints ?? []).map((rp) => recoveryPoint(rp)),
      }));
      return vault;
    });
    this.check();
  }

  /** Durations in ms, for the clock. */
  durationMs(name: keyof WorldDurations): number {
    return parseDuration(this.settings.durations[name]) ?? 0;
  }

  subscription(id: string): SubscriptionSpec | undefined {
    return this.file.subscriptions.find((s) => sameName(s.id, id));
  }

  resourceGroup(subscriptionId: string, name: string): ResourceGroupSpec | undefined {
    return this.subscription(subscriptionId)?.resourceGroups.find((rg) => sameName(rg.name, name));
  }

  vault(subscriptionId: string, resourceGroup: string, name: string): Vault | undefined {
    return this.vaults.find((v) => sameName(v.subscriptionId, subscriptionId) && sameName(v.resourceGroup, resourceGroup) && sameName(v.name, name));
  }

  vaultById(id: string): Vault | undefined {
    return this.vaults.find((v) => sameArmId(v.id, id));
  }

  backupInstanceById(id: string): BackupInstance | undefined {
    const parsed = parseArmId(id);
    const [vaultPart, biPart] = parsed?.resources ?? [];
    if (!parsed?.resourceGroup || !vaultPart || !biPart || !sameName(biPart.type, "backupInstances")) return undefined;
    return this.vault(parsed.subscriptionId, parsed.resourceGroup, vaultPart.name)?.instances.find((bi) => sameName(bi.name, biPart.name));
  }

  postgresqlServer(id: string): PostgresqlServerSpec | undefined {
    return (this.file.postgresqlServers ?? []).find((s) => sameArmId(s.id, id));
  }

  storageAccountById(id: string): StorageAccountSpec | undefined {
    return (this.file.storageAccounts ?? []).find((s) => sameArmId(s.id, id));
  }

  /** Storage account names are global in Azure, so a blob URL names exactly one. */
  storageAccountByName(name: string): StorageAccountSpec | undefined {
    return (this.file.storageAccounts ?? []).find((s) => sameName(parseArmId(s.id)?.resources.at(-1)?.name, name));
  }

  /** A Key Vault secret exists when its URI (any version) is listed. */
  secretExists(uri: string): boolean {
    const base = (u: string) => {
      const m = /^(https:\/\/[^/]+\/secrets\/[^/?#]+)/i.exec(u.trim());
      return m ? m[1].toLowerCase() : u.trim().toLowerCase();
    };
    return (this.file.keyVaultSecrets ?? []).some((s) => base(s) === base(uri));
  }

  /** PostgreSQL version of the server holding the instance's database. */
  sourceServerVersion(bi: BackupInstance): string | undefined {
    if (bi.sourceServerVersion !== undefined) return String(bi.sourceServerVersion);
    const serverId = bi.dataSourceSetInfo?.resourceID ?? bi.dataSourceInfo.resourceID.replace(/\/databases\/[^/]+\/?$/i, "");
    const server = this.postgresqlServer(serverId);
    return server ? String(server.version) : undefined;
  }

  private check(): void {
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const vault of this.vaults) {
      if (!this.resourceGroup(vault.subscriptionId, vault.resourceGroup)) {
        problems.push(`vault ${vault.name}: resource group ${vault.resourceGroup} of subscription ${vault.subscriptionId} is not in subscriptions`);
      }
      const key = vault.id.toLowerCase();
      if (seen.has(key)) problems.push(`vault ${vault.name} is defined twice`);
      seen.add(key);
      const names = new Set<string>();
      for (const bi of vault.instances) {
        if (names.has(bi.name.toLowerCase())) problems.push(`vault ${vault.name}: backup instance ${bi.name} is defined twice`);
        names.add(bi.name.toLowerCase());
        for (const range of bi.restorableTimeRanges ?? []) {
          if (parseDateTime(range.startTime) === undefined) problems.push(`${bi.name}: restorable range startTime '${range.startTime}' is not an ISO date-time`);
          if (range.endTime !== "now" && parseDateTime(range.endTime) === undefined) problems.push(`${bi.name}: restorable range endTime '${range.endTime}' is not an ISO date-time or 'now'`);
        }
        for (const rp of bi.points) if (Number.isNaN(rp.timeMs)) problems.push(`${bi.name}: recovery point ${rp.id} time '${rp.time}' is not an ISO date-time`);
        if (bi.restoreJob?.duration && parseDuration(bi.restoreJob.duration) === undefined) problems.push(`${bi.name}: restoreJob.duration '${bi.restoreJob.duration}' is not an ISO 8601 duration`);
      }
    }
    for (const [name, value] of Object.entries(this.settings.durations)) {
      if (parseDuration(value) === undefined) problems.push(`settings.durations.${name} '${value}' is not an ISO 8601 duration`);
    }
    if (this.settings.startTime !== undefined && parseDateTime(this.settings.startTime) === undefined) problems.push(`settings.startTime '${this.settings.startTime}' is not an ISO date-time`);
    for (const job of this.file.jobs ?? []) {
      const parsed = job.id ? parseArmId(job.id) : undefined;
      if (!parsed?.resourceGroup || parsed.resources.length !== 2) problems.push(`job ${job.id ?? "(no id)"}: id is not a backupJobs ARM ID`);
    }
    for (const op of this.file.operations ?? []) {
      if (parseDateTime(op.startTime) === undefined) problems.push(`operation ${op.id}: startTime is not an ISO date-time`);
      if (op.endTime !== undefined && parseDateTime(op.endTime) === undefined) problems.push(`operation ${op.id}: endTime is not an ISO date-time`);
    }
    for (const list of [this.file.storageAccounts ?? [], this.file.postgresqlServers ?? []]) {
      for (const r of list) if (!parseArmId(r.id)?.resources.length) problems.push(`resource ID '${r.id}' is not an ARM resource ID`);
    }
    if (problems.length) throw new WorldError(`invalid world:\n  ${problems.join("\n  ")}`);
  }
}

/** A stable GUID-shaped ID derived from text (data store detail IDs stay the same across calls). */
function stableGuid(text: string): string {
  const h = crypto.createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function recoveryPoint(spec: RecoveryPointSpec): RecoveryPoint {
  const timeMs = parseDateTime(spec.time) ?? NaN;
  const yearLater = Number.isNaN(timeMs) ? undefined : new Date(timeMs + 365 * 86400 * 1000).toISOString().replace(/\.000Z$/, "Z");
  const details = spec.dataStores.map((ds): RecoveryPointDataStoreDetails => {
    if (typeof ds !== "string") return ds;
    return {
      id: stableGuid(`${spec.id}/${ds}`),
      type: ds,
      creationTime: spec.time,
      expiryTime: spec.expiryTime ?? yearLater,
      metaData: null,
      visible: true,
      state: "COMMITTED",
      rehydrationExpiryTime: null,
      rehydrationStatus: null,
    };
  });
  return { ...spec, timeMs, details };
}

/** Parses and checks a world from YAML or JSON text (`source` names it in errors). */
export function parseWorld(text: string, source = "world"): World {
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (err) {
    throw new WorldError(`${source}: not valid YAML/JSON: ${(err as Error).message}`);
  }
  return worldFromObject(data, source);
}

export function worldFromObject(data: unknown, source = "world"): World {
  validateWorldFile ??= new Ajv({ allErrors: true, strict: false }).compile(WORLD_SCHEMA);
  if (!validateWorldFile(data)) {
    const lines = (validateWorldFile.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}${e.params && "additionalProperty" in e.params ? ` '${String(e.params.additionalProperty)}'` : ""}`);
    throw new WorldError(`${source}: invalid world:\n  ${lines.join("\n  ")}`);
  }
  return new World(data as WorldFile);
}

export function loadWorldFile(file: string): World {
  return parseWorld(fs.readFileSync(file, "utf8"), file);
}

/** The worlds folder: beside this module in the source tree, two levels up from dist/emulator. */
export function worldsDir(): string {
  const candidates = [path.join(__dirname, "worlds"), path.join(__dirname, "..", "..", "emulator", "worlds")];
  for (const dir of candidates) if (fs.existsSync(path.join(dir, "default.yaml"))) return dir;
  throw new Error(`emulator worlds not found (looked in ${candidates.join(", ")})`);
}

export function defaultWorldPath(): string {
  return path.join(worldsDir(), "default.yaml");
}

export function loadDefaultWorld(): World {
  return loadWorldFile(defaultWorldPath());
}

/** The duration in ms of restore jobs of `bi`, and its text as the job reports it when done. */
export function restoreJobDuration(world: World, bi: BackupInstance): { ms: number; text: string } {
  const text = bi.restoreJob?.duration ?? world.settings.durations.restoreJob;
  return { ms: parseDuration(text) ?? 0, text };
}
