import type { FaultKind } from "./faults";
import type { RequestContext } from "./http";

/** The request log: one entry per request, filled as the request goes through the engine's steps. */

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

export interface RequestLogFilter {
  route?: string;
  method?: string;
  /** Only entries with a greater `seq`. */
  since?: number;
}

const MAX_LOG = 20_000;

/** The entry of a request that has just arrived: what the request itself says, nothing decided yet. */
export function newLogEntry(ctx: RequestContext, virtualNowMs: number): RequestLogEntry {
  return {
    seq: 0,
    method: ctx.method,
    path: ctx.path,
    route: "unknown",
    status: 0,
    startedAt: new Date(ctx.startedAt).toISOString(),
    virtualTime: new Date(virtualNowMs).toISOString(),
    durationMs: 0,
    requestId: ctx.requestId,
    correlationId: ctx.correlationId,
    ...(ctx.header("x-ms-client-request-id") ? { clientRequestId: ctx.header("x-ms-client-request-id") } : {}),
    ...(ctx.header("user-agent") ? { userAgent: ctx.header("user-agent") } : {}),
  };
}

export function filterLog(entries: RequestLogEntry[], filter: RequestLogFilter): RequestLogEntry[] {
  return entries.filter(
    (e) =>
      (filter.route === undefined || e.route.toLowerCase() === filter.route.toLowerCase()) &&
      (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
      (filter.since === undefined || e.seq > filter.since),
  );
}

/** The newest entries (at most 20 000), numbered in the order requests ended; clearing keeps the numbering. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  add(entry: RequestLogEntry): void {
    entry.seq = ++this.seq;
    this.entries.push(entry);
    if (this.entries.length > MAX_LOG) this.entries.splice(0, this.entries.length - MAX_LOG);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
