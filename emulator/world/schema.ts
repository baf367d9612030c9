import Ajv from "ajv";
import { parseDateTime, parseDuration } from "../format";
import { parseArmId } from "../ids";
import { secondaryRegionOf } from "../regions";
import { accessProblems, IDENTITY_SCHEMA, ROLE_ASSIGNMENTS_SCHEMA, ROLE_DEFINITIONS_SCHEMA } from "./access-schema";
import type { ResourceGroupSpec, Vault, WorldFile, WorldSettings } from "./model";

/**
 * What a valid world file is: its shape (a JSON Schema; unknown keys are refused so typos surface at
 * load time), what it means once indexed (references resolve, times and durations parse, nothing is
 * defined twice), and the settings it may leave out.
 */

export class WorldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorldError";
  }
}

export const DEFAULT_SETTINGS: WorldSettings = {
  locations: ["westus", "eastus", "eastus2", "centralus", "westeurope", "northeurope", "southeastasia", "eastasia", "centraluseuap", "eastus2euap"],
  pageSize: 10,
  durations: { validateRestore: "PT22S", restore: "PT4S", restoreJob: "PT4M16.2830187S", rehydrate: "PT1M", rehydration: "PT15M" },
  retryAfterSeconds: { validateRestore: 10, restore: 30, rehydrate: 60, operationResults: 10 },
  retryAfter: "asRecorded",
  roleAssignmentPropagation: "PT0S",
  crossRegionReplicationLag: "PT12H",
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
        retryAfter: { type: "string", enum: ["asRecorded", "always", "never"] },
        roleAssignmentPropagation: isoString,
        crossRegionReplicationLag: isoString,
        maxConcurrentRestoresPerInstance: { type: "integer", minimum: 1 },
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
          secondaryRegion: { type: "string", minLength: 1 },
          identity: IDENTITY_SCHEMA,
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
                policyParameters: { type: "object" },
                protectionStatus: { type: "string" },
                currentProtectionState: { type: "string" },
                provisioningState: { type: "string" },
                tags: { type: "object", additionalProperties: { type: "string" } },
                datasourceAuthCredentials: { type: "object" },
                identityDetails: { type: "object" },
                sourceServerVersion: { type: ["string", "number"] },
                sampleData: {
                  type: "object",
                  additionalProperties: false,
                  properties: {
                    table: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,62}$" },
                    rows: { type: "integer", minimum: 0, maximum: 100000 },
                    database: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_-]{0,62}$" },
                  },
                },
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
                      snapshotDeleted: { type: "boolean" },
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
                    warnings: {
                      type: "array",
                      items: {
                        oneOf: [
                          { type: "string" },
                          {
                            type: "object",
                            required: ["code", "message"],
                            additionalProperties: false,
                            properties: { code: { type: "string" }, message: { type: "string" }, recommendedAction: { type: "array", items: { type: "string" } }, resourceName: { type: "string" } },
                          },
                        ],
                      },
                    },
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
    resources: {
      type: "array",
      items: {
        type: "object",
        required: ["id"],
        additionalProperties: false,
        properties: { id: { type: "string", pattern: "^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/" }, location: { type: "string" }, properties: { type: "object" }, identity: IDENTITY_SCHEMA },
      },
    },
    roleAssignments: ROLE_ASSIGNMENTS_SCHEMA,
    roleDefinitions: ROLE_DEFINITIONS_SCHEMA,
    jobs: { type: "array", items: { type: "object", required: ["id", "properties"] } },
    crossRegionJobs: { type: "array", items: { type: "object", required: ["id", "properties"] } },
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

/** Checks the shape of a parsed world file; throws a WorldError listing every problem. */
export function checkWorldFile(data: unknown, source: string): asserts data is WorldFile {
  validateWorldFile ??= new Ajv({ allErrors: true, strict: false }).compile(WORLD_SCHEMA);
  if (!validateWorldFile(data)) {
    const lines = (validateWorldFile.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}${e.params && "additionalProperty" in e.params ? ` '${String(e.params.additionalProperty)}'` : ""}`);
    throw new WorldError(`${source}: invalid world:\n  ${lines.join("\n  ")}`);
  }
}

/** What `worldProblems` reads of an indexed world. */
export interface IndexedWorld {
  readonly file: WorldFile;
  readonly settings: WorldSettings;
  readonly vaults: readonly Vault[];
  resourceGroup(subscriptionId: string, name: string): ResourceGroupSpec | undefined;
}

/** The problems of an indexed world that its schema cannot see, in the order they are reported. */
export function worldProblems(world: IndexedWorld): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const vault of world.vaults) {
    if (!world.resourceGroup(vault.subscriptionId, vault.resourceGroup)) {
      problems.push(`vault ${vault.name}: resource group ${vault.resourceGroup} of subscription ${vault.subscriptionId} is not in subscriptions`);
    }
    if (vault.crossRegionRestore && !secondaryRegionOf(vault)) problems.push(`vault ${vault.name}: cross-region restore is on, but ${vault.location} has no paired region: set secondaryRegion`);
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
  for (const [name, value] of Object.entries(world.settings.durations)) {
    if (parseDuration(value) === undefined) problems.push(`settings.durations.${name} '${value}' is not an ISO 8601 duration`);
  }
  if (world.settings.startTime !== undefined && parseDateTime(world.settings.startTime) === undefined) problems.push(`settings.startTime '${world.settings.startTime}' is not an ISO date-time`);
  for (const job of [...(world.file.jobs ?? []), ...(world.file.crossRegionJobs ?? [])]) {
    const parsed = job.id ? parseArmId(job.id) : undefined;
    if (!parsed?.resourceGroup || parsed.resources.length !== 2) problems.push(`job ${job.id ?? "(no id)"}: id is not a backupJobs ARM ID`);
  }
  for (const op of world.file.operations ?? []) {
    if (parseDateTime(op.startTime) === undefined) problems.push(`operation ${op.id}: startTime is not an ISO date-time`);
    if (op.endTime !== undefined && parseDateTime(op.endTime) === undefined) problems.push(`operation ${op.id}: endTime is not an ISO date-time`);
  }
  for (const name of ["roleAssignmentPropagation", "crossRegionReplicationLag"] as const) {
    if (parseDuration(world.settings[name]) === undefined) problems.push(`settings.${name} '${world.settings[name]}' is not an ISO 8601 duration`);
  }
  problems.push(...accessProblems(world.file));
  for (const list of [world.file.storageAccounts ?? [], world.file.postgresqlServers ?? []]) {
    for (const r of list) if (!parseArmId(r.id)?.resources.length) problems.push(`resource ID '${r.id}' is not an ARM resource ID`);
  }
  return problems;
}
