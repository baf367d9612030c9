import { randomUUID } from "crypto";

/** Identifiers and names as Azure Resource Manager writes and compares them. */

export function newGuid(): string {
  return randomUUID();
}

/**
 * An operation ID as the service mints them: base64 of two GUIDs joined by `;`
 * (`ZmMzNDFmYWMt...NTk1ZQ==`). Encodings containing `/` or `+` are redrawn so the ID is one path segment.
 */
export function newOperationId(): string {
  for (;;) {
    const id = Buffer.from(`${randomUUID()};${randomUUID()}`, "utf8").toString("base64");
    if (!/[+/]/.test(id)) return id;
  }
}

/** An activity ID as the service writes them in `UserFacingError.properties.ActivityId`. */
export function newActivityId(): string {
  return `${randomUUID()}-Ibz`;
}

export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Characters accepted in a resource name, resource group name, location or operation ID segment. */
const NAME = /^[A-Za-z0-9_(][A-Za-z0-9 ._()=+-]{0,259}$/;

export function isValidName(segment: string): boolean {
  return NAME.test(segment) && !segment.includes("..") && !/\s$/.test(segment);
}

/** ARM compares names and path segments without regard to case. */
export function sameName(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** `West US` → `westus`, as ARM normalises locations. */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

export interface ArmId {
  subscriptionId: string;
  resourceGroup?: string;
  /** Resource provider namespace, e.g. `Microsoft.DBforPostgreSQL`. */
  provider?: string;
  /** Type/name pairs after the provider, e.g. `[{type: "servers", name: "s"}, {type: "databases", name: "d"}]`. */
  resources: Array<{ type: string; name: string }>;
}

/** Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}/...`; undefined when malformed. */
export function parseArmId(id: string): ArmId | undefined {
  const parts = id.split("/").filter((p) => p !== "");
  if (parts.length < 2 || parts[0].toLowerCase() !== "subscriptions") return undefined;
  const out: ArmId = { subscriptionId: parts[1], resources: [] };
  let i = 2;
  if (parts[i]?.toLowerCase() === "resourcegroups") {
    if (!parts[i + 1]) return undefined;
    out.resourceGroup = parts[i + 1];
    i += 2;
  }
  if (i === parts.length) return out;
  if (parts[i]?.toLowerCase() !== "providers" || !parts[i + 1]) return undefined;
  out.provider = parts[i + 1];
  i += 2;
  const rest = parts.slice(i);
  if (rest.length === 0 || rest.length % 2 !== 0) return undefined;
  for (let j = 0; j < rest.length; j += 2) out.resources.push({ type: rest[j], name: rest[j + 1] });
  return out;
}

/** Equality of two ARM IDs as ARM sees it: case-insensitive, ignoring a trailing slash. */
export function sameArmId(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const norm = (s: string) => s.replace(/\/+$/, "").toLowerCase();
  return norm(a) === norm(b);
}

/** The ARM ID of a backup vault. */
export function vaultId(subscriptionId: string, resourceGroup: string, vaultName: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.DataProtection/backupVaults/${vaultName}`;
}

/** `https://{account}.blob.core.windows.net/{container}[/...]` → account and container. */
export function parseContainerUrl(url: string): { account: string; container: string } | undefined {
  const m = /^https:\/\/([a-z0-9]+)\.(?:blob|dfs|file)\.core\.windows\.net\/([^/?#]+)/i.exec(url.trim());
  return m ? { account: m[1], container: m[2] } : undefined;
}
