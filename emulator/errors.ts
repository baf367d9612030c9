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
  /** ARM's 404 for a resource of another provider (recording cross_region_restore #2). */
  resourceNotFound: (type: string, name: string, resourceGroup: string) =>
    arm(404, "ResourceNotFound", `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`),
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
