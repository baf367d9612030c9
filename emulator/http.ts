import type { IncomingMessage, ServerResponse } from "http";
import { newGuid } from "./ids";
import { armErrors, ServiceError } from "./errors";

/** Request context and response writing shared by the ARM and control layers. */

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Query parameters looked up without regard to case (ARM treats `API-VERSION` as `api-version`). */
export class Query {
  private readonly entries: Array<[string, string]>;
  constructor(params: URLSearchParams) {
    this.entries = [...params.entries()];
  }
  get(name: string): string | undefined {
    return this.entries.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  }
  /** All parameters except those named, in order (for building nextLink). */
  without(...names: string[]): Array<[string, string]> {
    const drop = new Set(names.map((n) => n.toLowerCase()));
    return this.entries.filter(([k]) => !drop.has(k.toLowerCase()));
  }
}

export class RequestContext {
  readonly requestId = newGuid();
  readonly correlationId: string;
  readonly startedAt = Date.now();
  readonly method: string;
  readonly url: URL;
  /** Path without query, as sent. */
  readonly path: string;
  readonly query: Query;
  /** Decoded, non-empty path segments, or undefined when the path cannot be decoded. */
  readonly segments: string[] | undefined;
  /** `https://host:port` as the client addressed the server. */
  readonly baseUrl: string;

  constructor(readonly req: IncomingMessage, fallbackBaseUrl: string) {
    this.method = (req.method ?? "GET").toUpperCase();
    const host = typeof req.headers.host === "string" && /^[A-Za-z0-9.:[\]-]+$/.test(req.headers.host) ? req.headers.host : undefined;
    this.baseUrl = host ? `https://${host}` : fallbackBaseUrl;
    this.url = new URL(req.url ?? "/", this.baseUrl);
    this.path = this.url.pathname;
    this.query = new Query(this.url.searchParams);
    const incoming = this.header("x-ms-correlation-request-id");
    this.correlationId = incoming && /^[A-Za-z0-9-]{1,64}$/.test(incoming) ? incoming : newGuid();
    let segments: string[] | undefined;
    try {
      segments = this.path
        .split("/")
        .filter((s) => s !== "")
        .map((s) => decodeURIComponent(s));
    } catch {
      segments = undefined;
    }
    this.segments = segments;
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }
}

/** Reads the request body, refusing more than `limit` bytes with 413. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(armErrors.requestTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(armErrors.requestTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on("error", (err) => {
      if (!failed) reject(err);
    });
  });
}

function routingId(ctx: RequestContext): string {
  const stamp = new Date(ctx.startedAt).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `EMULATOR:${stamp}:${ctx.requestId}`;
}

/** Headers every ARM response carries. */
export function standardHeaders(ctx: RequestContext): Record<string, string> {
  const headers: Record<string, string> = {
    "Cache-Control": "no-cache",
    Pragma: "no-cache",
    Expires: "-1",
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "x-ms-request-id": ctx.requestId,
    "x-ms-correlation-request-id": ctx.correlationId,
    "x-ms-routing-request-id": routingId(ctx),
  };
  const clientRequestId = ctx.header("x-ms-client-request-id");
  if (clientRequestId && /^[A-Za-z0-9-]{1,64}$/.test(clientRequestId)) headers["x-ms-client-request-id"] = clientRequestId;
  return headers;
}

export function errorReply(err: ServiceError): Reply {
  return { status: err.status, body: { error: err.body }, headers: err.headers };
}

/** The reply to anything a request threw: a service error as it is, anything else as a 500. */
export function failureReply(err: unknown): Reply {
  return err instanceof ServiceError ? errorReply(err) : errorReply(armErrors.serverError(500, "InternalServerError", `The emulator failed: ${(err as Error).message}`));
}

export function writeReply(res: ServerResponse, ctx: RequestContext, reply: Reply): void {
  const headers: Record<string, string> = { ...standardHeaders(ctx), ...reply.headers };
  if (reply.body === undefined) {
    headers["Content-Length"] = "0";
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  headers["Content-Type"] ??= "application/json; charset=utf-8";
  headers["Content-Length"] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  res.end(ctx.method === "HEAD" ? undefined : text);
}
