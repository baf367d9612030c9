import * as https from "https";
import type { IncomingHttpHeaders } from "http";
import type { ApiVersion } from "../api/versions";
import type { RunningEmulator } from "../emulator/server";
import { emulatorToken } from "../emulator/token";

/** Plain HTTPS calls to the emulator, as a client of ARM sends them: for tests, the demo, and what azure-native would send. */

export interface HttpResult<T = unknown> {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: T;
}

export interface CallOptions {
  /** JSON value, or raw text sent as is. */
  body?: unknown;
  /** Bearer token; null sends no Authorization header (default: emulatorToken()). */
  token?: string | null;
  headers?: Record<string, string>;
  /** Append `api-version` (default: none; paths usually carry it). */
  apiVersion?: ApiVersion | string;
}

/** Where to reach an emulator and what to trust. */
export type EmulatorEndpoint = Pick<RunningEmulator, "url" | "caCert">;

/** One HTTPS request to the emulator, trusting its CA (never disabling verification). */
export function call<T = unknown>(emu: EmulatorEndpoint, method: string, pathOrUrl: string, options: CallOptions = {}): Promise<HttpResult<T>> {
  const url = new URL(pathOrUrl.startsWith("https://") ? pathOrUrl : `${emu.url}${pathOrUrl}`);
  if (options.apiVersion) url.searchParams.set("api-version", options.apiVersion);
  const payload = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? emulatorToken() : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (payload !== undefined) {
    headers["Content-Type"] ??= "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca: emu.caCert, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = undefined;
        if (text !== "") {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: body as T });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
