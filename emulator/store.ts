import * as fs from "fs";
import * as path from "path";
import type { AzureBackupJob, CloudErrorBody, UserFacingError } from "../api/types";
import type { KindTarget } from "./kinds";
import type { JobOutcome, JobWarning, ResourceGroupChange } from "./world/model";
import { groupKey } from "./world/world";

/**
 * What requests create: long-running operations and restore jobs. Records hold only what was decided
 * when they were created (start, duration, outcome); status, endTime, duration and etag are derived from
 * the virtual clock when read (see views.ts). With `--state` the records and the clock are written to a
 * JSON file (atomically, on every change) and read back on the next start.
 */

export type OperationKind = "validateRestore" | "restore" | "rehydrate" | "crossRegionRestore" | "validateCrossRegionRestore" | "seeded";

export type OperationOutcome =
  | { status: "Succeeded"; jobId?: string; result?: "job" | "backupInstance" }
  | { status: "Failed"; error: CloudErrorBody; httpStatus: number };

export interface OperationRecord {
  id: string;
  kind: OperationKind;
  subscriptionId: string;
  /** Normalised location of the vault (the scope of location-level operationStatus). */
  location: string;
  resourceGroup?: string;
  vaultName?: string;
  backupInstanceName?: string;
  startMs: number;
  /** Virtual time the operation ends; null for one that never ends. */
  endMs: number | null;
  outcome: OperationOutcome;
  /** For rehydrate: the recovery point and how long its rehydrated copy is kept. */
  rehydration?: { recoveryPointId: string; retentionMs: number };
}

/** Restore as files writes files named by a prefix into a container; a datasource no kind claims, the resource its target names. */
export type JobTarget = { kind: "files"; url: string; filePrefix?: string } | { kind: "resource"; id: string } | KindTarget;

/** The fields of a job fixed when it starts. */
export type JobBase = Omit<AzureBackupJob, "status" | "endTime" | "duration" | "etag" | "errorDetails" | "extendedInfo" | "startTime">;

export interface JobRecord {
  /** Job name (a GUID). */
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  vaultName: string;
  backupInstanceName: string;
  startMs: number;
  durationMs: number;
  /** How the duration reads once the job is done (world text, e.g. `PT4M16.2830187S`). */
  durationText: string;
  outcome: JobOutcome;
  error?: UserFacingError;
  warnings?: JobWarning[];
  /** The data store the restore read from (the request's sourceDataStoreType). */
  sourceDataStoreType?: string;
  /** A restore as files: the name prefix of the files it writes. */
  filePrefix?: string;
  /** The bad-data switch in force when the restore was accepted (`_emulator/restored-data`); absent: the data. */
  restoredData?: "missing" | "empty";
  target: JobTarget;
  recoveryDestination: string;
  sourceRecoverPoint: { recoveryPointID?: string; recoveryPointTime?: string };
  rehydrationPriority?: string;
  /** Created by crossRegionRestore in this (secondary) region. */
  crossRegionLocation?: string;
  base: JobBase;
}

/** A role assignment made through the API (PUT), or the tombstone of one the world listed and a DELETE removed. */
export interface RoleAssignmentRecord {
  /** ARM ID of the assignment (`{scope}/providers/Microsoft.Authorization/roleAssignments/{name}`). */
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  description?: string;
  condition?: string;
  createdMs: number;
  deleted?: boolean;
}

/** A custom role made through the API (PUT roleDefinitions). */
export interface RoleDefinitionRecord {
  name: string;
  scope: string;
  roleName: string;
  description?: string;
  assignableScopes: string[];
  permissions: Array<{ actions: string[]; notActions?: string[]; dataActions?: string[]; notDataActions?: string[] }>;
  createdMs: number;
}

interface StateFile {
  format: "azure-restores-emulator-state";
  version: 1;
  savedAt: string;
  virtualNowMs: number;
  operations: OperationRecord[];
  jobs: JobRecord[];
  roleAssignments?: RoleAssignmentRecord[];
  roleDefinitions?: RoleDefinitionRecord[];
  resourceGroups?: ResourceGroupChange[];
}

export class Store {
  readonly operations = new Map<string, OperationRecord>();
  readonly jobs = new Map<string, JobRecord>();
  /** By lower-case name (role assignment names are GUIDs, unique in a tenant). */
  readonly roleAssignments = new Map<string, RoleAssignmentRecord>();
  readonly roleDefinitions = new Map<string, RoleDefinitionRecord>();
  /** Resource groups created or deleted through ARM, by `subscription/group` in lower case (World.groupChanges). */
  readonly resourceGroups = new Map<string, ResourceGroupChange>();

  constructor(private readonly statePath?: string) {}

  addOperation(op: OperationRecord): void {
    this.operations.set(op.id, op);
  }

  addJob(job: JobRecord): void {
    this.jobs.set(job.name.toLowerCase(), job);
  }

  job(name: string): JobRecord | undefined {
    return this.jobs.get(name.toLowerCase());
  }

  clear(): void {
    this.operations.clear();
    this.jobs.clear();
    this.roleAssignments.clear();
    this.roleDefinitions.clear();
    this.resourceGroups.clear();
  }

  /** Reads the state file, if any; returns the virtual time it was saved at. */
  load(): { virtualNowMs: number } | undefined {
    if (!this.statePath || !fs.existsSync(this.statePath)) return undefined;
    const text = fs.readFileSync(this.statePath, "utf8");
    let data: StateFile;
    try {
      data = JSON.parse(text) as StateFile;
    } catch (err) {
      throw new Error(`state file ${this.statePath} is not valid JSON: ${(err as Error).message}`);
    }
    if (data.format !== "azure-restores-emulator-state" || data.version !== 1) throw new Error(`state file ${this.statePath} is not an emulator state file (version 1)`);
    this.clear();
    for (const op of data.operations) this.addOperation(op);
    for (const job of data.jobs) this.addJob(job);
    for (const a of data.roleAssignments ?? []) this.roleAssignments.set(a.name.toLowerCase(), a);
    for (const d of data.roleDefinitions ?? []) this.roleDefinitions.set(d.name.toLowerCase(), d);
    for (const g of data.resourceGroups ?? []) this.resourceGroups.set(groupKey(g.subscriptionId, g.group.name), g);
    return { virtualNowMs: data.virtualNowMs };
  }

  /** Writes the state file atomically (temp file + rename). No-op without `--state`. */
  save(virtualNowMs: number): void {
    if (!this.statePath) return;
    const data: StateFile = {
      format: "azure-restores-emulator-state",
      version: 1,
      savedAt: new Date().toISOString(),
      virtualNowMs,
      operations: [...this.operations.values()],
      jobs: [...this.jobs.values()],
      roleAssignments: [...this.roleAssignments.values()],
      roleDefinitions: [...this.roleDefinitions.values()],
      resourceGroups: [...this.resourceGroups.values()],
    };
    fs.mkdirSync(path.dirname(path.resolve(this.statePath)), { recursive: true });
    const tmp = `${this.statePath}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
    fs.renameSync(tmp, this.statePath);
  }
}
