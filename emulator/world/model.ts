import type {
  AzureBackupDiscreteRecoveryPoint,
  AzureBackupJobResource,
  CloudErrorBody,
  Datasource,
  DatasourceSet,
  RecoveryPointDataStoreDetails,
  SecretStoreBasedAuthCredentials,
  UserFacingError,
} from "../../api/types";

/**
 * The world's types: the world file as YAML/JSON writes it (`*Spec`, `WorldFile`), and the indexed forms
 * the World hands to handlers and rules (`Vault`, `BackupInstance`, `RecoveryPoint`).
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
  /** Retry-After (virtual seconds, divided by the time scale, at least 1) of 202 responses, when they carry one. */
  retryAfterSeconds: { validateRestore: number; restore: number; rehydrate: number; operationResults: number };
  /**
   * Whether 202 responses carry Retry-After: `asRecorded` (default) as the service does at each
   * api-version (emulator/lro.ts), `always`, or `never`.
   */
  retryAfter: "asRecorded" | "always" | "never";
  /**
   * How long a role assignment made through the API takes to apply to restores (ISO 8601 duration,
   * virtual time; default PT0S). Azure's takes up to 10 minutes (RBAC troubleshooting guide); the
   * assignment is listed at once all the same.
   */
  roleAssignmentPropagation: string;
  /**
   * How long after a recovery point is taken it reaches the vault's secondary region (ISO 8601 duration,
   * virtual time; default PT12H): cross-region calls see only older points. "It can take up to 12 hours
   * for the recovery point in the primary region to get replicated to the secondary region"
   * (MicrosoftDocs/azure-docs articles/backup/tutorial-cross-region-restore.md @01dd3ac).
   */
  crossRegionReplicationLag: string;
  /**
   * How many restores may run at once on one backup instance (absent: no limit). A restore beyond it is
   * refused with 409 UserErrorMaxConcurrentOperationLimitReached. The service documents the code and
   * such a limit for backups of disks, PostgreSQL and MySQL flexible servers (disk and flexible server
   * troubleshooting); no source gives the number for restores: it is the world's to choose.
   */
  maxConcurrentRestoresPerInstance?: number;
}

export interface ResourceGroupSpec {
  name: string;
  location: string;
  /** A group created through ARM (PUT resourceGroups): when, its tags. */
  createdMs?: number;
  tags?: Record<string, string>;
}

/** A resource group created or deleted through ARM while the emulator runs (kept in its state file). */
export interface ResourceGroupChange {
  subscriptionId: string;
  group: ResourceGroupSpec;
  deleted?: boolean;
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
  /** An ISO date-time, or `now` / `now-<ISO 8601 duration>`: that long before the world loads (its `settings.startTime`, else real now). */
  time: string;
  type?: string;
  /** Data stores holding the point: `VaultStore`, `ArchiveStore`, `OperationalStore`, or full details. */
  dataStores: Array<string | RecoveryPointDataStoreDetails>;
  /** A disk's point whose snapshot was deleted or moved from the snapshot resource group (restores fail UserErrorDiskSnapshotNotFound). */
  snapshotDeleted?: boolean;
}

/** A warning of a job that ends CompletedWithWarnings: the service's code and message, what to do, and the resource it is about. */
export interface JobWarning {
  code: string;
  message: string;
  recommendedAction?: string[];
  /** `warningDetails[].resourceName`; default: the job's dataSourceName (no source shows what the service names there). */
  resourceName?: string;
}

export interface RestoreJobSpec {
  /** ISO 8601 duration of restore jobs of this instance (default settings.durations.restoreJob). */
  duration?: string;
  /** How restore jobs of this instance end (default Completed). */
  outcome?: JobOutcome;
  /** errorDetails of a Failed job. */
  error?: UserFacingError;
  /** Warnings of a CompletedWithWarnings job: the service's code and message (and what to do, the resource), or a message alone. */
  warnings?: Array<string | JobWarning>;
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
  /** policyInfo.policyParameters as the service shows them (data store and datasource parameters). */
  policyParameters?: Record<string, unknown>;
  /** Shown by api-versions that define it (2024-04-01+). */
  identityDetails?: { useSystemAssignedIdentity?: boolean; userAssignedIdentityArmUrl?: string };
  restorableTimeRanges?: RestorableRangeSpec[];
  recoveryPoints?: RecoveryPointSpec[];
  restoreJob?: RestoreJobSpec;
  /** PostgreSQL version of the source server; default: the version of the server in `postgresqlServers`. */
  sourceServerVersion?: string;
  /**
   * The rows its recovery points hold, as the emulator's data planes restore them (data-planes/): a table
   * (default `orders`) of `rows` rows (default 10), in the database `database` (default: the datasource's name).
   */
  sampleData?: { table?: string; rows?: number; database?: string };
}

export interface VaultSpec {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  /** Cross-region restore enabled (geo-redundant vault). */
  crossRegionRestore?: boolean;
  /** Where the vault's data is replicated and its cross-region restores run; default: the Azure region pair of `location` (emulator/regions.ts). */
  secondaryRegion?: string;
  /**
   * The vault's managed identities; default: a system-assigned identity whose principal ID derives from the
   * vault's ID. `type` `SystemAssigned`, `UserAssigned` or `SystemAssigned,UserAssigned`; a user-assigned
   * identity without a `principalId` gets one derived from its ID.
   */
  identity?: IdentitySpec;
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

/**
 * Any ARM resource a restore reads or writes (a managed disk, an AKS cluster, an Elastic SAN volume
 * group, a Cosmos DB account, a storage account of a flexible server's files...): its ID, and what the
 * kind modules' rules ask of it (e.g. `backupExtension: true` on a cluster).
 */
export interface ResourceSpec {
  id: string;
  location?: string;
  properties?: Record<string, unknown>;
  /** The resource's managed identities (an AKS cluster's), as ARM shows them on the resource. */
  identity?: IdentitySpec;
}

/** A managed identity block as ARM shows it on a resource (recording update_msi_permissions_disk: vault GET). */
export interface IdentitySpec {
  type?: string;
  principalId?: string;
  tenantId?: string;
  userAssignedIdentities?: Record<string, { principalId?: string; clientId?: string }>;
}

/** A role assignment that exists before the emulator starts. */
export interface RoleAssignmentSpec {
  /** The assignment's name (a GUID); default: derived from scope, role and principal. */
  name?: string;
  /** ARM ID of the scope: `/`, a subscription, a resource group or a resource. */
  scope: string;
  /** A role by name (`Disk Restore Operator`) or GUID, built-in (emulator/roles) or the world's own (`roleDefinitions`). */
  role: string;
  principalId: string;
  principalType?: "ServicePrincipal" | "User" | "Group";
  /** An ABAC condition: shown as is; the emulator does not evaluate it and grants nothing through it. */
  condition?: string;
}

/** A custom role, served beside the built-in ones. */
export interface RoleDefinitionSpec {
  /** The role definition's GUID. */
  name: string;
  roleName: string;
  description?: string;
  assignableScopes?: string[];
  permissions: Array<{ actions: string[]; notActions?: string[]; dataActions?: string[]; notDataActions?: string[] }>;
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
  /** ARM resources that exist, of any type (see ResourceSpec). */
  resources?: ResourceSpec[];
  /**
   * Role assignments. A world that lists none (no key) is a tenant where access is not the subject: every
   * identity it names holds every built-in role at the root scope. List them (even `[]`) to test access.
   */
  roleAssignments?: RoleAssignmentSpec[];
  roleDefinitions?: RoleDefinitionSpec[];
  /** Jobs that exist before the emulator starts, as AzureBackupJobResource (with `id`). */
  jobs?: AzureBackupJobResource[];
  /** Jobs crossRegionRestore ran before the emulator starts: seen only through fetchCrossRegionRestoreJob(s), at the vault's secondary region. */
  crossRegionJobs?: AzureBackupJobResource[];
  operations?: OperationSpec[];
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
