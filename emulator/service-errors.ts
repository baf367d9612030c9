import type { InnerError } from "../api/types";
import type { DpError } from "./errors";

/**
 * The Data Protection service's errors, one constructor per code. Every code is the service's own,
 * with its message and recommended action as the source gives them, or is marked the emulator's own
 * where no source gives one; `SOURCES` names the source of each, and emulator/README.md tables them
 * (a test keeps the two in step). Sources:
 * - blob: learn.microsoft.com/azure/backup/backup-azure-troubleshoot-blob-backup
 *   (MicrosoftDocs/azure-docs articles/backup/backup-azure-troubleshoot-blob-backup.md @04cb5e0)
 * - postgresql: learn.microsoft.com/azure/backup/backup-azure-database-postgresql-troubleshoot (@14401a5)
 * - archive: learn.microsoft.com/azure/backup/archive-tier-support troubleshooting (written for Recovery Services vaults)
 * - disk: learn.microsoft.com/azure/backup/disk-backup-troubleshoot (MicrosoftDocs/azure-docs @0476a49)
 * - adls: learn.microsoft.com/azure/backup/azure-data-lake-storage-backup-troubleshoot (@1414c2e)
 * - seed: the PostgreSQL restore REST API document (shared/seeds/restore-postgresql-rest-api.md)
 * - recordings: the Azure CLI's recorded live tests (test/fixtures/recordings)
 * - aks: learn.microsoft.com/azure/backup/azure-kubernetes-service-backup-troubleshoot (@0339fcce; it gives
 *   each code's cause and recommended action, no message: the messages here are its causes, shortened),
 *   and the restore prerequisites of azure-kubernetes-service-cluster-restore.md (@03e5750a)
 * - third-party: shared notes of users who met the code (no Microsoft source names it; low confidence)
 */
export type Source = "blob" | "postgresql" | "disk" | "adls" | "archive" | "seed" | `recording:${string}` | "emulator" | "aks" | "third-party";

export const SOURCES: Record<string, Source> = {
  ResourceNotFound: "recording:backup_instance_restore_disk",
  UserErrorInvalidFilter: "emulator",
  UserErrorInvalidSkipToken: "emulator",
  DppPluginInvalidInputParameters: "recording:restorable_time_range_find",
  UserErrorInvalidRestorableTimeRange: "recording:restorable_time_range_find",
  CloudInternalError: "recording:restorable_time_range_find",
  UserErrorDatasourceTypeMismatch: "emulator",
  UserErrorInvalidRecoveryPointInTime: "blob",
  UserErrorRestorePointNotFound: "blob",
  UserErrorRecoveryPointNotInDataStore: "emulator",
  UserErrorRecoveryPointNotRehydrated: "archive",
  UserErrorRestoreToLowerVersion: "seed",
  UserErrorDatabaseNameAlreadyInUse: "postgresql",
  UserErrorOriginalLocationRestoreNotSupported: "blob",
  UserErrorDBNotFound: "postgresql",
  UserErrorInvalidSecret: "postgresql",
  UserErrorOperationalTierAlternateLocationNotSupported: "emulator",
  UserErrorAzureResourceNotFoundByPlugin: "blob",
  UserErrorContainerNotAccessible: "postgresql",
  UserErrorTooManyRestoreCriteriaGivenForBlobRestore: "blob",
  UserErrorInvalidRestorePrefixRange: "blob",
  UserErrorPitrRestoreInProgress: "blob",
  UserErrorCrossRegionRestoreNotEnabled: "emulator",
  UserErrorInvalidSourceRegion: "emulator",
  UserErrorInvalidSecondaryRegion: "emulator",
  UserErrorCrossRegionCrossSubscriptionRestoreNotSupported: "emulator",
  UserErrorRecoveryPointNotInSecondaryRegion: "emulator",
  UserErrorUserAssignedIdentityNotAttached: "emulator",
  UserErrorSystemAssignedIdentityNotEnabled: "emulator",
  UserErrorRestoreCompletedWithWarnings: "emulator",
  UserErrorSameNameDiskAlreadyExists: "disk",
  UserErrorRestoreTargetRGNotFound: "disk",
  UserErrorDiskSnapshotNotFound: "disk",
  UserErrorTargetContainersExistOnAccount: "adls",
  UserErrorRestoreTargetTypeNotSupported: "emulator",
  UserErrorMSIMissingPermissions: "recording:cross_region_restore",
  UserErrorNotEnoughPermissionOnTargetRG: "disk",
  UserErrorMissingRequiredPermissions: "blob",
  KubernetesBackupListExtensionsError: "aks",
  UserErrorTargetResourceNotFound: "emulator",
  UserErrorKubernetesBackupExtensionNotFoundError: "aks",
  UserErrorTrustedAccessGatewayReturnedForbidden: "third-party",
  UserErrorSourceandTargetClusterCRDVersionMismatch: "aks",
  UserErrorTargetVolumeAlreadyExists: "emulator",
  UserErrorMaxConcurrentOperationLimitReached: "disk",
};

export const dp = (
  status: number,
  code: keyof typeof SOURCES,
  message: string,
  recommendedAction: string[],
  opts: { isRetryable?: boolean; isUserError?: boolean; innerError?: InnerError; target?: string } = {},
): DpError => ({
  status,
  code,
  message,
  recommendedAction,
  isRetryable: opts.isRetryable ?? false,
  isUserError: opts.isUserError ?? true,
  ...(opts.innerError ? { innerError: opts.innerError } : {}),
  ...(opts.target !== undefined ? { target: opts.target } : {}),
});

export const detailed = (message: string): InnerError => ({ code: "InnerErrorCodeUnavailable", additionalInfo: { DetailedNonLocalisedMessage: message } });

/** Errors of the Data Protection service: missing resources, bad requests and the restore rules. */
export const dpErrors = {
  backupInstanceNotFound: (vault: string, name: string) =>
    dp(404, "ResourceNotFound", `The backup instance '${name}' was not found in backup vault '${vault}'.`, ["Check the backup instance name and the backup vault."]),
  recoveryPointResourceNotFound: (backupInstance: string, id: string) =>
    dp(404, "ResourceNotFound", `The recovery point '${id}' was not found for backup instance '${backupInstance}'.`, ["List the recovery points of the backup instance and use one of them."]),
  jobNotFound: (vault: string, id: string) => dp(404, "ResourceNotFound", `The job '${id}' was not found in backup vault '${vault}'.`, ["Check the job ID."]),
  operationNotFound: (id: string) => dp(404, "ResourceNotFound", `The operation '${id}' was not found.`, ["Check the operation ID in the Azure-AsyncOperation or Location header."]),
  invalidFilter: (message: string) => dp(400, "UserErrorInvalidFilter", `The $filter is invalid: ${message}`, ["Use startDate, endDate, isVisible or restorePointState with 'eq', joined by 'and'."]),
  invalidSkipToken: () => dp(400, "UserErrorInvalidSkipToken", "The $skipToken is invalid.", ["Use the nextLink returned by the previous page as it is."]),
  /** As recorded for findRestorableTimeRanges with a startTime the service could not read. */
  invalidInputs: () =>
    dp(400, "DppPluginInvalidInputParameters", "Invalid inputs from caller.", ["Please retry after some time with correct inputs. Reach out to the Azure Backup support if the issue persists. "], { isUserError: false }),
  invalidRestorableTimeRange: () =>
    dp(400, "UserErrorInvalidRestorableTimeRange", "The given time range is invalid", ["Please ensure that the given time range in the request is valid"], { isUserError: false }),
  /** As recorded for findRestorableTimeRanges with an endTime and no startTime. */
  internalError: () =>
    dp(500, "CloudInternalError", "Microsoft Azure Backup encountered an internal error.", ["Wait for a few minutes and then try the operation again. If the issue persists, please contact Microsoft support."], {
      isUserError: false,
    }),

  // ---- restore rules ----
  datasourceTypeMismatch: (requested: string, instance: string) =>
    dp(400, "UserErrorDatasourceTypeMismatch", `The datasource type '${requested}' of the restore request does not match the datasource type '${instance}' of the backup instance.`, [
      "Use the datasource type of the backup instance in restoreTargetInfo.datasourceInfo.",
    ]),
  pointInTimeNotInRestorableRange: (time: string, store: string) =>
    dp(400, "UserErrorInvalidRecoveryPointInTime", "Restore point in time is invalid.", ["Ensure that the recovery time provided for restore exists and is in the correct format."], {
      innerError: detailed(`The point in time '${time}' is not within a restorable time range of the ${store}.`),
    }),
  recoveryPointNotFound: (id: string) =>
    dp(
      400,
      "UserErrorRestorePointNotFound",
      "The restore point isn't available in backup vault.",
      [
        "Ensure that the restore point ID is correct and the restore point didn't get deleted based on the backup retention settings. For a recent recovery point, ensure that the corresponding backup job is complete. We recommend you triggering the operation again using a valid restore point. If the issue persists, contact Microsoft support.",
      ],
      { innerError: detailed(`The recovery point '${id}' was not found for the backup instance.`) },
    ),
  recoveryPointNotInDataStore: (id: string, store: string) =>
    dp(400, "UserErrorRecoveryPointNotInDataStore", `The recovery point '${id}' is not present in the data store '${store}'.`, [
      "Set sourceDataStoreType to a data store listed in the recovery point's recoveryPointDataStoresDetails.",
    ]),
  archiveRestoreRequiresRehydration: (id: string) =>
    dp(400, "UserErrorRecoveryPointNotRehydrated", "Archive Recovery Point is not rehydrated. Retry Restore after rehydration completed on Archive RP.", [
      "Try restore after rehydrating the recovery point, or restore with AzureBackupRestoreWithRehydrationRequest.",
    ], { innerError: detailed(`The recovery point '${id}' is in the archive tier.`) }),
  restoreToLowerVersion: (sourceVersion: string, targetVersion: string) =>
    dp(
      400,
      "UserErrorRestoreToLowerVersion",
      "Restoring backups of a higher PostgreSQL version to a lower version is not supported.",
      ["Restore to the same or a higher PostgreSQL version from which the backup was taken."],
      {
        isUserError: false,
        innerError: detailed(`Restoring backup from version:${sourceVersion} of PostgreSQL to ${targetVersion} of PostgreSQL not supported, as the restore server version is lower.`),
      },
    ),
  databaseNameAlreadyInUse: (database: string, server: string) =>
    dp(
      409,
      "UserErrorDatabaseNameAlreadyInUse",
      `The database name '${database}' is already in use on the server '${server}'.`,
      ["The name given for the restored database already exists and hence the restore operation failed. Retry the restore operation with a different name."],
    ),
  originalLocationRestoreNotSupported: () =>
    dp(400, "UserErrorOriginalLocationRestoreNotSupported", "Original location restores not supported for this datasource.", ["Choose an alternate target and trigger the restore operation."]),
  databaseNotFound: (serverId: string) =>
    dp(404, "UserErrorDBNotFound", `The database or server '${serverId}' was not found.`, ["Ensure that the database and the relevant server exist."]),
  secretNotFound: (uri: string) =>
    dp(400, "UserErrorInvalidSecret", `The secret '${uri}' was not found in the key vault.`, ["Ensure that the specified secret name is present in the key vault."]),
  operationalRestoreToAnotherAccount: (account: string) =>
    dp(400, "UserErrorOperationalTierAlternateLocationNotSupported", `A point-in-time restore from the operational tier restores the original storage account; '${account}' is another account.`, [
      "Restore to the original storage account, or restore from a vaulted recovery point to another account.",
    ]),
  targetStorageAccountNotFound: (account: string) =>
    dp(
      404,
      "UserErrorAzureResourceNotFoundByPlugin",
      "Unable to find the specified Azure resource.",
      ["For a backup operation, ensure that the source account configured for backup is valid and not deleted. For restoration, check if both source and target storage accounts are existing."],
      { target: account },
    ),
  targetContainerNotFound: (url: string) =>
    dp(400, "UserErrorContainerNotAccessible", `The storage account container '${url}' is not accessible.`, [
      "Give the Backup vault MSI the permission to access the storage account containers: assign the Storage Blob Data Contributor role to the Backup vault MSI.",
    ]),
  restoreCriteriaLimitExceeded: (count: number, max: number) =>
    dp(400, "UserErrorTooManyRestoreCriteriaGivenForBlobRestore", "The count of containers passed in the restore request exceeds the supported limit.", [
      "Reduce the number of containers in item level restore request to adhere to the limit.",
    ], { innerError: detailed(`The request has ${count} restore criteria; at most ${max} are supported.`) }),
  invalidRestoreRange: (index: number, min: string, max: string) =>
    dp(400, "UserErrorInvalidRestorePrefixRange", "Restore Prefix Range for item-level restore is invalid.", [
      "This error may occur if the backup service can't decipher the prefix range passed for the restore. Ensure that the prefix range provided for the restore is valid.",
    ], { innerError: detailed(`Restore range ${index}: minMatchingValue '${min}' is not lower than maxMatchingValue '${max}'.`) }),
  overlappingRestoreRanges: (a: number, b: number) =>
    dp(400, "UserErrorInvalidRestorePrefixRange", "Restore Prefix Range for item-level restore is invalid.", [
      "This error may occur if the backup service can't decipher the prefix range passed for the restore. Ensure that the prefix range provided for the restore is valid.",
    ], { innerError: detailed(`Restore ranges ${a} and ${b} overlap.`) }),
  restoreInProgress: (target: string, jobId: string) =>
    dp(409, "UserErrorPitrRestoreInProgress", "The operation can't be performed while a restore is in progress on the source account.", ["You need to retrigger the operation once the in-progress restore completes."], {
      isRetryable: true,
      innerError: detailed(`Restore job '${jobId}' is in progress on '${target}'.`),
    }),
  /**
   * The code, message and action are the disk troubleshooting guide's (verbatim; it frames them as
   * backups). The HTTP status, isRetryable and their use for restores are the emulator's own.
   */
  maxConcurrentOperations: (instance: string, running: number) =>
    dp(409, "UserErrorMaxConcurrentOperationLimitReached", "Unable to start the operation as maximum number of allowed concurrent backups has reached.", ["Wait until the previous running backup completes."], {
      isRetryable: true,
      innerError: detailed(`${running} restore jobs are running on backup instance '${instance}'.`),
    }),
  sameNameDiskExists: (disk: string, resourceGroup: string) =>
    dp(409, "UserErrorSameNameDiskAlreadyExists", "Could not restore as a Disk with same name already exists in the selected target resource group", ["Provide a different disk name for restore."], {
      innerError: detailed(`The disk '${disk}' already exists in the resource group '${resourceGroup}'.`),
    }),
  restoreTargetResourceGroupNotFound: (resourceGroup: string) =>
    dp(404, "UserErrorRestoreTargetRGNotFound", "Operation failed as the Target Resource Group does not exist.", ["Provide a valid resource group to restore."], {
      innerError: detailed(`The resource group '${resourceGroup}' was not found.`),
    }),
  diskSnapshotNotFound: (recoveryPointId: string) =>
    dp(
      404,
      "UserErrorDiskSnapshotNotFound",
      "The disk snapshot for this Restore point has been deleted.",
      [
        "Snapshots are stored in the snapshot data store resource group within your subscription. It's possible that the snapshot related to the selected restore point might have been deleted or moved from this resource group. Consider using another Recovery point to restore. Also, follow the recommended guidelines for choosing Snapshot resource group mentioned in the restore documentation.",
      ],
      { innerError: detailed(`The snapshot of recovery point '${recoveryPointId}' was not found.`) },
    ),
  /** `containers`: the names as the message lists them (`'a', 'b'`). */
  targetContainersExist: (account: string, containers: string) =>
    dp(409, "UserErrorTargetContainersExistOnAccount", "The containers that're part of restore request shouldn't exist on target storage account.", [
      "Ensure that the target storage account doesn't have containers with the same name you're trying to restore. Choose another storage target or retry the restore operation after removing containers with the same name.",
    ], { innerError: detailed(`Containers ${containers} exist on the storage account '${account}'.`) }),
  restoreTargetTypeNotSupported: (targetType: string, datasourceType: string, supported: string) =>
    dp(400, "UserErrorRestoreTargetTypeNotSupported", `The restore target '${targetType}' is not supported for datasource type '${datasourceType}'.`, [`Restore with ${supported}.`]),
  crossRegionRestoreNotEnabled: (vault: string) =>
    dp(400, "UserErrorCrossRegionRestoreNotEnabled", `Cross-region restore is not enabled on the backup vault '${vault}'.`, ["Enable cross-region restore on a geo-redundant backup vault."]),
  invalidSourceRegion: (given: string, actual: string) =>
    dp(400, "UserErrorInvalidSourceRegion", `The source region '${given}' does not match the region '${actual}' of the backup vault.`, ["Set crossRegionRestoreDetails.sourceRegion to the region of the backup vault."]),
  /** `secondary` undefined: the vault's region has no pair. */
  invalidSecondaryRegion: (given: string, vault: string, secondary: string | undefined) =>
    dp(400, "UserErrorInvalidSecondaryRegion", `The region '${given}' is not the secondary region${secondary ? ` '${secondary}'` : ""} of the backup vault '${vault}'; cross-region calls and their targets are in the secondary region.`, [
      "Call the cross-region operations at the vault's secondary region (its Azure region pair), and restore to a target in that region.",
    ]),
  /** quick-cross-region-restore.md: "Cross Regional Restore (CRR) with Cross Subscription Restore (CSR) is currently not supported." */
  crossRegionCrossSubscriptionNotSupported: (targetSubscription: string, vaultSubscription: string) =>
    dp(400, "UserErrorCrossRegionCrossSubscriptionRestoreNotSupported", "Cross Regional Restore (CRR) with Cross Subscription Restore (CSR) is currently not supported.", [
      "Restore to a target in the subscription of the backup vault.",
    ], { innerError: detailed(`The target is in subscription '${targetSubscription}'; the backup vault is in subscription '${vaultSubscription}'.`) }),
  /** tutorial-cross-region-restore.md: a recovery point reaches the secondary region up to 12 hours after the backup. */
  recoveryPointNotInSecondaryRegion: (point: string, region: string) =>
    dp(400, "UserErrorRecoveryPointNotInSecondaryRegion", `The recovery point '${point}' is not yet available in the secondary region '${region}'.`, [
      "It can take up to 12 hours for a recovery point to be replicated to the secondary region. Restore from a recovery point that fetchSecondaryRecoveryPoints lists, or retry later.",
    ]),
  /** The message the service answers, as Azure/azure-sdk-for-net#47031 quotes it (the code is not shown there). */
  userAssignedIdentityNotAttached: (url: string, vault: string) =>
    dp(400, "UserErrorUserAssignedIdentityNotAttached", "The User Identity provided in input is not attached to the Backup Vault. Please attach the User Identity to the Backup Vault first and then perform any backup or restore related operations.", [
      "Please retry the operation after attaching the User Identity to the Backup Vault.",
    ], { innerError: detailed(`The user-assigned identity '${url}' is not an identity of the backup vault '${vault}'.`) }),
  systemAssignedIdentityNotEnabled: (vault: string) =>
    dp(400, "UserErrorSystemAssignedIdentityNotEnabled", `The backup vault '${vault}' has no system-assigned identity; the restore runs as it unless identityDetails names a user-assigned identity of the vault.`, [
      "Enable the vault's system-assigned identity, or set identityDetails.useSystemAssignedIdentity to false and userAssignedIdentityArmUrl to a user-assigned identity of the vault.",
    ]),
  // ---- AKS, Elastic SAN and Cosmos DB targets ----
  /** No source names the service's code for a missing AKS cluster, Elastic SAN volume group or Cosmos DB account. */
  targetResourceNotFound: (what: string, id: string) =>
    dp(404, "UserErrorTargetResourceNotFound", `The ${what} '${id}' the restore writes to was not found.`, [`Ensure that the ${what} exists, then trigger the restore again.`]),
  /** The troubleshooting page's cause, shortened; its recommended action as written (including "CL"). */
  kubernetesBackupExtensionNotFound: (cluster: string) =>
    dp(400, "UserErrorKubernetesBackupExtensionNotFoundError", "The Backup extension is absent in the list of extensions installed in the cluster.", [
      "Use the CL or Azure portal client to delete the extension, and then install the extension again.",
    ], { innerError: detailed(`The cluster '${cluster}' has no Backup extension installed.`) }),
  /** The message as third-party notes quote it; the action is the AKS restore article's prerequisite. */
  trustedAccessMissing: (cluster: string) =>
    dp(400, "UserErrorTrustedAccessGatewayReturnedForbidden", "The Trusted Access role binding is missing/has gotten removed from the cluster.", [
      "You must enable Trusted Access between the Backup vault and the AKS cluster.",
    ], { innerError: detailed(`No Trusted Access role binding of the Backup vault on the cluster '${cluster}'.`) }),
  /** A warning of a restore job (the troubleshooting page lists it under jobs completed with warnings): its cause and action as written. */
  clusterVersionMismatch: () =>
    dp(200, "UserErrorSourceandTargetClusterCRDVersionMismatch", "The source AKS cluster and Target AKS cluster during restore have different versions of FlowSchema and PriorityLevelConfigurations CRs. Some Kubernetes resources aren't restored due to the mismatch in cluster versions.", [
      "Use same cluster version for Target cluster as Source cluster or manually apply the CRs.",
    ]),
  targetVolumeAlreadyExists: (volume: string, volumeGroup: string) =>
    dp(409, "UserErrorTargetVolumeAlreadyExists", `A volume named '${volume}' already exists in the volume group '${volumeGroup}'.`, [
      "Restore the volume under a name that does not exist in the volume group (resourceNameOverrides).",
    ]),
  /** What an `operationFails` / `jobFails` fault injects when it names no error: the service's internal error. */
  injected: (code?: string, message?: string, status = 500): DpError => ({
    ...dp(status, "CloudInternalError", message ?? "Microsoft Azure Backup encountered an internal error.", ["Wait for a few minutes and then try the operation again. If the issue persists, please contact Microsoft support."], {
      isRetryable: true,
      isUserError: false,
    }),
    code: code ?? "CloudInternalError",
  }),
};

/** How emulator/README.md names each kind of source in its rule table. */
export const SOURCE_NAMES: Record<string, string> = {
  blob: "Blob troubleshooting",
  postgresql: "PostgreSQL troubleshooting",
  disk: "Disk troubleshooting",
  adls: "Data Lake troubleshooting",
  archive: "Archive tier troubleshooting",
  seed: "PostgreSQL seed",
  recording: "recording",
  emulator: "emulator's own",
  aks: "AKS troubleshooting",
  "third-party": "third-party notes (low confidence)",
};
