import type { IncomingMessage, ServerResponse } from "http";
import { checkBody, formatBodyProblems, withoutNulls } from "../api/schema";
import { isApiVersion, type ApiVersion } from "../api/versions";
import { VirtualClock } from "./clock";
import { handleControl } from "./control";
import { armErrors, ServiceError } from "./errors";
import { FaultEngine, type FaultKind, type FaultRule } from "./faults";
import { parseDateTime } from "./format";
import { errorReply, readBody, RequestContext, writeReply, type Reply } from "./http";
import { GUID, isValidName, normalizeLocation } from "./ids";
import { checkScope, type EngineState } from "./handlers/shared";
import { HANDLERS } from "./handlers";
import { matchRoute, routeResourceType, type RouteDef } from "./routes";
import { Store, type OperationRecord } from "./store";
import { checkBearer } from "./token";
import type { World } from "./world/world";

/**
 * The protocol layer and the emulator's state. Every ARM request goes through the same steps, in this
 * order (as Azurite's request listener factory wires its middlewares):
 *
 *   context (request/correlation IDs) → body (size cap) → authentication → routing (case-insensitive)
 *   → path segment checks → api-version → request faults → rate limits → subscription/resource group
 *   → body against the definitions (strict when asked) → handler → after-faults → response → log
 *
 * Control requests (`/_emulator/...`) skip authentication and faults.
 */

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  /** Operation name (route), `control` for the control API, `unknown` when no route matched. */
  route: string;
  operationId?: string;
  apiVersion?: string;
  /** HTTP status, or 0 when a `reset` fault dropped the connection. */
  status: number;
  errorCode?: string;
  fault?: FaultKind;
  startedAt: string;
  /** Virtual time when the request arrived. */
  virtualTime: string;
  durationMs: number;
  requestId: string;
  correlationId: string;
  clientRequestId?: string;
  userAgent?: string;
}

export interface EngineOptions {
  world: World;
  timeScale?: number;
  strict?: boolean;
  faults?: FaultRule[];
  statePath?: string;
  maxBodyBytes?: number;
  /** Called after each request is logged (the CLI prints it). */
  onRequest?: (entry: RequestLogEntry) => void;
}

const MAX_LOG = 20_000;

interface RateInfo {
  reads?: number;
  writes?: number;
}

/** `x-ms-ratelimit-remaining-subscription-reads` (GET) or `-writes`, as ARM sends on every response. */
function rateHeaders(method: string, rate: RateInfo): Record<string, string> {
  return method === "GET" || method === "HEAD"
    ? { "x-ms-ratelimit-remaining-subscription-reads": String(rate.reads ?? 11999) }
    : { "x-ms-ratelimit-remaining-subscription-writes": String(rate.writes ?? 1199) };
}

function worldOperations(world: World): Map<string, OperationRecord> {
  const ops = new Map<string, OperationRecord>();
  for (const spec of world.file.operations ?? []) {
    const startMs = parseDateTime(spec.startTime) ?? 0;
    const endMs = spec.status === "InProgress" ? null : parseDateTime(spec.endTime ?? spec.startTime) ?? startMs;
    ops.set(spec.id, {
      id: spec.id,
      kind: "seeded",
      subscriptionId: spec.subscriptionId,
      location: normalizeLocation(spec.location),
      ...(spec.resourceGroup !== undefined ? { resourceGroup: spec.resourceGroup } : {}),
      ...(spec.vaultName !== undefined ? { vaultName: spec.vaultName } : {}),
      ...(spec.backupInstanceName !== undefined ? { backupInstanceName: spec.backupInstanceName } : {}),
      startMs,
      endMs,
      outcome:
        spec.status === "Failed"
          ? { status: "Failed", error: spec.error ?? { code: "InternalError", message: "The operation failed." }, httpStatus: 500 }
          : { status: "Succeeded", ...(spec.jobId !== undefined ? { jobId: spec.jobId } : {}), ...(spec.result ? { result: spec.result } : {}) },
    });
  }
  return ops;
}

function startOf(world: World): number | undefined {
  return world.settings.startTime !== undefined ? parseDateTime(world.settings.startTime) : undefined;
}

export class Engine implements EngineState {
  world: World;
  readonly store: Store;
  readonly clock: VirtualClock;
  readonly faults = new FaultEngine();
  worldOperations: Map<string, OperationRecord>;
  readonly strict: boolean;
  private readonly initialWorld: World;
  private readonly initialFaults: FaultRule[];
  private readonly maxBodyBytes: number;
  private log: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly options: EngineOptions) {
    this.world = options.world;
    this.initialWorld = options.world;
    this.initialFaults = options.faults ?? [];
    this.worldOperations = worldOperations(this.world);
    this.strict = options.strict ?? false;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.store = new Store(options.statePath);
    const saved = this.store.load();
    const start = startOf(this.world);
    this.clock = new VirtualClock({ timeScale: options.timeScale ?? 1, ...(saved ? { startMs: Math.max(saved.virtualNowMs, start ?? 0) } : start !== undefined ? { startMs: start } : {}) });
    this.faults.set(this.initialFaults);
  }

  changed(): void {
    this.store.save(this.clock.now());
  }

  // ---- control -----------------------------------------------------------------------------------

  /** Back to the state at start: initial world and faults, no operations or jobs, clock restarted, log cleared. */
  reset(): void {
    this.world = this.initialWorld;
    this.worldOperations = worldOperations(this.world);
    this.store.clear();
    this.clock.reset(startOf(this.world));
    this.faults.set(this.initialFaults);
    this.log = [];
    this.changed();
  }

  /** Replaces the world; operations and jobs are dropped and the clock restarts (faults and log stay). */
  loadWorld(world: World): void {
    this.world = world;
    this.worldOperations = worldOperations(world);
    this.store.clear();
    this.clock.reset(startOf(world));
    this.changed();
  }

  advance(seconds: number): void {
    this.clock.advance(seconds);
    this.changed();
  }

  requestLog(): RequestLogEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  clearRequestLog(): void {
    this.log = [];
  }

  // ---- requests ------------------------------------------------------------------------------------

  async handle(req: IncomingMessage, res: ServerResponse, fallbackBaseUrl: string): Promise<void> {
    const ctx = new RequestContext(req, fallbackBaseUrl);
    const virtualTime = new Date(this.clock.now()).toISOString();
    const entry: RequestLogEntry = {
      seq: 0,
      method: ctx.method,
      path: ctx.path,
      route: "unknown",
      status: 0,
      startedAt: new Date(ctx.startedAt).toISOString(),
      virtualTime,
      durationMs: 0,
      requestId: ctx.requestId,
      correlationId: ctx.correlationId,
      ...(ctx.header("x-ms-client-request-id") ? { clientRequestId: ctx.header("x-ms-client-request-id") } : {}),
      ...(ctx.header("user-agent") ? { userAgent: ctx.header("user-agent") } : {}),
    };
    const rate: RateInfo = {};
    let outcome: Reply | "reset";
    const isControl = ctx.segments?.[0] === "_emulator";
    try {
      if (isControl) {
        entry.route = "control";
        outcome = handleControl(this, ctx, await readBody(req, this.maxBodyBytes));
      } else {
        outcome = await this.arm(ctx, entry, rate);
      }
    } catch (err) {
      outcome = err instanceof ServiceError ? errorReply(err) : errorReply(armErrors.serverError(500, "InternalServerError", `The emulator failed: ${(err as Error).message}`));
    }
    if (outcome === "reset") {
      req.socket.destroy();
    } else {
      if (!isControl && entry.apiVersion !== undefined) outcome = { ...outcome, headers: { ...rateHeaders(ctx.method, rate), ...outcome.headers } };
      writeReply(res, ctx, outcome);
      entry.status = outcome.status;
      const body = outcome.body as { error?: { code?: string } } | undefined;
      if (body && typeof body === "object" && body.error?.code) entry.errorCode = body.error.code;
    }
    entry.durationMs = Date.now() - ctx.startedAt;
    entry.seq = ++this.seq;
    this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    this.options.onRequest?.(entry);
  }

  private async arm(ctx: RequestContext, entry: RequestLogEntry, rateInfo: RateInfo): Promise<Reply | "reset"> {
    const raw = await readBody(ctx.req, this.maxBodyBytes);

    const auth = checkBearer(ctx.header("authorization"));
    if (!auth.ok) {
      throw auth.reason === "missing" ? armErrors.authenticationMissing() : auth.reason === "expired" ? armErrors.expiredAuthenticationToken(auth.detail) : armErrors.invalidAuthenticationToken(auth.detail);
    }

    if (!ctx.segments) throw armErrors.invalidResourceName(ctx.path);
    const match = matchRoute(ctx.method, ctx.segments);
    if (match.kind === "none") throw armErrors.routeNotFound(ctx.path);
    if (match.kind === "method") throw armErrors.methodNotAllowed(ctx.method, match.allowed);
    const { route, params, versions } = match;
    entry.route = route.name;
    entry.operationId = route.operationId;

    for (const [name, value] of Object.entries(params)) {
      if (name === "subscriptionId") {
        if (!GUID.test(value)) throw armErrors.invalidSubscriptionId(value);
      } else if (!isValidName(value)) throw armErrors.invalidResourceName(value);
    }

    const version = ctx.query.get("api-version");
    if (version === undefined || version === "") throw armErrors.missingApiVersion();
    entry.apiVersion = version;
    if (!isApiVersion(version) || !versions.includes(version)) {
      throw armErrors.noRegisteredProviderFound(this.locationFor(params), version, routeResourceType(route), versions, this.world.settings.locations);
    }

    const before = this.faults.forRequest(route.name, ctx.method, "before");
    if (before.delayMs > 0) await new Promise((r) => setTimeout(r, before.delayMs));
    if (before.fault) {
      entry.fault = before.fault.kind;
      const faulted = this.requestFault(before.fault, params.subscriptionId, ctx.method);
      if (faulted) return faulted;
    }
    const rate = this.faults.rateLimit(route.name, ctx.method, params.subscriptionId, this.clock.now());
    if (rate) {
      rateInfo.reads = rate.remainingReads;
      rateInfo.writes = rate.remainingWrites;
      if (rate.throttled) {
        entry.fault = "rateLimit";
        const seconds = this.clock.realSeconds(rate.retryAfterMs / 1000);
        throw armErrors.throttled(params.subscriptionId, rate.kind, seconds, this.throttleHeaders(seconds));
      }
    }

    let reply: Reply;
    try {
      checkScope(this.world, params);
      const body = route.bodyDefinition ? this.parseBody(ctx, raw, version, route) : undefined;
      reply = HANDLERS[route.name](this, { route, params, version, body, query: ctx.query, path: ctx.path, baseUrl: ctx.baseUrl, nowMs: this.clock.now() });
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      reply = errorReply(err);
    }

    const after = this.faults.forRequest(route.name, ctx.method, "after");
    if (after.fault) {
      entry.fault = after.fault.kind;
      const faulted = this.requestFault(after.fault, params.subscriptionId, ctx.method);
      if (faulted) return faulted;
    }
    return reply;
  }

  private throttleHeaders(seconds: number): Record<string, string> {
    return { "Retry-After": String(seconds), "x-ms-ratelimit-remaining-subscription-reads": "0", "x-ms-ratelimit-remaining-subscription-writes": "0" };
  }

  /** The response of a request-level fault (or "reset"). */
  private requestFault(fault: FaultRule, subscriptionId: string, method: string): Reply | "reset" | undefined {
    switch (fault.kind) {
      case "reset":
        return "reset";
      case "throttle": {
        const seconds = fault.retryAfterSeconds ?? 1;
        const err = armErrors.throttled(subscriptionId, method === "GET" ? "read" : "write", seconds, this.throttleHeaders(seconds));
        return errorReply(fault.error ? new ServiceError(429, { code: fault.error.code, message: fault.error.message ?? err.body.message }, err.headers) : err);
      }
      case "status":
        return errorReply(armErrors.serverError(fault.status ?? 500, fault.error?.code, fault.error?.message));
      default:
        return undefined;
    }
  }

  private parseBody(ctx: RequestContext, raw: Buffer, version: ApiVersion, route: RouteDef): unknown {
    const contentType = ctx.header("content-type");
    if (raw.length > 0 && contentType && !/json/i.test(contentType)) throw armErrors.unsupportedMediaType(contentType);
    const text = raw.toString("utf8");
    if (text.trim() === "") throw armErrors.invalidRequestContent("The request body is empty; a JSON body is required", [{ target: "(body)", message: "is required" }]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw armErrors.invalidRequestContent(`The body is not valid JSON: ${(err as Error).message}`);
    }
    const problems = checkBody(version, route.bodyDefinition ?? "", parsed, { strict: this.strict });
    if (problems.length) throw armErrors.invalidRequestContent(formatBodyProblems(problems), problems.map((p) => ({ target: p.path, message: p.message })));
    return withoutNulls(parsed);
  }

  /** The location ARM names in NoRegisteredProviderFound: the vault's, the path's, or the resource group's. */
  private locationFor(params: Record<string, string>): string {
    if (params.location) return normalizeLocation(params.location);
    const vault = params.vaultName ? this.world.vault(params.subscriptionId, params.resourceGroupName, params.vaultName) : undefined;
    if (vault) return normalizeLocation(vault.location);
    const rg = params.resourceGroupName ? this.world.resourceGroup(params.subscriptionId, params.resourceGroupName) : undefined;
    return normalizeLocation(rg?.location ?? this.world.settings.locations[0] ?? "westus");
  }

}
