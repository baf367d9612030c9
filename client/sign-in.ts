import type { TokenCredential } from "@azure/core-auth";
import { DataProtectionError } from "./errors";

/**
 * Failures of `@azure/identity` while getting a token: no request reached Azure, so the fix is the
 * sign-in, never the network. Recognised by name (`@azure/identity` may be another copy than ours).
 */
const IDENTITY_ERRORS = new Set(["CredentialUnavailableError", "AuthenticationError", "AggregateAuthenticationError", "AuthenticationRequiredError"]);

export function isSignInError(error: unknown): boolean {
  return error instanceof Error && (IDENTITY_ERRORS.has(error.name) || /^(ChainedTokenCredential|DefaultAzureCredential) authentication failed/.test(error.message));
}

/** What each credential of a chain said, its first sentence each (identity's messages hold no token). */
function attempts(error: Error): string[] {
  const nested = (error as Error & { errors?: unknown[] }).errors;
  const lines = Array.isArray(nested) && nested.length > 0 ? nested.map((e) => (e instanceof Error ? e.message : String(e))) : [error.message];
  return lines
    .map((line) => line.replace(/^\w+Error: /, "").replace(/\s+/g, " ").trim())
    .map((line) => /^(.+?[.!])(\s|$)/.exec(line)?.[1] ?? line)
    .filter((line) => line !== "")
    .map((line) => (line.length > 120 ? `${line.slice(0, 117)}...` : line))
    .slice(0, 8);
}

const AZ_LOGIN = "sign in with `az login` (then `az account set --subscription <id>`)";
const SERVICE_PRINCIPAL = "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) for a service principal";
const MANAGED_IDENTITY = "run where a managed identity is assigned";
const EMULATOR = "to try the tool without Azure, run it against the emulator (npm run demo)";

/** How to make the credential that was tried work, or which other one to choose. */
function signInFix(tried: string): string {
  switch (tried) {
    case "AzureCliCredential":
      return `Install the Azure CLI and ${AZ_LOGIN}, or choose another credential (azure-restores:credential, --credential); ${EMULATOR}`;
    case "EnvironmentCredential":
      return `${SERVICE_PRINCIPAL[0].toUpperCase()}${SERVICE_PRINCIPAL.slice(1)}; ${EMULATOR}`;
    case "ManagedIdentityCredential":
      return `Run where a managed identity is assigned, or choose another credential (azure-restores:credential, --credential); ${EMULATOR}`;
    default:
      return `${AZ_LOGIN[0].toUpperCase()}${AZ_LOGIN.slice(1)}, or ${SERVICE_PRINCIPAL}, or ${MANAGED_IDENTITY}; ${EMULATOR}`;
  }
}

/** A sign-in failure as the client's one error, naming the credential tried and what each part of it said. */
export function signInError(error: Error, credential: TokenCredential, operation: string): DataProtectionError {
  const tried = credential.constructor?.name && credential.constructor.name !== "Object" ? credential.constructor.name : "the configured credential";
  const said = attempts(error);
  return new DataProtectionError({
    code: "CredentialUnavailable",
    serviceMessage: `${operation}: could not sign in to Azure with ${tried}, so no request was sent (${said.join(" ")})`,
    recommendedAction: [signInFix(tried)],
    isUserError: true,
    isRetryable: false,
    operation,
  });
}
