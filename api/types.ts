/**
 * TypeScript shapes of the restore-flow definitions in api/definitions (names as the definitions spell
 * them). Fields that only some api-versions define are optional here; `checkBody` in ./schema is the
 * authority on what a given version accepts.
 */

import type { UserFacingError } from "./job-types";

export type SourceDataStoreType = "ArchiveStore" | "SnapshotStore" | "VaultStore" | "OperationalStore" | (string & {});
export type RestoreSourceDataStoreType = "OperationalStore" | "VaultStore" | "ArchiveStore" | (string & {});
export type RecoveryOption = "FailIfExists" | (string & {});
export type RehydrationPriority = "Invalid" | "High" | "Standard" | (string & {});
export type RestoreTargetLocationType = "Invalid" | "AzureBlobs" | "AzureFiles" | (string & {});
export type SecretStoreType = "Invalid" | "AzureKeyVault" | (string & {});

/** `Datasource` */
export interface Datasource {
  datasourceType?: string;
  objectType?: string;
  resourceID: string;
  resourceLocation?: string;
  resourceName?: string;
  resourceType?: string;
  resourceUri?: string;
  resourceProperties?: Record<string, unknown>;
}

/** `DatasourceSet` */
export type DatasourceSet = Datasource;

/** `SecretStoreResource` (`value` exists from 2024-04-01; this tool never sends it). */
export interface SecretStoreResource {
  uri?: string;
  secretStoreType: SecretStoreType;
  value?: string;
}

/** `SecretStoreBasedAuthCredentials` (2021-07-01 and later) */
export interface SecretStoreBasedAuthCredentials {
  objectType: "SecretStoreBasedAuthCredentials";
  secretStoreResource?: SecretStoreResource;
}

/** `RangeBasedItemLevelRestoreCriteria` */
export interface RangeBasedItemLevelRestoreCriteria {
  objectType: "RangeBasedItemLevelRestoreCriteria";
  minMatchingValue?: string;
  maxMatchingValue?: string;
}

/** `ItemPathBasedRestoreCriteria` (2024-04-01 and later) */
export interface ItemPathBasedRestoreCriteria {
  objectType: "ItemPathBasedRestoreCriteria";
  itemPath: string;
  isPathRelativeToBackupItem: boolean;
  subItemPathPrefix?: string[];
  renameTo?: string;
}

/** `NamespacedNameResource` (2024-04-01 and later) */
export interface NamespacedNameResource {
  name?: string;
  namespace?: string;
}

export type PersistentVolumeRestoreMode = "RestoreWithVolumeData" | "RestoreWithoutVolumeData" | (string & {});
export type ExistingResourcePolicy = "Skip" | "Patch" | (string & {});

/**
 * `KubernetesClusterRestoreCriteria` (2024-04-01 and later). `null` is how `az dataprotection` sends a
 * field it leaves unset (the service reads it as absent).
 */
export interface KubernetesClusterRestoreCriteria {
  objectType: "KubernetesClusterRestoreCriteria";
  includeClusterScopeResources: boolean;
  includedNamespaces?: string[] | null;
  excludedNamespaces?: string[] | null;
  includedResourceTypes?: string[] | null;
  excludedResourceTypes?: string[] | null;
  labelSelectors?: string[] | null;
  persistentVolumeRestoreMode?: PersistentVolumeRestoreMode;
  conflictPolicy?: ExistingResourcePolicy;
  namespaceMappings?: Record<string, string> | null;
  restoreHookReferences?: NamespacedNameResource[] | null;
  resourceModifierReference?: NamespacedNameResource | null;
}

/** `KubernetesClusterVaultTierRestoreCriteria` (2024-04-01 and later): the same, plus the staging resources. */
export interface KubernetesClusterVaultTierRestoreCriteria extends Omit<KubernetesClusterRestoreCriteria, "objectType"> {
  objectType: "KubernetesClusterVaultTierRestoreCriteria";
  stagingResourceGroupId?: string;
  stagingStorageAccountId?: string;
}

/** `ResourceListSelectionCriteria` (2026-06-01 and later) */
export interface ResourceListSelectionCriteria {
  objectType: "ResourceListSelectionCriteria" | (string & {});
  resourceIdentifiers: string[];
  resourceNameOverrides?: Record<string, string>;
}

/** `GenericRestoreDatasourceCriteria` (2026-06-01 and later) */
export interface GenericRestoreDatasourceCriteria {
  objectType: "GenericRestoreDatasourceCriteria";
  resourceSelectors: ResourceListSelectionCriteria;
}

export type ItemLevelRestoreCriteria =
  | RangeBasedItemLevelRestoreCriteria
  | ItemPathBasedRestoreCriteria
  | KubernetesClusterRestoreCriteria
  | KubernetesClusterVaultTierRestoreCriteria
  | GenericRestoreDatasourceCriteria
  | { objectType: string; [key: string]: unknown };

interface RestoreTargetInfoCommon {
  recoveryOption: RecoveryOption;
  restoreLocation?: string;
}

/** `RestoreTargetInfo` */
export interface RestoreTargetInfo extends RestoreTargetInfoCommon {
  objectType: "RestoreTargetInfo";
  datasourceInfo: Datasource;
  datasourceSetInfo?: DatasourceSet;
  datasourceAuthCredentials?: SecretStoreBasedAuthCredentials;
}

/** `ItemLevelRestoreTargetInfo` */
export interface ItemLevelRestoreTargetInfo extends RestoreTargetInfoCommon {
  objectType: "ItemLevelRestoreTargetInfo";
  restoreCriteria: ItemLevelRestoreCriteria[];
  datasourceInfo: Datasource;
  datasourceSetInfo?: DatasourceSet;
  datasourceAuthCredentials?: SecretStoreBasedAuthCredentials;
}

/** `TargetDetails` */
export interface TargetDetails {
  filePrefix: string;
  restoreTargetLocationType: RestoreTargetLocationType;
  url: string;
  targetResourceArmId?: string;
}

/** `RestoreFilesTargetInfo` */
export interface RestoreFilesTargetInfo extends RestoreTargetInfoCommon {
  objectType: "RestoreFilesTargetInfo";
  targetDetails: TargetDetails;
}

/** `RestoreTargetInfoBase` and its subtypes */
export type RestoreTargetInfoBase = RestoreTargetInfo | ItemLevelRestoreTargetInfo | RestoreFilesTargetInfo;

interface RestoreRequestCommon {
  restoreTargetInfo: RestoreTargetInfoBase;
  sourceDataStoreType: SourceDataStoreType;
  sourceResourceId?: string;
  resourceGuardOperationRequests?: string[];
  identityDetails?: { useSystemAssignedIdentity?: boolean; userAssignedIdentityArmUrl?: string };
}

/** `AzureBackupRecoveryPointBasedRestoreRequest` */
export interface AzureBackupRecoveryPointBasedRestoreRequest extends RestoreRequestCommon {
  objectType: "AzureBackupRecoveryPointBasedRestoreRequest";
  recoveryPointId: string;
}

/** `AzureBackupRestoreWithRehydrationRequest` */
export interface AzureBackupRestoreWithRehydrationRequest extends RestoreRequestCommon {
  objectType: "AzureBackupRestoreWithRehydrationRequest";
  recoveryPointId: string;
  rehydrationPriority: RehydrationPriority;
  rehydrationRetentionDuration: string;
}

/** `AzureBackupRecoveryTimeBasedRestoreRequest` */
export interface AzureBackupRecoveryTimeBasedRestoreRequest extends RestoreRequestCommon {
  objectType: "AzureBackupRecoveryTimeBasedRestoreRequest";
  recoveryPointTime: string;
}

/** `AzureBackupRestoreRequest` and its subtypes: the body of `restore`. */
export type AzureBackupRestoreRequest =
  | AzureBackupRecoveryPointBasedRestoreRequest
  | AzureBackupRestoreWithRehydrationRequest
  | AzureBackupRecoveryTimeBasedRestoreRequest;

/** `ValidateRestoreRequestObject`: the body of `validateRestore`. */
export interface ValidateRestoreRequestObject {
  restoreRequestObject: AzureBackupRestoreRequest;
}

/** `CrossRegionRestoreDetails`: which instance, in which (primary) region, a cross-region restore reads. */
export interface CrossRegionRestoreDetails {
  sourceRegion: string;
  sourceBackupInstanceId: string;
}

/**
 * `ValidateCrossRegionRestoreRequestObject` and `CrossRegionRestoreRequestObject`, with the top-level
 * `objectType` the CLI sends (recording cross_region_restore #4; the definitions do not name it).
 */
export interface CrossRegionRestoreRequestObject {
  objectType?: string;
  restoreRequestObject: AzureBackupRestoreRequest;
  crossRegionRestoreDetails: CrossRegionRestoreDetails;
}

/** `FetchSecondaryRPsRequestParameters`. */
export interface FetchSecondaryRPsRequestParameters {
  sourceRegion: string;
  sourceBackupInstanceId: string;
}

/** `CrossRegionRestoreJobRequest` / `CrossRegionRestoreJobsRequest`. */
export interface CrossRegionRestoreJobRequest {
  sourceRegion: string;
  sourceBackupVaultId: string;
  jobId?: string;
}

/** `AzureBackupFindRestorableTimeRangesRequest` */
export interface AzureBackupFindRestorableTimeRangesRequest {
  sourceDataStoreType: RestoreSourceDataStoreType;
  startTime?: string;
  endTime?: string;
}

/** `RestorableTimeRange` */
export interface RestorableTimeRange {
  startTime: string;
  endTime: string;
  objectType?: string;
}

/** `AzureBackupFindRestorableTimeRangesResponseResource` */
export interface AzureBackupFindRestorableTimeRangesResponseResource {
  id?: string;
  name?: string;
  type?: string;
  properties?: { restorableTimeRanges?: RestorableTimeRange[]; objectType?: string };
}

/** `PolicyInfo` */
export interface PolicyInfo {
  policyId: string;
  policyVersion?: string;
  policyParameters?: Record<string, unknown>;
}

/** `BackupInstance`: note `dataSourceInfo` here, `datasourceInfo` in restore targets. */
export interface BackupInstance {
  friendlyName?: string;
  dataSourceInfo: Datasource;
  dataSourceSetInfo?: DatasourceSet;
  policyInfo: PolicyInfo;
  protectionStatus?: { status?: string; errorDetails?: UserFacingError };
  currentProtectionState?: string;
  provisioningState?: string;
  datasourceAuthCredentials?: SecretStoreBasedAuthCredentials;
  objectType: string;
}

/** `BackupInstanceResource` */
export interface BackupInstanceResource {
  id?: string;
  name?: string;
  type?: string;
  properties?: BackupInstance;
  tags?: Record<string, string>;
}

/** `RecoveryPointDataStoreDetails` */
export interface RecoveryPointDataStoreDetails {
  id?: string;
  type?: string;
  creationTime?: string;
  expiryTime?: string;
  metaData?: string | null;
  visible?: boolean;
  state?: string;
  rehydrationExpiryTime?: string | null;
  rehydrationStatus?: string | null;
}

/** `AzureBackupDiscreteRecoveryPoint` */
export interface AzureBackupDiscreteRecoveryPoint {
  objectType: "AzureBackupDiscreteRecoveryPoint" | (string & {});
  recoveryPointId?: string;
  recoveryPointTime: string;
  recoveryPointType?: string;
  friendlyName?: string;
  recoveryPointDataStoresDetails?: RecoveryPointDataStoreDetails[];
  retentionTagName?: string;
  retentionTagVersion?: string;
  policyName?: string;
  policyVersion?: string | null;
  expiryTime?: string;
  recoveryPointState?: string;
}

/** `AzureBackupRecoveryPointResource` */
export interface AzureBackupRecoveryPointResource {
  id?: string;
  name?: string;
  type?: string;
  properties?: AzureBackupDiscreteRecoveryPoint;
}


/** Datasource types of the restore kinds this tool has friendly specs for. */
export const BLOB_DATASOURCE_TYPE = "Microsoft.Storage/storageAccounts/blobServices";
export const POSTGRESQL_DATASOURCE_TYPE = "Microsoft.DBforPostgreSQL/servers/databases";

/**
 * `BackupVaultResource` as far as a restore reads it: its identities (the principal a restore runs under).
 * Shapes as recorded (test/fixtures/recordings/backup_vault_create_with_uami_update_and_delete.json).
 */
export interface BackupVaultResource {
  id?: string;
  name?: string;
  location?: string;
  identity?: {
    type?: string;
    principalId?: string;
    tenantId?: string;
    userAssignedIdentities?: Record<string, { principalId?: string; clientId?: string }>;
  };
  properties?: { crossRegionRestoreSettings?: { state?: string }; [key: string]: unknown };
}

export * from "./job-types";
export * from "./authorization-types";
