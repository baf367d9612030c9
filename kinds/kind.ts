import type { BuiltInRole } from "../api/roles";
import type { AzureBackupRecoveryPointResource, AzureBackupRestoreRequest, BackupInstanceResource } from "../api/types";
import type { ApiVersion } from "../api/versions";
import type { FieldPath, FieldProblem } from "../errors/field";
import type { Result } from "../errors/result";
import type { Obj, RuleContext } from "../language/common-rules";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import type { Schema } from "../language/schema-parts";
import type { RestoreAccess } from "./access";

/** What a planner is told about the backup instance, as the API returns it. */
export interface BackupInstanceFacts {
  instance: BackupInstanceResource;
  /** The instance's recovery points; needed for `latest`/`latestBefore` and to check an ID exists. */
  recoveryPoints?: AzureBackupRecoveryPointResource[];
}

/** Where the restore writes: the key restores are serialized and matched on. */
export interface RestoreTarget {
  kind: "storageAccount" | "database" | "files" | "disk" | "other";
  /** ARM ID or URL of what is written. */
  id: string;
  /** Restores sharing a lock key run one after another (one blob restore per storage account). */
  lockKey: string;
}

export interface RestoreSource {
  dataStore: string;
  recoveryPointId?: string;
  recoveryPointTime?: string;
  pointInTime?: string;
}

/** What a kind's planner makes of a spec: the restore body, and what it reads and writes. */
export interface KindPlan {
  request: AzureBackupRestoreRequest;
  source: RestoreSource;
  target: RestoreTarget;
}

export interface PlanContext {
  apiVersion: ApiVersion;
}

/** A target the spec names, for the policy's subscription and resource group rules. */
export interface NamedTarget {
  id: string;
  path: FieldPath;
}

/**
 * Everything about one kind of restore that differs from the others. Generic code (the schema, the
 * checks, the planner, the CLI, the provider) reaches a kind only through this interface and the
 * registry in ./index.
 */
export interface RestoreKind<S extends SpecEnvelope<string, CommonSpec> = SpecEnvelope<string, CommonSpec>> {
  /** The spec's `kind:`. */
  readonly name: S["kind"];
  /** What it restores, for messages: "Azure Blob". */
  readonly title: string;
  /** Datasource types (compared without regard to case) of the backup instances it restores; empty = any. */
  readonly datasourceTypes: readonly string[];
  /**
   * Restores of it may run from the vault's secondary region (`spec.fromSecondaryRegion`): the
   * Az.DataProtection manifests' `supportCrossRegionRestore` (true for PostgreSQL single and flexible
   * servers and MySQL flexible servers only).
   */
  readonly crossRegionRestore?: true;
  /** Fields of other kinds, with where they belong, for a better word than "unknown field". */
  readonly misplacedFields?: Readonly<Record<string, string>>;
  /** JSON Schema of this kind's `spec:` (the common fields included). */
  specSchema(): Schema;
  /** Schemas the spec schema names by `$ref` (file name → schema the checks use in its place). */
  schemaRefs?(): Record<string, Schema>;
  /** Relationships between fields that `az dataprotection` and the service enforce; any parsed value (pure). */
  rules(spec: Obj, context: RuleContext): FieldProblem[];
  /** The recovery point the planner must resolve, and in which data store, if any. */
  recoveryPoint(spec: S): { ref: RecoveryPointRef; dataStore: string } | undefined;
  /** The restore body for a checked spec and the facts of its backup instance (pure). */
  plan(spec: S, facts: BackupInstanceFacts, context: PlanContext): Result<KindPlan>;
  /** Targets the spec names (checked against the policy offline), and what it overwrites of the backed-up data, if anything. */
  policyTargets(spec: S): { targets: NamedTarget[]; original?: { what: string; instead: string } };
  /** What tells this restore's job apart from another's in Azure's job list, besides instance and source. */
  destination(spec: S): unknown;
  /** The roles this restore needs, on which scopes, for which identities (pure; sources in the module). */
  access(spec: S, plan: KindPlan, facts: BackupInstanceFacts): RestoreAccess;
  /**
   * The restore a drill runs for one of the kind's instances into the drill's target (`spec:` of a spec
   * of this kind), or why this kind cannot be drilled into it. Absent: the kind is not drilled.
   */
  drillRestore?(drill: DrillRestoreContext): { spec: S["spec"] } | { refusal: string };
  /** The roles the vault's identity needs on a drill's scratch resource group, when `drillRestore` restores into one. */
  drillScratchRoles?: readonly BuiltInRole[];
}

/** Where a drill restores to (`RestoreDrill.spec.target`; drills/spec.ts). */
export interface DrillTarget {
  resourceGroup?: { subscriptionId?: string; location: string; prefix?: string };
  container?: { url: string; id?: string };
  server?: { id: string; credentialsSecretUri: string };
  storageAccount?: string;
}

/** What a kind needs to make one drill restore. */
export interface DrillRestoreContext {
  /** ARM ID of the backup instance. */
  backupInstance: string;
  facts: BackupInstanceFacts;
  /** The recovery point the drill chose (undefined: the instance has none, e.g. an operational-tier blob instance). */
  recoveryPoint?: string;
  target: DrillTarget;
  /** This window's scratch resource group (for `target.resourceGroup`). */
  scratchResourceGroupId?: string;
  /** A name for what this window's restore creates: `<drill>-w<window>`, unique per window. */
  suffix: string;
}
