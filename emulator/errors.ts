import type { CloudErrorBody, InnerError, UserFacingError } from "../api/types";

/**
 * Every error the emulator sends, one constructor per service error code (as Azurite's
 * StorageErrorFactory). ARM-level errors (authentication, api-version, routing, throttling) carry a plain
 * CloudError body; Data Protection errors also carry `additionalInfo[{type: "UserFacingError", info}]`
 * with code, message, recommendedAction, isRetryable and isUserError, as the service writes them.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly body: CloudErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${status} ${body.code ?? ""}: ${body.message ?? ""}`);
    this.name = "ServiceError";
  }
}

/** A Data Protection error before it is given an activity ID (rules stay pure). */
export interface DpError {
  /** HTTP status when the error is the response (or the final status of the operation's Location). */
  status: number;
  code: string;
  message: string;
  recommendedAction: string[];
  target?: string;
  innerError?: InnerError;
  isRetryable: boolean;
  isUserError: boolean;
}

/** The `UserFacingError` of a DpError, keys in the order the service writes them. */
export function userFacingError(e: DpError, activityId: string): UserFacingError {
  return {
    message: e.message,
    recommendedAction: e.recommendedAction,
    code: e.code,
    target: e.target ?? "",
    ...(e.innerError ? { innerError: e.innerError } : {}),
    isRetryable: e.isRetryable,
    isUserError: e.isUserError,
    properties: { ActivityId: activityId },
  };
}

/** The CloudError body of a DpError: `{additionalInfo: [{type: "UserFacingError", info}], code, message}`. */
export function dpErrorBody(e: DpError, activityId: string): CloudErrorBody {
  return { additionalInfo: [{ type: "UserFacingError", info: userFacingError(e, activityId) }], code: e.code, message: e.message };
}

export function dpServiceError(e: DpError, activityId: string, headers: Record<string, string> = {}): ServiceError {
  return new ServiceError(e.status, dpErrorBody(e, activityId), headers);
}

const WWW_AUTHENTICATE = (description: string) =>
  `Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="${description.replace(/"/g, "'")}"`;

const arm = (status: number, code: string, message: string, extra: Partial<CloudErrorBody> = {}, headers: Record<string, string> = {}) =>
  new ServiceError(status, { code, message, ...extra }, headers);

/** Errors Azure Resource Manager itself returns, before a request reaches the resource provider. */
export const armErrors = {
  authenticationMissing: () =>
    arm(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", {}, { "WWW-Authenticate": WWW_AUTHENTICATE("The 'Authorization' header is missing.") }),
  invalidAuthenticationToken: (detail: string) =>
    arm(401, "InvalidAuthenticationToken", `The access token is invalid. ${detail}`.trim(), {}, { "WWW-Authenticate": WWW_AUTHENTICATE(detail) }),
  expiredAuthenticationToken: (detail: string) =>
    arm(401, "ExpiredAuthenticationToken", detail, {}, { "WWW-Authenticate": WWW_AUTHENTICATE("The access token has expired.") }),
  missingApiVersion: () => arm(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."),
  noRegisteredProviderFound: (location: string, version: string, type: string, supported: readonly string[], locations: readonly string[]) =>
    arm(
      400,
      "NoRegisteredProviderFound",
      `No registered resource provider found for location '${location}' and API version '${version}' for type '${type}'. ` +
        `The supported api-versions are '${supported.join(", ")}'. The supported locations are '${locations.join(", ")}'.`,
    ),
  invalidSubscriptionId: (id: string) => arm(400, "InvalidSubscriptionId", `The provided subscription identifier '${id}' is malformed or invalid.`),
  invalidResourceName: (name: string) =>
    arm(400, "InvalidResourceName", `The resource name '${name}' is invalid. Names may contain letters, digits, '.', '_', '-', '(', ')', '=' and '+'.`),
  subscriptionNotFound: (id: string) => arm(404, "SubscriptionNotFound", `The subscription '${id}' could not be found.`),
  resourceGroupNotFound: (name: string) => arm(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`),
  vaultNotFound: (vault: string, resourceGroup: string) =>
    arm(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.DataProtection/backupVaults/${vault}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    ),
  routeNotFound: (path: string) => arm(404, "NotFound", `No HTTP resource was found that matches the request URI '${path}'.`),
  methodNotAllowed: (method: string, allowed: string[]) =>
    arm(405, "MethodNotAllowed", `The requested resource does not support http method '${method}'.`, {}, { Allow: allowed.join(", ") }),
  invalidRequestContent: (message: string, details: Array<{ target: string; message: string }> = []) =>
    arm(400, "InvalidRequestContent", `The request content was invalid and could not be deserialized: '${message}'.`, {
      ...(details.length ? { details: details.map((d) => ({ code: "InvalidRequestContent", target: d.target, message: d.message })) } : {}),
    }),
  unsupportedMediaType: (contentType: string) =>
    arm(415, "UnsupportedMediaType", `The content media type '${contentType}' is not supported. Only 'application/json' is supported.`),
  requestTooLarge: (limit: number) => arm(413, "RequestEntityTooLarge", `The request content size exceeds the maximum allowed size of ${limit} bytes.`),
  invalidQueryParameter: (name: string, message: string) => arm(400, "InvalidQueryParameterValue", `The value of query parameter '${name}' is invalid: ${message}`),
  throttled: (subscriptionId: string, kind: "read" | "write", retryAfterSeconds: number, headers: Record<string, string>) =>
    arm(
      429,
      "SubscriptionRequestsThrottled",
      `Number of '${kind}' requests for subscription '${subscriptionId}' actor 'emulator' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
      {},
      headers,
    ),
  serverError: (status: number, code?: string, message?: string) =>
    arm(
      status,
      code ?? (status === 503 ? "ServiceUnavailable" : "InternalServerError"),
      message ?? (status === 503 ? "The service is temporarily unavailable. Please retry the request." : "An internal server error occurred. Please retry the request."),
    ),
};

const dp = (
  status: number,
  code: string,
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

const detailed = (message: string): InnerError => ({ code: "InnerErrorCodeUnavailable", additionalInfo: { DetailedNonLocalisedMessage: message } });

/** Errors of the Data Protection service: missing resources and the restore rules. */
export const dpErrors = {
  backupInstanceNotFound: (vault: string, name: string) =>
    dp(404, "ResourceNotFound", `The backup instance '${name}' was not found in backup vault '${vault}'.`, ["Check the backup instance name and the backup vault."]),
  recoveryPointResourceNotFound: (backupInstance: string, id: string) =>
    dp(404, "ResourceNotFound", `The recovery point '${id}' was not found for backup instance '${backupInstance}'.`, ["List the recovery points of the backup instance and use one of them."]),
  jobNotFound: (vault: string, id: string) => dp(404, "ResourceNotFound", `The job '${id}' was not found in backup vault '${vault}'.`, ["Check the job ID."]),
  operationNotFound: (id: string) => dp(404, "ResourceNotFound", `The operation '${id}' was not found.`, ["Check the operation ID in the Azure-AsyncOperation or Location header."]),
  invalidFilter: (message: string) => dp(400, "UserErrorInvalidFilter", `The $filter is invalid: ${message}`, ["Use startDate, endDate, isVisible or restorePointState with 'eq', joined by 'and'."]),
  invalidSkipToken: () => dp(400, "UserErrorInvalidSkipToken", "The $skipToken is invalid.", ["Use the nextLink returned by the previous page as it is."]),
  invalidTimeRangeRequest: (message: string) =>
    dp(400, "UserErrorInvalidRequestParameter", message, ["Give startTime and endTime as ISO 8601 date-times, or leave them empty."]),

  // ---- restore rules ----
  datasourceTypeMismatch: (requested: string, instance: string) =>
    dp(400, "UserErrorDatasourceTypeMismatch", `The datasource type '${requested}' of the restore request does not match the datasource type '${instance}' of the backup instance.`, [
      "Use the datasource type of the backup instance in restoreTargetInfo.datasourceInfo.",
    ]),
  pointInTimeNotInRestorableRange: (time: string, store: string) =>
    dp(
      400,
      "UserErrorPointInTimeNotInRestorableRange",
      `The point in time '${time}' is not within a restorable time range of the ${store} of the backup instance.`,
      ["Call findRestorableTimeRanges and choose a point in time within one of the returned ranges."],
    ),
  recoveryPointNotFound: (id: string) =>
    dp(400, "UserErrorRecoveryPointNotFound", `The recovery point '${id}' was not found for the backup instance.`, ["List the recovery points of the backup instance and use one of them."]),
  recoveryPointNotInDataStore: (id: string, store: string) =>
    dp(400, "UserErrorRecoveryPointNotInDataStore", `The recovery point '${id}' is not present in the data store '${store}'.`, [
      "Set sourceDataStoreType to a data store listed in the recovery point's recoveryPointDataStoresDetails.",
    ]),
  archiveRestoreRequiresRehydration: (id: string) =>
    dp(400, "UserErrorArchiveRestoreRequiresRehydration", `The recovery point '${id}' is in the archive tier; restoring it requires rehydration.`, [
      "Use objectType AzureBackupRestoreWithRehydrationRequest with rehydrationPriority and rehydrationRetentionDuration, or rehydrate the recovery point first.",
    ]),
  restoreToLowerVersion: (sourceVersion: string, targetVersion: string) =>
    dp(
      400,
      "UserErrorRestoreToLowerVersion",
      "Restoring backups of a higher PostgreSQL version to a lower version is not supported.",
      ["Restore to the same or a higher PostgreSQL version from which the backup was taken."],
      {
        isUserError: false,
        innerError: detailed(
          `Restoring backup from version:${sourceVersion} of PostgreSQL to ${targetVersion} of PostgreSQL not supported, as the restore server version is lower.`,
        ),
      },
    ),
  targetDatabaseAlreadyExists: (database: string, server: string) =>
    dp(409, "UserErrorTargetDatabaseAlreadyExists", `A database named '${database}' already exists on the server '${server}' and the recovery option is FailIfExists.`, [
      "Restore to a database name that does not exist on the target server.",
    ]),
  originalLocationRestoreNotSupported: () =>
    dp(400, "UserErrorOriginalLocationRestoreNotSupported", "Original-location restore is not supported for Azure Database for PostgreSQL; the target database is the protected database.", [
      "Restore as a new database (alternate-location restore) or as files.",
    ]),
  targetServerNotFound: (serverId: string) =>
    dp(404, "UserErrorTargetServerNotFound", `The target PostgreSQL server '${serverId}' was not found.`, ["Check the resource ID of the target server in datasourceSetInfo/datasourceInfo."]),
  keyVaultSecretNotFound: (uri: string) =>
    dp(400, "UserErrorKeyVaultSecretNotFound", `The Key Vault secret '${uri}' was not found or the backup vault's identity cannot read it.`, [
      "Check the secret URI and grant the backup vault's managed identity 'get' and 'list' permissions on secrets of the Key Vault.",
    ]),
  operationalRestoreToAnotherAccount: (account: string) =>
    dp(400, "UserErrorOperationalTierAlternateLocationNotSupported", `A point-in-time restore from the operational tier restores the original storage account; '${account}' is another account.`, [
      "Restore to the original storage account, or restore from a vaulted recovery point to another account.",
    ]),
  targetStorageAccountNotFound: (account: string) =>
    dp(404, "UserErrorTargetStorageAccountNotFound", `The target storage account '${account}' was not found.`, ["Check the storage account of the restore target."]),
  targetContainerNotFound: (url: string) =>
    dp(404, "UserErrorTargetContainerNotFound", `The target container '${url}' was not found.`, ["Create the container, or restore to an existing container."]),
  restoreCriteriaLimitExceeded: (count: number, max: number) =>
    dp(400, "UserErrorRestoreCriteriaLimitExceeded", `The request has ${count} restore ranges; at most ${max} are allowed.`, [`Restore with at most ${max} ranges per request.`]),
  invalidRestoreRange: (index: number, min: string, max: string) =>
    dp(400, "UserErrorInvalidRestoreRange", `Restore range ${index} is invalid: minMatchingValue '${min}' is not lower than maxMatchingValue '${max}'.`, [
      "Give each range a minMatchingValue lower than its maxMatchingValue.",
    ]),
  overlappingRestoreRanges: (a: number, b: number) =>
    dp(400, "UserErrorOverlappingRestoreRanges", `Restore ranges ${a} and ${b} overlap.`, ["Merge the overlapping ranges or make them disjoint."]),
  anotherRestoreInProgress: (target: string, jobId: string) =>
    dp(
      409,
      "UserErrorAnotherRestoreInProgressOnSameTarget",
      `Another restore (job '${jobId}') is in progress on '${target}'. Only one blob restore can run on a storage account at a time.`,
      ["Wait for the running restore job to finish, then retry."],
      { isRetryable: true },
    ),
  crossRegionRestoreNotEnabled: (vault: string) =>
    dp(400, "UserErrorCrossRegionRestoreNotEnabled", `Cross-region restore is not enabled on the backup vault '${vault}'.`, [
      "Enable cross-region restore on a geo-redundant backup vault.",
    ]),
  invalidSourceRegion: (given: string, actual: string) =>
    dp(400, "UserErrorInvalidSourceRegion", `The source region '${given}' does not match the region '${actual}' of the backup vault.`, [
      "Set crossRegionRestoreDetails.sourceRegion to the region of the backup vault.",
    ]),
  /** What an `operationFails` / `jobFails` fault injects when it names no error. */
  injected: (code?: string, message?: string, status = 500): DpError =>
    dp(status, code ?? "InternalError", message ?? "The operation failed because of an internal error. Please retry.", ["Retry the operation."], {
      isRetryable: true,
      isUserError: false,
    }),
};
