/**
 * Bearer tokens for the emulator. The emulator checks the shape of `Authorization: Bearer <token>` as
 * ARM does before it looks at anything else (three base64url segments; the first decodes to a JSON
 * header; `exp`, when present, is in the future) but verifies no signature: any JWT-shaped token works,
 * and `emulatorToken()` makes one.
 */

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export interface EmulatorTokenOptions {
  /** Seconds until `exp` (default 3600, like an Entra ID access token). */
  expiresInSeconds?: number;
  /** `oid`/`sub` claim (default a fixed emulator principal). */
  objectId?: string;
}

/** An unsigned JWT-shaped access token the emulator accepts (`alg: none`, audience ARM). */
export function emulatorToken(options: EmulatorTokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const objectId = options.objectId ?? "00000000-0000-0000-0000-00000000e1e1";
  const header = { alg: "none", typ: "JWT" };
  const payload = {
    aud: "https://management.azure.com/",
    iss: "https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
    iat: now,
    nbf: now,
    exp: now + (options.expiresInSeconds ?? 3600),
    oid: objectId,
    sub: objectId,
    tid: "00000000-0000-0000-0000-000000000000",
    appid: "azure-restores-emulator",
  };
  return `${base64url(header)}.${base64url(payload)}.emulator`;
}

export type BearerCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; reason: "missing" | "malformed" | "expired"; detail: string };

const SEGMENT = /^[A-Za-z0-9_-]+={0,2}$/;

function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks an `Authorization` header value; `nowMs` is real time (tokens expire in real time). */
export function checkBearer(header: string | undefined, nowMs: number = Date.now()): BearerCheck {
  if (header === undefined || header.trim() === "") return { ok: false, reason: "missing", detail: "The 'Authorization' header is missing." };
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) return { ok: false, reason: "malformed", detail: "The 'Authorization' header is provided in an invalid format." };
  const segments = match[1].split(".");
  if (segments.length !== 3 || !segments.slice(0, 2).every((s) => SEGMENT.test(s))) {
    return { ok: false, reason: "malformed", detail: "The access token is invalid: it is not a JWT (three base64url segments)." };
  }
  const tokenHeader = decodeJsonSegment(segments[0]);
  const claims = decodeJsonSegment(segments[1]);
  if (!tokenHeader || !claims) return { ok: false, reason: "malformed", detail: "The access token is invalid: its header or payload is not JSON." };
  if (typeof claims.exp === "number" && claims.exp * 1000 <= nowMs) {
    return {
      ok: false,
      reason: "expired",
      detail: `The access token expiry UTC time '${new Date(claims.exp * 1000).toISOString()}' is earlier than current UTC time '${new Date(nowMs).toISOString()}'.`,
    };
  }
  return { ok: true, claims };
}
