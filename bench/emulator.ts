/**
 * The emulator as `startEmulator` composes it (TLS material, Engine, HTTPS on 127.0.0.1), plus what the
 * benchmark needs to see that the control API does not show: every request (the engine's log keeps the
 * newest 20,000), the headers of every response
 * (Retry-After, Azure-AsyncOperation), keyed by `x-ms-request-id`, and the engine's store (operations
 * with their virtual start and end). The emulator itself is not changed.
 */
import * as https from "https";
import type { AddressInfo } from "net";
import { ensureTlsMaterial } from "../emulator/certs";
import { Engine } from "../emulator/engine";
import type { FaultRule } from "../emulator/faults";
import type { RequestLogEntry } from "../emulator/request-log";
import { worldFromObject, type WorldFile } from "../emulator/world";

export interface ResponseHeaders {
  status: number;
  /** Seconds, as sent. */
  retryAfter?: number;
  asyncOperation?: string;
  /** Real time the response head was written (epoch ms). */
  writtenAt: number;
}

export interface BenchEmulator {
  url: string;
  caCertPath: string;
  engine: Engine;
  /** Response headers by x-ms-request-id. */
  responses: Map<string, ResponseHeaders>;
  /** Every request, in the order they ended (the engine's own log keeps the newest 20,000 only). */
  log: RequestLogEntry[];
  stop(): Promise<void>;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (k.toLowerCase() === name) return v === undefined ? undefined : String(v);
  return undefined;
}

export async function startBenchEmulator(options: { world: WorldFile; timeScale: number; faults?: FaultRule[]; certDir: string; strict?: boolean }): Promise<BenchEmulator> {
  const tls = ensureTlsMaterial(options.certDir);
  const log: RequestLogEntry[] = [];
  const engine = new Engine({ world: worldFromObject(options.world, "bench world"), timeScale: options.timeScale, strict: options.strict ?? true, faults: options.faults ?? [], onRequest: (entry) => log.push(entry) });
  const responses = new Map<string, ResponseHeaders>();
  let base = "https://127.0.0.1";
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => unknown;
    (res as unknown as { writeHead: (...args: unknown[]) => unknown }).writeHead = (...args: unknown[]) => {
      const headers = args.find((a, i) => i > 0 && a && typeof a === "object");
      const requestId = header(headers, "x-ms-request-id");
      if (requestId) {
        const retryAfter = header(headers, "retry-after");
        const asyncOperation = header(headers, "azure-asyncoperation");
        responses.set(requestId, {
          status: Number(args[0]),
          ...(retryAfter !== undefined ? { retryAfter: Number(retryAfter) } : {}),
          ...(asyncOperation !== undefined ? { asyncOperation } : {}),
          writtenAt: Date.now(),
        });
      }
      return writeHead(...args);
    };
    engine.handle(req, res, base).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "InternalServerError", message: String(err) } }));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  base = url;
  return {
    url,
    caCertPath: tls.caCertPath,
    engine,
    responses,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
