import * as fs from "fs";
import * as path from "path";
import { matchRoute, type RouteName } from "../../../emulator/routes";

/** One recorded exchange of the Azure CLI's live tests, as test/fixtures/recordings keeps it. */
export interface Interaction {
  index: number;
  method: string;
  uri: string;
  apiVersion?: string;
  requestHeaders?: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseHeaders?: Record<string, string>;
  responseBody: unknown;
}

export interface Recording {
  name: string;
  /** The world the replay runs in (set by the test from worldFromRecording). */
  world?: { jobs?: Array<{ name?: string; properties?: { status?: string } }> };
  origin: { repository: string; path: string; commit: string; licence: string };
  completeness: string;
  interactions: Interaction[];
}

const dir = path.join(__dirname, "..", "..", "fixtures", "recordings");

export function loadRecording(name: string): Recording {
  return { name, ...(JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), "utf8")) as Omit<Recording, "name">) };
}

export function pathAndQuery(uri: string): { path: string; query: URLSearchParams } {
  const url = new URL(uri);
  return { path: decodeURIComponent(url.pathname), query: url.searchParams };
}

/** The emulator route an interaction calls, or undefined for what the emulator does not serve (backup, protection, other providers). */
export function routeOf(i: Interaction): RouteName | undefined {
  const segments = pathAndQuery(i.uri).path.split("/").filter(Boolean);
  const match = matchRoute(i.method, segments);
  return match.kind === "match" ? match.route.name : undefined;
}

export type Json = Record<string, unknown>;
export const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every string anywhere in a value (to find ARM IDs and URLs a recording mentions). */
export function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isJson(value)) return Object.values(value).flatMap(strings);
  return [];
}
