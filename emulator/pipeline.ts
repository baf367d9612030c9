import { canonicalBody, checkBody, formatBodyProblems, withoutNulls } from "../api/schema";
import { isApiVersion, type ApiVersion } from "../api/versions";
import { armErrors, ServiceError } from "./errors";
import type { FaultRule } from "./faults";
import { HANDLERS, RESOURCE_HANDLERS } from "./handlers";
import { checkScope as checkSubscriptionAndGroup, type EngineState } from "./handlers/shared";
import { errorReply, failureReply, readBody, type RequestContext, type Reply } from "./http";
import { GUID, isValidName, normalizeLocation } from "./ids";
import type { RequestLogEntry } from "./request-log";
import { isResourceRoute, matchRoute, routeResourceType, type RouteDef } from "./routes";
import { checkBearer } from "./token";

/**
 * The path of an ARM request, as an ordered list of named steps (as Azurite's request listener factory
 * wires its middlewares). `ARM_STEPS` is the one place the order lives. Control requests
 * (`/_emulator/...`) take none of these steps.
 */

/** What the steps read from the engine. */
export interface StepEnv extends EngineState {
  readonly strict: boolean;
  readonly maxBodyBytes: number;
}

/** `x-ms-ratelimit-remaining-subscription-*` values a `rateLimit` fault rule leaves. */
interface RateInfo {
  reads?: number;
  writes?: number;
}

/** One ARM request on its way: each step reads what earlier steps left and adds its part. */
export interface ArmCall {
  readonly http: RequestContext;
  /** The request log entry; steps fill route, operationId, apiVersion and fault. */
  readonly entry: RequestLogEntry;
  readonly rate: RateInfo;
  /** The body as sent; empty until readBody. */
  raw: Buffer;
  route?: RouteDef;
  params?: Record<string, string>;
  /** The api-versions whose definitions define the route. */
  versions?: ApiVersion[];
  version?: ApiVersion;
  body?: unknown;
  /** The response once a step has decided it; `reset` drops the connection. */
  reply?: Reply | "reset";
}

export function newArmCall(http: RequestContext, entry: RequestLogEntry): ArmCall {
  return { http, entry, rate: {}, raw: Buffer.alloc(0) };
}

interface Step {
  readonly name: string;
  /**
   * `front`: ARM's front door; an error or a reply ends the request. `provider`: the resource
   * provider; a service error becomes the reply and the provider steps left are skipped. `after`: runs
   * on whatever reply the provider steps made.
   */
  readonly phase: "front" | "provider" | "after";
  run(env: StepEnv, call: ArmCall): void | Promise<void>;
}

/** The route, its parameters and versions, for the steps after `route`. */
function routed(call: ArmCall): { route: RouteDef; params: Record<string, string>; versions: ApiVersion[] } {
  if (!call.route || !call.params || !call.versions) throw new Error("step order: route runs before this step");
  return { route: call.route, params: call.params, versions: call.versions };
}

/** The api-version, for the steps after `checkApiVersion`. */
function versionOf(call: ArmCall): ApiVersion {
  if (!call.version) throw new Error("step order: checkApiVersion runs before this step");
  return call.version;
}

// ---- the steps, in the order ARM_STEPS runs them -------------------------------------------------------

/** The body is read (and its size capped at 413) before anything else, as a gateway buffers it. */
async function readRequestBody(env: StepEnv, call: ArmCall): Promise<void> {
  call.raw = await readBody(call.http.req, env.maxBodyBytes);
}

function authenticate(_env: StepEnv, call: ArmCall): void {
  const auth = checkBearer(call.http.header("authorization"));
  if (auth.ok) return;
  throw auth.reason === "missing" ? armErrors.authenticationMissing() : auth.reason === "expired" ? armErrors.expiredAuthenticationToken(auth.detail) : armErrors.invalidAuthenticationToken(auth.detail);
}

function route(_env: StepEnv, call: ArmCall): void {
  const { http, entry } = call;
  if (!http.segments) throw armErrors.invalidResourceName(http.path);
  const match = matchRoute(http.method, http.segments);
  if (match.kind === "none") throw armErrors.routeNotFound(http.path);
  if (match.kind === "method") throw armErrors.methodNotAllowed(http.method, match.allowed);
  call.route = match.route;
  call.params = match.params;
  call.versions = match.versions;
  entry.route = match.route.name;
  entry.operationId = match.route.operationId;
}

function checkPathSegments(_env: StepEnv, call: ArmCall): void {
  for (const [name, value] of Object.entries(routed(call).params)) {
    // A Microsoft.Authorization scope is a path; its subscription and resource group are checked as params.
    if (name === "scope") continue;
    if (name === "subscriptionId") {
      if (!GUID.test(value)) throw armErrors.invalidSubscriptionId(value);
    } else if (!isValidName(value)) throw armErrors.invalidResourceName(value);
  }
}

function checkApiVersion(env: StepEnv, call: ArmCall): void {
  const { route, params, versions } = routed(call);
  const version = call.http.query.get("api-version");
  if (version === undefined || version === "") throw armErrors.missingApiVersion();
  call.entry.apiVersion = version;
  if (route.anyApiVersion) return;
  if (route.apiVersions) {
    if (!route.apiVersions.includes(version)) throw armErrors.noRegisteredProviderFound(locationFor(env, params), version, routeResourceType(route), route.apiVersions, env.world.settings.locations);
    return;
  }
  if (!isApiVersion(version) || !versions.includes(version)) {
    throw armErrors.noRegisteredProviderFound(locationFor(env, params), version, routeResourceType(route), versions, env.world.settings.locations);
  }
  call.version = version;
}

/** `slow` rules delay the request; a `throttle`, `status` or `reset` rule answers instead of the service. */
function requestFaults(env: StepEnv, call: ArmCall): void | Promise<void> {
  const { route, params } = routed(call);
  const before = env.faults.forRequest(route.name, call.http.method, "before");
  const apply = (): void => {
    if (!before.fault) return;
    call.entry.fault = before.fault.kind;
    const faulted = faultReply(before.fault, params.subscriptionId, call.http.method);
    if (faulted) call.reply = faulted;
  };
  if (before.delayMs > 0) return new Promise<void>((resolve) => setTimeout(resolve, before.delayMs)).then(apply);
  apply();
}

function rateLimits(env: StepEnv, call: ArmCall): void {
  const { route, params } = routed(call);
  const rate = env.faults.rateLimit(route.name, call.http.method, params.subscriptionId, env.clock.now());
  if (!rate) return;
  call.rate.reads = rate.remainingReads;
  call.rate.writes = rate.remainingWrites;
  if (rate.throttled) {
    call.entry.fault = "rateLimit";
    const seconds = env.clock.realSeconds(rate.retryAfterMs / 1000);
    throw armErrors.throttled(params.subscriptionId, rate.kind, seconds, throttleHeaders(seconds));
  }
}

function checkScope(env: StepEnv, call: ArmCall): void {
  const { params } = routed(call);
  // The root scope (`/providers/Microsoft.Authorization/...`) has no subscription to look up.
  if (params.subscriptionId === undefined) return;
  // A resource group's own routes: creating one is how it comes to exist (handlers/resource-groups.ts).
  if (routed(call).route.template.endsWith("/resourceGroups/{resourceGroupName}")) return checkSubscriptionAndGroup(env.world, { subscriptionId: params.subscriptionId });
  checkSubscriptionAndGroup(env.world, params);
}

/**
 * The body against the requested version's definition, as the service reads it: property names without
 * regard to case, nulls as absent, unknown properties ignored (refused only with --strict).
 */
function parseBody(env: StepEnv, call: ArmCall): void {
  const { route } = routed(call);
  if (!route.bodyDefinition && !route.jsonBody) return;
  const raw = call.raw;
  const contentType = call.http.header("content-type");
  if (raw.length > 0 && contentType && !/json/i.test(contentType)) throw armErrors.unsupportedMediaType(contentType);
  const text = raw.toString("utf8");
  if (text.trim() === "") throw armErrors.invalidRequestContent("The request body is empty; a JSON body is required", [{ target: "(body)", message: "is required" }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw armErrors.invalidRequestContent(`The body is not valid JSON: ${(err as Error).message}`);
  }
  if (!route.bodyDefinition) {
    call.body = parsed;
    return;
  }
  const body = canonicalBody(versionOf(call), route.bodyDefinition, withoutNulls(withoutUndeclared(parsed, route.undeclaredBodyProperties)));
  const problems = checkBody(versionOf(call), route.bodyDefinition, body, { strict: env.strict });
  if (problems.length) throw armErrors.invalidRequestContent(formatBodyProblems(problems), problems.map((p) => ({ target: p.path, message: p.message })));
  call.body = body;
}

/** The body without the top-level properties the route accepts undeclared (names compared without regard to case). */
function withoutUndeclared(body: unknown, names: readonly string[] | undefined): unknown {
  if (!names?.length || !body || typeof body !== "object" || Array.isArray(body)) return body;
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return Object.fromEntries(Object.entries(body).filter(([k]) => !drop.has(k.toLowerCase())));
}

function handle(env: StepEnv, call: ArmCall): void {
  const { route, params } = routed(call);
  const { http } = call;
  const request = { route, params, body: call.body, query: http.query, path: http.path, baseUrl: http.baseUrl, nowMs: env.clock.now() };
  const name = route.name;
  call.reply = isResourceRoute(name) ? RESOURCE_HANDLERS[name](env, { ...request, apiVersion: call.entry.apiVersion ?? "" }) : HANDLERS[name](env, { ...request, version: versionOf(call) });
}

/** A `status` or `reset` rule with `phase: after`: the service has acted, its response is lost. */
function afterFaults(env: StepEnv, call: ArmCall): void {
  const { route, params } = routed(call);
  const after = env.faults.forRequest(route.name, call.http.method, "after");
  if (!after.fault) return;
  call.entry.fault = after.fault.kind;
  const faulted = faultReply(after.fault, params.subscriptionId, call.http.method);
  if (faulted) call.reply = faulted;
}

export const ARM_STEPS: readonly Step[] = [
  { name: "readBody", phase: "front", run: readRequestBody },
  { name: "authenticate", phase: "front", run: authenticate },
  { name: "route", phase: "front", run: route },
  { name: "checkPathSegments", phase: "front", run: checkPathSegments },
  { name: "checkApiVersion", phase: "front", run: checkApiVersion },
  { name: "requestFaults", phase: "front", run: requestFaults },
  { name: "rateLimits", phase: "front", run: rateLimits },
  { name: "checkScope", phase: "provider", run: checkScope },
  { name: "parseBody", phase: "provider", run: parseBody },
  { name: "handle", phase: "provider", run: handle },
  { name: "afterFaults", phase: "after", run: afterFaults },
];

/** Runs the steps; the reply carries the rate-limit headers once the api-version is known. */
export async function runArmSteps(env: StepEnv, call: ArmCall): Promise<Reply | "reset"> {
  let outcome: Reply | "reset";
  try {
    outcome = await runSteps(env, call, ARM_STEPS);
  } catch (err) {
    outcome = failureReply(err);
  }
  if (outcome === "reset" || call.entry.apiVersion === undefined) return outcome;
  return { ...outcome, headers: { ...rateHeaders(call.http.method, call.rate), ...outcome.headers } };
}

async function runSteps(env: StepEnv, call: ArmCall, steps: readonly Step[]): Promise<Reply | "reset"> {
  for (const step of steps) {
    if (step.phase === "provider" && call.reply !== undefined) continue;
    try {
      // only a step that waits returns a promise; the others are not awaited, so no other request's
      // step runs between them
      const pending = step.run(env, call);
      if (pending) await pending;
    } catch (err) {
      if (step.phase !== "provider" || !(err instanceof ServiceError)) throw err;
      call.reply = errorReply(err);
    }
    if (step.phase === "front" && call.reply !== undefined) return call.reply;
  }
  if (call.reply === undefined) throw new Error("no step answered the request");
  return call.reply;
}

// ---- helpers of the steps ----------------------------------------------------------------------------

function throttleHeaders(seconds: number): Record<string, string> {
  return { "Retry-After": String(seconds), "x-ms-ratelimit-remaining-subscription-reads": "0", "x-ms-ratelimit-remaining-subscription-writes": "0" };
}

/** `x-ms-ratelimit-remaining-subscription-reads` (GET) or `-writes`, as ARM sends on every response. */
function rateHeaders(method: string, rate: RateInfo): Record<string, string> {
  return method === "GET" || method === "HEAD"
    ? { "x-ms-ratelimit-remaining-subscription-reads": String(rate.reads ?? 11999) }
    : { "x-ms-ratelimit-remaining-subscription-writes": String(rate.writes ?? 1199) };
}

/** The response of a request-level fault (or "reset"). */
function faultReply(fault: FaultRule, subscriptionId: string, method: string): Reply | "reset" | undefined {
  switch (fault.kind) {
    case "reset":
      return "reset";
    case "throttle": {
      const seconds = fault.retryAfterSeconds ?? 1;
      const err = armErrors.throttled(subscriptionId, method === "GET" ? "read" : "write", seconds, throttleHeaders(seconds));
      return errorReply(fault.error ? new ServiceError(429, { code: fault.error.code, message: fault.error.message ?? err.body.message }, err.headers) : err);
    }
    case "status":
      return errorReply(armErrors.serverError(fault.status ?? 500, fault.error?.code, fault.error?.message));
    default:
      return undefined;
  }
}

/** The location ARM names in NoRegisteredProviderFound: the path's, the vault's, or the resource group's. */
function locationFor(env: StepEnv, params: Record<string, string>): string {
  if (params.location) return normalizeLocation(params.location);
  const vault = params.vaultName ? env.world.vault(params.subscriptionId, params.resourceGroupName, params.vaultName) : undefined;
  if (vault) return normalizeLocation(vault.location);
  const rg = params.resourceGroupName ? env.world.resourceGroup(params.subscriptionId, params.resourceGroupName) : undefined;
  return normalizeLocation(rg?.location ?? env.world.settings.locations[0] ?? "westus");
}
