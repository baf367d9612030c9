import * as fs from "fs";
import { DEFAULT_API_VERSION, API_VERSIONS, isApiVersion, type ApiVersion } from "../api/versions";
import { DataProtectionClient, DEFAULT_ENDPOINT } from "../client/client";
import { credentialFor, type CredentialKind } from "../client/credentials";
import { problem, ProblemError, type Problem } from "../errors/problem";
import { durationMs } from "../language/time";

/** Stack configuration namespace: `pulumi config set azure-restores:<key> <value>`. */
export const CONFIG_NAMESPACE = "azure-restores";

/** What the provider runs with; read in `configure`, kept on the provider object, never serialized. */
export interface ProviderSettings {
  endpoint: string;
  subscriptionId?: string;
  apiVersion: ApiVersion;
  credential: CredentialKind;
  /** PEM file of an extra CA to trust (the emulator's). */
  caCertPath?: string;
  /** How long `up` follows a restore job when the spec sets no `wait.timeout`. */
  waitTimeoutMs: number;
  /** How far back a new restore looks for a job it may have started before a crash. */
  adoptWindowMs: number;
  /** First wait between restore job polls. */
  jobPollIntervalMs: number;
  /** Longest wait between restore job polls: how late a job's end may be seen at worst. */
  jobPollMaxIntervalMs: number;
  /** First wait between a long-running operation's status polls when the service sends no Retry-After (it grows by half). */
  operationPollIntervalMs: number;
  /** Longest wait between those status polls. */
  operationPollMaxIntervalMs: number;
  /** Run Azure's validateRestore in `check` (preview) for restores that have not run. */
  validateInPreview: boolean;
  /** Check in preview that the restore's identities hold the roles it needs (access/). */
  checkAccess: boolean;
  /** How long a restore whose roles this run granted retries the service's permission errors. */
  grantPropagationMs: number;
  /** Data planes a drill's checks read (verify/io.ts): absent, Azure's own, with the provider's credential. */
  blobEndpoint?: string;
  blobAccountName?: string;
  blobAccountKey?: string;
  keyVaultEndpoint?: string;
}

export const CONFIG_KEYS = ["endpoint", "subscriptionId", "apiVersion", "credential", "caCertPath", "waitTimeout", "adoptWindow", "jobPollInterval", "jobPollMaxInterval", "operationPollInterval", "operationPollMaxInterval", "validateInPreview", "checkAccess", "grantPropagation", "blobEndpoint", "blobAccountName", "blobAccountKey", "keyVaultEndpoint", "drillTime", "specs"] as const;

const CREDENTIALS: CredentialKind[] = ["default", "emulator", "azure-cli", "managed-identity", "environment"];

function duration(key: string, value: string | undefined, fallback: string, problems: Problem[]): number {
  const text = value ?? fallback;
  const ms = durationMs(text);
  if (ms === undefined || ms <= 0) {
    problems.push(problem("ConfigInvalid", `${CONFIG_NAMESPACE}:${key} is '${text}', not an ISO 8601 duration`, { field: `${CONFIG_NAMESPACE}:${key}`, remedy: `pulumi config set ${CONFIG_NAMESPACE}:${key} PT2H` }));
    return durationMs(fallback)!;
  }
  return ms;
}

/**
 * Settings from configuration values (`get(key)` answers for `azure-restores:<key>`) and the
 * environment. Pure apart from reading nothing: the caller supplies both.
 */
export function settingsFrom(get: (key: string) => string | undefined, env: NodeJS.ProcessEnv): ProviderSettings {
  const problems: Problem[] = [];
  const apiVersion = get("apiVersion") ?? DEFAULT_API_VERSION;
  if (!isApiVersion(apiVersion)) {
    problems.push(problem("ConfigInvalid", `${CONFIG_NAMESPACE}:apiVersion ${apiVersion} is not supported`, { field: `${CONFIG_NAMESPACE}:apiVersion`, remedy: `use one of ${API_VERSIONS.join(", ")}` }));
  }
  const credential = (get("credential") ?? env.AZURE_RESTORES_CREDENTIAL ?? "default") as CredentialKind;
  if (!CREDENTIALS.includes(credential)) {
    problems.push(problem("ConfigInvalid", `${CONFIG_NAMESPACE}:credential '${credential}' is not known`, { field: `${CONFIG_NAMESPACE}:credential`, remedy: `use one of ${CREDENTIALS.join(", ")}` }));
  }
  const endpoint = get("endpoint") ?? env.AZURE_RESTORES_ENDPOINT ?? DEFAULT_ENDPOINT;
  if (!/^https:\/\/[^/\s]+/i.test(endpoint)) {
    problems.push(problem("ConfigInvalid", `${CONFIG_NAMESPACE}:endpoint '${endpoint}' is not an https URL`, { field: `${CONFIG_NAMESPACE}:endpoint`, remedy: "use https://management.azure.com, or the URL the emulator printed" }));
  }
  const settings: ProviderSettings = {
    endpoint,
    subscriptionId: get("subscriptionId") ?? env.AZURE_SUBSCRIPTION_ID,
    apiVersion: isApiVersion(apiVersion) ? apiVersion : DEFAULT_API_VERSION,
    credential,
    caCertPath: get("caCertPath") ?? env.AZURE_RESTORES_CA_CERT,
    waitTimeoutMs: duration("waitTimeout", get("waitTimeout"), "PT2H", problems),
    adoptWindowMs: duration("adoptWindow", get("adoptWindow"), "P1D", problems),
    jobPollIntervalMs: duration("jobPollInterval", get("jobPollInterval"), "PT15S", problems),
    jobPollMaxIntervalMs: duration("jobPollMaxInterval", get("jobPollMaxInterval"), "PT60S", problems),
    // The client's own schedule when a 202 names no Retry-After (none of the recorded 2023-2026 ones does).
    // The seeds' validateRestore took 22 s and restore 4 s: PT10S sees either end in one or two polls,
    // where PT2S growing by half takes five and two (docs/benchmarks.md runs with PT10S).
    operationPollIntervalMs: duration("operationPollInterval", get("operationPollInterval"), "PT2S", problems),
    operationPollMaxIntervalMs: duration("operationPollMaxInterval", get("operationPollMaxInterval"), "PT30S", problems),
    validateInPreview: (get("validateInPreview") ?? "true") !== "false",
    checkAccess: (get("checkAccess") ?? "true") !== "false",
    // Azure: role assignment changes can take up to 10 minutes to apply (RBAC troubleshooting guide).
    grantPropagationMs: duration("grantPropagation", get("grantPropagation"), "PT10M", problems),
    ...optional("blobEndpoint", get("blobEndpoint") ?? env.AZURE_RESTORES_BLOB_ENDPOINT),
    ...optional("blobAccountName", get("blobAccountName") ?? env.AZURE_RESTORES_BLOB_ACCOUNT),
    ...optional("blobAccountKey", get("blobAccountKey") ?? env.AZURE_RESTORES_BLOB_KEY),
    ...optional("keyVaultEndpoint", get("keyVaultEndpoint") ?? env.AZURE_RESTORES_KEYVAULT_ENDPOINT),
  };
  if (problems.length > 0) throw new ProblemError(problems);
  return settings;
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> => (value ? ({ [key]: value } as Record<K, string>) : {});

/** The extra CA named by the settings, read when a client is made. */
export function readCa(settings: ProviderSettings): string | undefined {
  if (!settings.caCertPath) return undefined;
  try {
    return fs.readFileSync(settings.caCertPath, "utf8");
  } catch (error) {
    throw new ProblemError([
      problem("ConfigInvalid", `cannot read the CA certificate ${settings.caCertPath}: ${(error as Error).message}`, { field: `${CONFIG_NAMESPACE}:caCertPath`, remedy: "point caCertPath at the ca.pem the emulator printed" }),
    ]);
  }
}

/** The client of a session: one per endpoint, for the life of the provider host. */
export function clientFor(settings: ProviderSettings): DataProtectionClient {
  return new DataProtectionClient({ endpoint: settings.endpoint, apiVersion: settings.apiVersion, credential: credentialFor(settings.credential),
    ca: readCa(settings),
    lro: { pollIntervalMs: settings.operationPollIntervalMs, maxPollIntervalMs: settings.operationPollMaxIntervalMs },
  });
}
