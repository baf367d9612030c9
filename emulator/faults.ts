import Ajv from "ajv";
import * as YAML from "yaml";

/**
 * Faults for reliability tests, set from a file (`--faults`) or the control API. A rule matches calls by
 * route (operation name, or `*`) and optionally method, and applies to the next `count` matching calls,
 * or to each with `probability` drawn from a PRNG seeded with `seed` (deterministic), or to every call.
 *
 * - `throttle`: 429 with Retry-After and `x-ms-ratelimit-remaining-subscription-*: 0`.
 * - `status`: a 5xx (500 by default; 503, 504 as ARM sends them) or a 4xx (403 `AuthorizationFailed`: a caller that may not read role assignments) with a CloudError. `phase: after` runs the request first (its side effects
 *   happen) and loses the response, as a gateway failure does.
 * - `reset`: the connection is destroyed without a response (also with `phase: after`).
 * - `slow`: the response is delayed by `delayMs` (real time).
 * - `operationFails`: the next operation created on the route ends Failed with `error`.
 * - `jobFails`: the next restore job created ends Failed with `error` in errorDetails.
 * - `rateLimit`: ARM's subscription limits, `reads`/`writes` per `windowSeconds` (virtual time); calls
 *   over the limit get 429 with the Retry-After that frees the window.
 */
export type FaultKind = "throttle" | "status" | "reset" | "slow" | "operationFails" | "jobFails" | "rateLimit";

export interface FaultRule {
  kind: FaultKind;
  /** Operation name (see the README's route list) or `*` (default). */
  route?: string;
  method?: string;
  /** For `status`: 500 (default), 503, 504... */
  status?: number;
  /** For `throttle`: Retry-After in seconds (default 1). */
  retryAfterSeconds?: number;
  /** For `slow`: delay in milliseconds. */
  delayMs?: number;
  /** Apply to the next N matching calls only. */
  count?: number;
  /** Apply to each matching call with this probability (0..1). */
  probability?: number;
  /** Seed of the PRNG used with `probability` (default 1). */
  seed?: number;
  /** The error of `status`, `throttle`, `operationFails`, `jobFails`. */
  error?: { code: string; message?: string };
  /** For `status` and `reset`: before the request is handled (default) or after it. */
  phase?: "before" | "after";
  /** For `rateLimit`. */
  reads?: number;
  writes?: number;
  windowSeconds?: number;
}

export interface FaultState extends FaultRule {
  id: number;
  /** Calls left for a `count` rule. */
  remaining?: number;
  /** How many times the rule has applied. */
  applied: number;
}

const RULE_SCHEMA = {
  type: "object",
  required: ["kind"],
  additionalProperties: false,
  properties: {
    kind: { enum: ["throttle", "status", "reset", "slow", "operationFails", "jobFails", "rateLimit"] },
    route: { type: "string" },
    method: { type: "string" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    retryAfterSeconds: { type: "number", minimum: 0 },
    delayMs: { type: "number", minimum: 0, maximum: 600000 },
    count: { type: "integer", minimum: 1 },
    probability: { type: "number", minimum: 0, maximum: 1 },
    seed: { type: "integer" },
    error: { type: "object", required: ["code"], additionalProperties: false, properties: { code: { type: "string" }, message: { type: "string" } } },
    phase: { enum: ["before", "after"] },
    reads: { type: "integer", minimum: 0 },
    writes: { type: "integer", minimum: 0 },
    windowSeconds: { type: "number", exclusiveMinimum: 0 },
  },
} as const;

let validateRules: ReturnType<Ajv["compile"]> | undefined;

/** Parses fault rules from a value: a list of rules or `{faults: [...]}`. Throws with the offending path. */
export function parseFaultRules(value: unknown, source = "faults"): FaultRule[] {
  const list = Array.isArray(value) ? value : value && typeof value === "object" && "faults" in value ? (value as { faults: unknown }).faults : value === null || value === undefined ? [] : undefined;
  if (!Array.isArray(list)) throw new Error(`${source}: expected a list of fault rules or {faults: [...]}`);
  validateRules ??= new Ajv({ allErrors: true, strict: false }).compile({ type: "array", items: RULE_SCHEMA });
  if (!validateRules(list)) {
    const lines = (validateRules.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}${e.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : ""}`);
    throw new Error(`${source}: invalid fault rules:\n  ${lines.join("\n  ")}`);
  }
  const rules = list as FaultRule[];
  for (const [i, rule] of rules.entries()) {
    if (rule.kind === "rateLimit" && rule.reads === undefined && rule.writes === undefined) throw new Error(`${source}: [${i}] rateLimit needs reads or writes`);
    if (rule.kind === "slow" && rule.delayMs === undefined) throw new Error(`${source}: [${i}] slow needs delayMs`);
  }
  return rules;
}

export function parseFaultsText(text: string, source = "faults"): FaultRule[] {
  let value: unknown;
  try {
    value = YAML.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid YAML/JSON: ${(err as Error).message}`);
  }
  return parseFaultRules(value, source);
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RateLimitResult {
  throttled: boolean;
  kind: "read" | "write";
  /** Virtual ms until the window frees (when throttled). */
  retryAfterMs: number;
  remainingReads?: number;
  remainingWrites?: number;
}

interface LiveRule {
  state: FaultState;
  random?: () => number;
  /** rateLimit windows per subscription; windows start at the rule's first call. */
  windows: Map<string, { index: number; reads: number; writes: number }>;
  anchorMs?: number;
}

const REQUEST_KINDS: ReadonlySet<FaultKind> = new Set(["throttle", "status", "reset", "slow"]);

export class FaultEngine {
  private rules: LiveRule[] = [];
  private nextId = 1;

  set(rules: FaultRule[]): void {
    this.rules = [];
    this.add(rules);
  }

  add(rules: FaultRule[]): void {
    for (const rule of rules) {
      const state: FaultState = { ...rule, id: this.nextId++, applied: 0, ...(rule.count !== undefined ? { remaining: rule.count } : {}) };
      this.rules.push({ state, ...(rule.probability !== undefined ? { random: prng(rule.seed ?? 1) } : {}), windows: new Map() });
    }
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultState[] {
    return this.rules.map((r) => ({ ...r.state }));
  }

  private matches(rule: FaultRule, route: string, method: string): boolean {
    const routeOk = rule.route === undefined || rule.route === "*" || rule.route.toLowerCase() === route.toLowerCase();
    const methodOk = rule.method === undefined || rule.method.toUpperCase() === method.toUpperCase();
    return routeOk && methodOk;
  }

  /** Decides (and records) whether a matching rule applies to this call. */
  private fire(live: LiveRule): boolean {
    const s = live.state;
    if (s.remaining !== undefined && s.remaining <= 0) return false;
    if (live.random && !(live.random() < (s.probability ?? 1))) return false;
    if (s.remaining !== undefined) s.remaining -= 1;
    s.applied += 1;
    return true;
  }

  /** Request-level faults for a call, in rule order: any `slow` rules (before only), then at most one other fault of the phase. */
  forRequest(route: string, method: string, phase: "before" | "after"): { delayMs: number; fault?: FaultRule } {
    let delayMs = 0;
    for (const live of this.rules) {
      const rule = live.state;
      if (!REQUEST_KINDS.has(rule.kind) || !this.matches(rule, route, method)) continue;
      const rulePhase = rule.kind === "status" || rule.kind === "reset" ? rule.phase ?? "before" : "before";
      if (rulePhase !== phase) continue;
      if (rule.kind === "slow") {
        if (this.fire(live)) delayMs += rule.delayMs ?? 0;
        continue;
      }
      if (this.fire(live)) return { delayMs, fault: { ...rule } };
    }
    return { delayMs };
  }

  /** An `operationFails` or `jobFails` rule for an operation or job being created on `route`. */
  takeOutcome(route: string, kind: "operationFails" | "jobFails"): FaultRule | undefined {
    for (const live of this.rules) {
      if (live.state.kind === kind && this.matches(live.state, route, "POST") && this.fire(live)) return { ...live.state };
    }
    return undefined;
  }

  /** Applies `rateLimit` rules to a call of `subscriptionId` at virtual time `nowMs`. */
  /** `subscriptionId` undefined: a tenant-level request (Microsoft.Authorization at `/`), counted on its own. */
  rateLimit(route: string, method: string, subscriptionId: string | undefined, nowMs: number): RateLimitResult | undefined {
    const kind: "read" | "write" = method.toUpperCase() === "GET" || method.toUpperCase() === "HEAD" ? "read" : "write";
    let result: RateLimitResult | undefined;
    for (const live of this.rules) {
      const rule = live.state;
      if (rule.kind !== "rateLimit" || !this.matches(rule, route, method)) continue;
      const limit = kind === "read" ? rule.reads : rule.writes;
      const windowMs = (rule.windowSeconds ?? 60) * 1000;
      live.anchorMs ??= nowMs;
      const index = Math.floor((nowMs - live.anchorMs) / windowMs);
      const key = subscriptionId?.toLowerCase() ?? "(tenant)";
      let window = live.windows.get(key);
      if (!window || window.index !== index) {
        window = { index, reads: 0, writes: 0 };
        live.windows.set(key, window);
      }
      const used = kind === "read" ? window.reads : window.writes;
      if (limit !== undefined && used >= limit) {
        rule.applied += 1;
        return { throttled: true, kind, retryAfterMs: live.anchorMs + (index + 1) * windowMs - nowMs, remainingReads: 0, remainingWrites: 0 };
      }
      if (kind === "read") window.reads += 1;
      else window.writes += 1;
      // Several rules (one for reads, one for writes): each remaining count is the tightest rule's.
      const reads = rule.reads !== undefined ? Math.max(0, rule.reads - window.reads) : undefined;
      const writes = rule.writes !== undefined ? Math.max(0, rule.writes - window.writes) : undefined;
      const remainingReads = tightest(result?.remainingReads, reads);
      const remainingWrites = tightest(result?.remainingWrites, writes);
      result = {
        throttled: false,
        kind,
        retryAfterMs: 0,
        ...(remainingReads !== undefined ? { remainingReads } : {}),
        ...(remainingWrites !== undefined ? { remainingWrites } : {}),
      };
    }
    return result;
  }
}

function tightest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
