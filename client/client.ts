import type { TokenCredential } from "@azure/core-auth";
import { createClientLogger } from "@azure/logger";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  isRestError,
  throttlingRetryPolicy,
  type HttpClient,
  type HttpMethods,
  type Pipeline,
  type PipelineResponse,
  type TlsSettings,
} from "@azure/core-rest-pipeline";
import type {
  AzureBackupFindRestorableTimeRangesRequest,
  AzureBackupFindRestorableTimeRangesResponseResource,
  AzureBackupJobResource,
  AzureBackupRecoveryPointResource,
  AzureBackupRestoreRequest,
  BackupInstanceResource,
  BackupVaultResource,
  CloudError,
  CrossRegionRestoreRequestObject,
  ResourceList,
  RoleAssignmentResource,
  RoleDefinitionResource,
  ValidateRestoreRequestObject,
} from "../api/types";
import { DEFAULT_API_VERSION, type ApiVersion } from "../api/versions";
import { backupInstancePath, parseJobId, seg, vaultPath, type BackupInstanceAddress, type VaultAddress } from "./addresses";
import { ARM_SCOPE, credentialFor } from "./credentials";
import { DataProtectionError } from "./errors";
import * as crossRegion from "./cross-region";
import type { SecondaryRegion } from "./cross-region";
import type { CallOptions, RawResult } from "./exchange";
import { isSignInError, signInError } from "./sign-in";
import { restoreOperationTiming, runLongRunningOperation, type LroOptions, type LroOutcome } from "./lro";
import { JobTimings } from "./job-timings";
import { rateLimitPolicy, serviceClockPolicy, ThrottleGate, throttleGatePolicy, type RateLimitReading } from "./pacing";
import { userAgentPrefix } from "./user-agent";

export type { RateLimitReading } from "./pacing";

export type { CallOptions, RawResult } from "./exchange";
export type { SecondaryRegion } from "./cross-region";
export { backupInstancePath, parseJobId, vaultPath, type BackupInstanceAddress, type VaultAddress } from "./addresses";

export const logger = createClientLogger("azure-restores");

export const DEFAULT_ENDPOINT = "https://management.azure.com";

export interface RetrySettings {
  /** Retries of one call (5xx, resets, timeouts, and 429 after its Retry-After). */
  maxRetries?: number;
  retryDelayInMs?: number;
  maxRetryDelayInMs?: number;
  /** How long one call goes on waiting out ARM's throttling once its retries are spent (default 15 min): a 429 is never the restore's failure before then. */
  throttledWaitMs?: number;
}

export interface DataProtectionClientOptions {
  /** ARM endpoint; the emulator's URL to use the emulator. */
  endpoint?: string;
  credential?: TokenCredential;
  /** api-version of every call unless a call says otherwise. */
  apiVersion?: ApiVersion;
  /** Extra CA certificates (PEM) to trust, e.g. the emulator's. */
  ca?: string | string[];
  retry?: RetrySettings;
  /** Per-request timeout (a request queued for a connection counts from when it was sent). */
  requestTimeoutMs?: number;
  /** Connections kept to the endpoint at most (default 64). */
  maxSockets?: number;
  /** Defaults for long-running operations. */
  lro?: Pick<LroOptions, "maxPolls" | "pollIntervalMs" | "maxPollIntervalMs">;
}


const LOGGED_HEADERS = [
  "x-ms-request-id",
  "x-ms-correlation-request-id",
  "x-ms-client-request-id",
  "x-ms-routing-request-id",
  "x-ms-ratelimit-remaining-subscription-reads",
  "x-ms-ratelimit-remaining-subscription-writes",
  "azure-asyncoperation",
  "location",
  "retry-after",
  "retry-after-ms",
  "x-ms-retry-after-ms",
  "www-authenticate",
];

/**
 * A typed client for the restore side of the Data Protection API, on Azure's own pipeline: bearer
 * tokens from any TokenCredential, retries with back-off for 5xx/resets/timeouts, 429 honoured through
 * Retry-After, a User-Agent naming the tool, `x-ms-client-request-id` per call, and logging through
 * `@azure/logger` with `Authorization` redacted.
 *
 * The `restore` trigger goes through a second pipeline that retries only throttling: after a reset or
 * a 5xx the request may have been carried out, and the caller must look for the job before sending it
 * again (see DataProtectionError.ambiguous).
 */
export class DataProtectionClient {
  readonly endpoint: URL;
  readonly apiVersion: ApiVersion;
  /** Throttling budget from the latest response that carried it. */
  rateLimit: RateLimitReading | undefined;
  /** How many times faster the service's clock runs than this process's (see pacing.ts). */
  serviceClockRate = 1;
  /** How long validateRestore and restore operations took in this run, by kind (see lro.ts). */
  readonly operationTimings = new JobTimings();
  private readonly throttle = new ThrottleGate();
  private readonly readPipeline: Pipeline;
  private readonly writePipeline: Pipeline;
  private readonly httpClient: HttpClient;
  private readonly options: DataProtectionClientOptions;
  private readonly credential: TokenCredential;

  constructor(options: DataProtectionClientOptions = {}) {
    this.options = options;
    this.endpoint = new URL(options.endpoint ?? DEFAULT_ENDPOINT);
    if (this.endpoint.protocol !== "https:") throw new Error(`the endpoint must use https: ${this.endpoint.href}`);
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    const credential = (this.credential = options.credential ?? credentialFor("default"));
    const retryOptions = { maxRetries: options.retry?.maxRetries ?? 6, retryDelayInMs: options.retry?.retryDelayInMs ?? 800, maxRetryDelayInMs: options.retry?.maxRetryDelayInMs ?? 60_000 };
    const pipelineOptions = {
      retryOptions,
      userAgentOptions: { userAgentPrefix: userAgentPrefix() },
      loggingOptions: { additionalAllowedHeaderNames: LOGGED_HEADERS, additionalAllowedQueryParameters: ["api-version", "$filter", "$skipToken"] },
      // The pipeline's HTTP client spreads these into the https.Agent it keeps for them: one pool of
      // keep-alive connections, where a wave of thousands of requests queues instead of opening (and
      // handshaking) a socket each; ARM's limits allow far fewer requests per second than 64 sockets carry.
      // (An agent set on each request instead would be written out whole, sockets and headers, by the
      // pipeline's request log.)
      tlsOptions: { ...(options.ca ? { ca: options.ca } : {}), maxSockets: options.maxSockets ?? 64 } as TlsSettings,
    };
    const build = (throttlingOnly: boolean): Pipeline => {
      const pipeline = createPipelineFromOptions(pipelineOptions);
      if (throttlingOnly) {
        pipeline.removePolicy({ name: "defaultRetryPolicy" });
        pipeline.addPolicy(throttlingRetryPolicy({ maxRetries: retryOptions.maxRetries }), { phase: "Retry" });
      }
      pipeline.addPolicy(rateLimitPolicy((reading) => (this.rateLimit = reading)));
      pipeline.addPolicy(throttleGatePolicy(this.throttle), { afterPhase: "Retry" });
      pipeline.addPolicy(serviceClockPolicy((rate) => (this.serviceClockRate = rate)));
      pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: ARM_SCOPE }));
      return pipeline;
    };
    this.readPipeline = build(false);
    this.writePipeline = build(true);
    this.httpClient = createDefaultHttpClient();
  }

  /** Resolves a path or a URL the service returned; refuses to send the token to any other host. */
  private urlFor(pathOrUrl: string, apiVersion: string): URL {
    const url = /^https?:\/\//i.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(pathOrUrl.replace(/^\/*/, "/"), this.endpoint);
    if (url.origin !== this.endpoint.origin) {
      throw new DataProtectionError({
        code: "UntrustedRedirect",
        serviceMessage: `the service pointed the client at ${url.origin}, not at ${this.endpoint.origin}; the request was not sent`,
        recommendedAction: ["Check the configured endpoint"],
      });
    }
    if (!url.searchParams.has("api-version")) url.searchParams.set("api-version", apiVersion);
    return url;
  }

  /** One HTTP exchange; a non-2xx status becomes a DataProtectionError built from the service's CloudError. */
  async send<T>(
    operation: string,
    method: HttpMethods,
    pathOrUrl: string,
    options: CallOptions & { body?: unknown; query?: Record<string, string>; write?: boolean } = {},
  ): Promise<RawResult<T>> {
    const url = this.urlFor(pathOrUrl, options.apiVersion ?? this.apiVersion);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const newRequest = () =>
      createPipelineRequest({
        url: url.href,
        method,
        headers: createHttpHeaders({ accept: "application/json", ...(options.body !== undefined ? { "content-type": "application/json" } : {}) }),
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        abortSignal: options.abortSignal,
        timeout: this.options.requestTimeoutMs ?? 60_000,
      });
    let request = newRequest();
    let response: PipelineResponse;
    let throttledSince: number | undefined;
    // The pipeline's retry policies leave a request that timed out alone (its AbortError looks like the
    // caller's): a read is sent again, a write that may have been received is reported as ambiguous.
    for (let timeouts = 0; ; ) {
      try {
        response = await (options.write ? this.writePipeline : this.readPipeline).sendRequest(this.httpClient, request);
        // Retries spent on 429s: ARM will take the request once its tokens come back (the gate waits for them).
        throttledSince = response.status === 429 ? throttledSince ?? Date.now() : undefined;
        if (throttledSince !== undefined && Date.now() - throttledSince < (this.options.retry?.throttledWaitMs ?? 15 * 60_000) && !options.abortSignal?.aborted) {
          request = newRequest();
          continue;
        }
        break;
      } catch (error) {
        const timedOut = (error as Error).name === "AbortError" && !options.abortSignal?.aborted;
        if (timedOut && method === "GET" && timeouts < (this.options.retry?.maxRetries ?? 3)) {
          timeouts += 1;
          request = newRequest();
          continue;
        }
        if (!timedOut && (options.abortSignal?.aborted || (error as Error).name === "AbortError")) throw error;
        if (isSignInError(error)) throw signInError(error as Error, this.credential, operation);
        const code = timedOut ? "RequestTimeout" : isRestError(error) ? error.code ?? "RequestFailed" : "RequestFailed";
        throw new DataProtectionError({
          code,
          serviceMessage: timedOut
            ? `${operation}: ${url.host} did not answer within ${(this.options.requestTimeoutMs ?? 60_000) / 1000} s${method === "GET" ? `, ${timeouts + 1} times` : ""}`
            : `${operation}: no answer from ${url.host} (${(error as Error).message})`,
          recommendedAction: ["Check the network path to the endpoint; the call is retried on the next run"],
          isRetryable: true,
          clientRequestId: request.requestId,
          operation,
          ambiguous: method !== "GET",
        });
      }
    }
    const headers = response.headers.toJSON({ preserveCase: false });
    const text = response.bodyAsText ?? "";
    let body: unknown = undefined;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const context = {
      statusCode: response.status,
      requestId: headers["x-ms-request-id"],
      correlationId: headers["x-ms-correlation-request-id"],
      clientRequestId: request.requestId,
      operation,
    };
    if (response.status >= 400) {
      const cloud = typeof body === "object" && body !== null ? (body as CloudError).error : undefined;
      throw DataProtectionError.fromCloudError(cloud, {
        ...context,
        serviceMessage: typeof body === "string" && body ? body.slice(0, 500) : `${operation} failed with HTTP ${response.status}`,
        isRetryable: response.status === 429 || response.status >= 500,
        // A 5xx on a write may have been applied before it failed.
        ambiguous: method !== "GET" && response.status >= 500,
      });
    }
    logger.verbose(`${operation}: HTTP ${response.status} (request ${context.requestId ?? "-"})`);
    return { status: response.status, headers, body: body as T, url: url.href, method };
  }

  /** Follows `nextLink` until the list ends (a guard stops a service that pages forever). */
  private async listAll<T>(operation: string, path: string, options: CallOptions & { query?: Record<string, string> } = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    let query = options.query;
    for (let page = 0; next; page++) {
      if (page >= 1000) throw new DataProtectionError({ code: "TooManyPages", serviceMessage: `${operation}: more than 1000 pages`, operation });
      const result: RawResult<ResourceList<T>> = await this.send<ResourceList<T>>(operation, "GET", next, { ...options, query });
      items.push(...(result.body?.value ?? []));
      next = result.body?.nextLink || undefined;
      query = undefined; // the nextLink carries the query
    }
    return items;
  }

  getBackupInstance(bi: BackupInstanceAddress, options: CallOptions = {}): Promise<BackupInstanceResource> {
    return this.send<BackupInstanceResource>("getBackupInstance", "GET", backupInstancePath(bi), options).then((r) => r.body);
  }

  listBackupInstances(vault: VaultAddress, options: CallOptions = {}): Promise<BackupInstanceResource[]> {
    return this.listAll<BackupInstanceResource>("listBackupInstances", `${vaultPath(vault)}/backupInstances`, options);
  }

  findRestorableTimeRanges(bi: BackupInstanceAddress, body: AzureBackupFindRestorableTimeRangesRequest, options: CallOptions = {}): Promise<AzureBackupFindRestorableTimeRangesResponseResource> {
    return this.send<AzureBackupFindRestorableTimeRangesResponseResource>("findRestorableTimeRanges", "POST", `${backupInstancePath(bi)}/findRestorableTimeRanges`, { ...options, body }).then((r) => r.body);
  }

  /** Every recovery point of the instance, optionally between two times (the service's `$filter`). */
  listRecoveryPoints(bi: BackupInstanceAddress, filter: { startDate?: string; endDate?: string } = {}, options: CallOptions = {}): Promise<AzureBackupRecoveryPointResource[]> {
    const clauses = [filter.startDate ? `startDate eq '${filter.startDate}'` : "", filter.endDate ? `endDate eq '${filter.endDate}'` : ""].filter(Boolean);
    return this.listAll<AzureBackupRecoveryPointResource>("listRecoveryPoints", `${backupInstancePath(bi)}/recoveryPoints`, {
      ...options,
      ...(clauses.length > 0 ? { query: { $filter: clauses.join(" and ") } } : {}),
    });
  }

  getRecoveryPoint(bi: BackupInstanceAddress, recoveryPointId: string, options: CallOptions = {}): Promise<AzureBackupRecoveryPointResource> {
    return this.send<AzureBackupRecoveryPointResource>("getRecoveryPoint", "GET", `${backupInstancePath(bi)}/recoveryPoints/${seg(recoveryPointId)}`, options).then((r) => r.body);
  }

  /** `validateRestore`, followed to its end; a Failed operation throws the service's error. */
  validateRestore(bi: BackupInstanceAddress, body: ValidateRestoreRequestObject, options: CallOptions & LroOptions = {}): Promise<LroOutcome> {
    return runLongRunningOperation(this, "validateRestore", () => this.send("validateRestore", "POST", `${backupInstancePath(bi)}/validateRestore`, { ...options, body }), {
      ...this.options.lro,
      timing: restoreOperationTiming(this.operationTimings, "validateRestore", backupInstancePath(bi), body.restoreRequestObject, () => this.serviceClockRate),
      ...options,
    });
  }

  /** `restore`, followed to its end; the outcome carries the restore job's ID. */
  triggerRestore(bi: BackupInstanceAddress, body: AzureBackupRestoreRequest, options: CallOptions & LroOptions = {}): Promise<LroOutcome> {
    return runLongRunningOperation(this, "restore", () => this.send("restore", "POST", `${backupInstancePath(bi)}/restore`, { ...options, body, write: true }), {
      ...this.options.lro,
      timing: restoreOperationTiming(this.operationTimings, "restore", backupInstancePath(bi), body, () => this.serviceClockRate),
      ...options,
      finalResult: true,
    });
  }

  /** A restore job, by its ARM ID (as `restore` returns it) or by vault and job name. */
  getJob(job: string | { vault: VaultAddress; name: string }, options: CallOptions = {}): Promise<AzureBackupJobResource> {
    const parsed = typeof job === "string" ? parseJobId(job) : job;
    if (!parsed) {
      return Promise.reject(new DataProtectionError({ code: "InvalidJobId", serviceMessage: `'${String(job)}' is not the ARM ID of a backup job`, recommendedAction: ["Pass the jobId the restore operation returned"] }));
    }
    return this.send<AzureBackupJobResource>("getJob", "GET", `${vaultPath(parsed.vault)}/backupJobs/${seg(parsed.name)}`, options).then((r) => r.body);
  }

  listJobs(vault: VaultAddress, options: CallOptions = {}): Promise<AzureBackupJobResource[]> {
    return this.listAll<AzureBackupJobResource>("listJobs", `${vaultPath(vault)}/backupJobs`, options);
  }

  /** The client's options for long-running operations (the cross-region calls use them too). */
  get lroOptions(): LroOptions | undefined {
    return this.options.lro;
  }

  /** The instance's recovery points in the vault's secondary region. */
  fetchSecondaryRecoveryPoints(region: SecondaryRegion, sourceBackupInstanceId: string, filter: { startDate?: string; endDate?: string } = {}, options: CallOptions = {}): Promise<AzureBackupRecoveryPointResource[]> {
    return crossRegion.fetchSecondaryRecoveryPoints(this, region, sourceBackupInstanceId, filter, options);
  }

  validateCrossRegionRestore(region: SecondaryRegion, body: CrossRegionRestoreRequestObject, options: CallOptions & LroOptions = {}): Promise<LroOutcome> {
    return crossRegion.validateCrossRegionRestore(this, region, body, options);
  }

  crossRegionRestore(region: SecondaryRegion, body: CrossRegionRestoreRequestObject, options: CallOptions & LroOptions = {}): Promise<LroOutcome> {
    return crossRegion.crossRegionRestore(this, region, body, options);
  }

  fetchCrossRegionRestoreJob(region: SecondaryRegion, sourceBackupVaultId: string, jobName: string, options: CallOptions = {}): Promise<AzureBackupJobResource> {
    return crossRegion.fetchCrossRegionRestoreJob(this, region, sourceBackupVaultId, jobName, options);
  }

  fetchCrossRegionRestoreJobs(region: SecondaryRegion, sourceBackupVaultId: string, options: CallOptions = {}): Promise<AzureBackupJobResource[]> {
    return crossRegion.fetchCrossRegionRestoreJobs(this, region, sourceBackupVaultId, options);
  }

  /** The vault, for its identities. */
  getBackupVault(vault: VaultAddress, options: CallOptions = {}): Promise<BackupVaultResource> {
    return this.send<BackupVaultResource>("getBackupVault", "GET", vaultPath(vault), options).then((r) => r.body);
  }

  /**
   * The role assignments of a principal that apply at a scope: there, inherited from above, and below
   * (Microsoft.Authorization's list at a scope, `$filter=principalId eq '…'`).
   */
  listRoleAssignments(scope: string, principalId: string, options: CallOptions = {}): Promise<RoleAssignmentResource[]> {
    return this.listAll<RoleAssignmentResource>("listRoleAssignments", `${armScope(scope)}/providers/Microsoft.Authorization/roleAssignments`, {
      ...options,
      apiVersion: AUTHORIZATION_API_VERSION,
      query: { $filter: `principalId eq '${principalId}'` },
    });
  }

  /** Any ARM resource by its ID, at its provider's api-version (an AKS cluster, for its identity). */
  getResource<T>(id: string, apiVersion: string, options: CallOptions = {}): Promise<T> {
    return this.send<T>("getResource", "GET", armScope(id), { ...options, apiVersion }).then((r) => r.body);
  }

  /** A role definition by its ARM ID (`/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}`). */
  getRoleDefinition(id: string, options: CallOptions = {}): Promise<RoleDefinitionResource> {
    return this.send<RoleDefinitionResource>("getRoleDefinition", "GET", armScope(id), { ...options, apiVersion: AUTHORIZATION_API_VERSION }).then((r) => r.body);
  }
}

/** Microsoft.Authorization's api-version, as `az role assignment` and the azure-native provider use it. */
export const AUTHORIZATION_API_VERSION = "2022-04-01";

/** An ARM ID as a path: its segments encoded one by one, so no part of it adds a segment. */
function armScope(id: string): string {
  const parts = id.split("/").filter((p) => p !== "");
  if (parts.length === 0 || !/^(subscriptions|providers)$/i.test(parts[0])) {
    throw new DataProtectionError({ code: "InvalidResourceName", serviceMessage: `'${id}' is not an ARM ID`, recommendedAction: ["Use the resource's ARM ID as Azure shows it"], isUserError: true });
  }
  return `/${parts.map(seg).join("/")}`;
}
