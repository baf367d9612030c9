/** The definitions' shapes of lists, errors, operations and jobs, as the restore flow reads them (see ./types). */

/** `AzureBackupRecoveryPointResourceList` and the other pageable lists */
export interface ResourceList<T> {
  value?: T[];
  nextLink?: string;
}

/** `InnerError` */
export interface InnerError {
  code?: string;
  additionalInfo?: Record<string, string>;
  embeddedInnerError?: InnerError;
}

/** `UserFacingError`: what `additionalInfo[].info` and job `errorDetails` carry. */
export interface UserFacingError {
  code?: string;
  message?: string;
  target?: string;
  details?: UserFacingError[];
  innerError?: InnerError;
  isRetryable?: boolean;
  isUserError?: boolean;
  properties?: Record<string, string>;
  recommendedAction?: string[];
}

/** `ErrorAdditionalInfo` */
export interface ErrorAdditionalInfo {
  type?: string;
  info?: unknown;
}

/** `Error` (the body of `CloudError`) */
export interface CloudErrorBody {
  code?: string;
  message?: string;
  target?: string;
  details?: CloudErrorBody[];
  additionalInfo?: ErrorAdditionalInfo[];
}

/** `CloudError` */
export interface CloudError {
  error?: CloudErrorBody;
}

/** `OperationJobExtendedInfo`: the final result of `restore` and `validateRestore`. */
export interface OperationJobExtendedInfo {
  objectType?: "OperationJobExtendedInfo" | (string & {});
  jobId?: string;
}

/** `OperationResource`: what `operationStatus` returns. */
export interface OperationResource {
  id?: string;
  name?: string;
  status?: string;
  startTime?: string;
  endTime?: string;
  error?: CloudErrorBody;
  properties?: OperationJobExtendedInfo;
}

/** `JobSubTask` */
export interface JobSubTask {
  additionalDetails?: Record<string, string>;
  taskId: number;
  taskName: string;
  taskProgress?: string;
  taskStatus: string;
}

/** `UserFacingWarningDetail` (2024-04-01 and later): a warning of a job that ended with warnings. */
export interface UserFacingWarningDetail {
  resourceName?: string;
  warning: UserFacingError;
}

/** `JobExtendedInfo` */
export interface JobExtendedInfo {
  additionalDetails?: Record<string, string>;
  backupInstanceState?: string;
  dataTransferredInBytes?: number;
  recoveryDestination?: string;
  sourceRecoverPoint?: { recoveryPointID?: string; recoveryPointTime?: string };
  subTasks?: JobSubTask[];
  targetRecoverPoint?: { recoveryPointID?: string; recoveryPointTime?: string };
  warningDetails?: UserFacingWarningDetail[];
}

/** `AzureBackupJob` */
export interface AzureBackupJob {
  activityID: string;
  backupInstanceFriendlyName: string;
  backupInstanceId?: string;
  dataSourceId: string;
  dataSourceLocation: string;
  dataSourceName: string;
  dataSourceSetName?: string;
  dataSourceType: string;
  duration?: string;
  endTime?: string;
  errorDetails?: UserFacingError[];
  extendedInfo?: JobExtendedInfo;
  isUserTriggered: boolean;
  operation: string;
  operationCategory: string;
  policyId?: string;
  policyName?: string;
  progressEnabled: boolean;
  progressUrl?: string;
  restoreType?: string;
  sourceResourceGroup: string;
  sourceSubscriptionID: string;
  startTime: string;
  status: string;
  subscriptionId: string;
  supportedActions: string[];
  vaultName: string;
  etag?: string;
  sourceDataStoreName?: string;
  destinationDataStoreName?: string;
}

/** `AzureBackupJobResource` */
export interface AzureBackupJobResource {
  id?: string;
  name?: string;
  type?: string;
  properties?: AzureBackupJob;
}
