import type { RunningEmulator } from "../../../emulator/server";
import { call, type HttpResult } from "../helpers";
import { isJson, pathAndQuery, routeOf, type Interaction, type Json, type Recording } from "./recording";

/**
 * Replays a recording's requests, literally (method, path, api-version, query, body as the Azure CLI
 * sent them), against an emulator holding the recording's world, and lists where the emulator's
 * answers differ from Azure's: the status, the headers that matter (where an operation is followed,
 * whether Retry-After is sent), the operation's and the job's status, the error code, and the body's
 * shape (every field Azure sent, with its JSON type). IDs Azure made up (operation IDs, job names)
 * are mapped to the emulator's as they appear; time is moved on where Azure's answer shows a finished
 * operation or job. Calls the emulator does not serve (backup, protection, other providers) are skipped.
 */
export interface ReplayResult {
  replayed: Array<{ index: number; route: string; status: number }>;
  skipped: number[];
  differences: string[];
}

/** Fields Azure sends that a replay does not require, each with the reason; `#<index> <header>` for a header of one exchange. */
export type Allowances = Record<string, string>;

const SIGNATURE = ["t", "c", "s", "h"];

function typeOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/** Where `emulated` lacks a field `recorded` has, or holds another JSON type (null matches anything unset). */
export function shapeDifferences(recorded: unknown, emulated: unknown, path = "", allow: Allowances = {}): string[] {
  if (allow[path]) return [];
  const r = typeOf(recorded);
  const e = typeOf(emulated);
  if (r === "null" || (e === "null" && r !== "object" && r !== "array")) return [];
  if (r !== e) return [`${path || "(body)"}: Azure sent ${r}, the emulator ${e}`];
  if (r === "array") {
    const [first] = recorded as unknown[];
    const [mine] = emulated as unknown[];
    return first === undefined || mine === undefined ? [] : shapeDifferences(first, mine, `${path}[]`, allow);
  }
  if (r !== "object") return [];
  const out: string[] = [];
  const theirs = recorded as Json;
  const ours = emulated as Json;
  for (const key of Object.keys(theirs)) {
    const sub = path ? `${path}.${key}` : key;
    if (allow[sub]) continue;
    if (!(key in ours)) {
      if (theirs[key] !== null) out.push(`${sub}: missing`);
      continue;
    }
    out.push(...shapeDifferences(theirs[key], ours[key], sub, allow));
  }
  return out;
}

function scopeOf(url: string | undefined): string {
  if (!url) return "none";
  if (/\/backupVaults\/[^/]+\/operationStatus\//i.test(url)) return "vault";
  if (/\/locations\/[^/]+\/operation(Status|Results)\//i.test(url)) return "location";
  if (/\/backupInstances\/[^/]+\/operationResults\//i.test(url)) return "backupInstance";
  return "other";
}

/** Moves the emulator's clock on, in growing steps, until what `url` answers is no longer running. */
async function settle(emu: RunningEmulator, url: string): Promise<void> {
  for (let step = 1; step < 4 * 86_400; step *= 2) {
    const peek = await call<Json>(emu, "GET", url);
    const status = isJson(peek.body) ? (peek.body.status ?? (isJson(peek.body.properties) ? peek.body.properties.status : undefined)) : undefined;
    if (peek.status !== 200 || typeof status !== "string" || !/^inprogress$/i.test(status)) return;
    emu.control.advance(step);
  }
}

export async function replay(emu: RunningEmulator, recording: Recording, allow: Allowances = {}): Promise<ReplayResult> {
  const result: ReplayResult = { replayed: [], skipped: [], differences: [] };
  const urls = new Map<string, string>();
  /** The newest operation URL of each kind: some cassettes are spliced from runs, and poll an ID no 202 of theirs handed out. */
  const latest = new Map<string, string>();
  const jobNames = new Map<string, string>();
  const differ = (i: Interaction, what: string) => result.differences.push(`#${i.index} ${i.method} ${routeOf(i) ?? "?"}: ${what}`);

  const target = (i: Interaction): string => {
    const { path, query } = pathAndQuery(i.uri);
    const operation = /\/(operationStatus|operationResults)\/([^/?]+)$/i.exec(path);
    if (operation) {
      const mapped = urls.get(`${operation[1].toLowerCase()}|${operation[2]}`) ?? latest.get(operation[1].toLowerCase());
      if (mapped) return mapped.replace(/api-version=[^&]+/, `api-version=${query.get("api-version")}`);
    }
    const job = /\/backupJobs\/([^/?]+)$/i.exec(path);
    const renamed = job && jobNames.get(job[1].toLowerCase()) ? path.replace(job[1], jobNames.get(job[1].toLowerCase())!) : path;
    for (const k of SIGNATURE) query.delete(k);
    return `${renamed}?${query.toString()}`;
  };

  /** Operations started by calls the emulator does not serve (backup, protection): their polls are skipped too. */
  const foreign = new Set<string>();
  const operationId = (url: string | undefined) => /\/operation(?:Status|Results)\/([^/?]+)/i.exec(url ?? "")?.[1];
  /** Jobs the world holds as Azure last showed them (a cassette that lacks their start): their earlier states cannot be replayed. */
  const seeded = new Map((recording.world?.jobs ?? []).map((j) => [String(j.name).toLowerCase(), j.properties?.status]));

  let lastPostForeign = false;
  for (const i of recording.interactions) {
    const route = routeOf(i);
    const polled = operationId(pathAndQuery(i.uri).path);
    const unknownPoll = polled !== undefined && !urls.has(`operationstatus|${decodeURIComponent(polled)}`) && !urls.has(`operationresults|${decodeURIComponent(polled)}`);
    if (i.method !== "GET") lastPostForeign = !route;
    if (!route || (polled && foreign.has(decodeURIComponent(polled))) || (unknownPoll && lastPostForeign)) {
      for (const h of ["azure-asyncoperation", "location"]) if (operationId(i.responseHeaders?.[h])) foreign.add(decodeURIComponent(operationId(i.responseHeaders?.[h])!));
      result.skipped.push(i.index);
      continue;
    }
    const body = i.responseBody as Json | undefined;
    const recordedStatus = (isJson(body) && (body.status ?? (isJson(body.properties) ? body.properties.status : undefined))) as string | undefined;
    // Azure's answer shows a finished operation or job: move time on until the emulator's has finished too.
    if ((route === "operationStatus" || route === "getJob") && recordedStatus && !/^inprogress$/i.test(recordedStatus)) await settle(emu, target(i));
    if (i.status >= 500 && isJson(body) && isJson(body.error) && /^(GatewayTimeout|ServiceUnavailable|InternalServerError)$/.test(String(body.error.code))) {
      emu.control.addFaults([{ kind: "status", route, status: i.status, count: 1, error: { code: String(body.error.code), message: String(body.error.message ?? "") } }]);
    }
    const headers: Record<string, string> = i.requestHeaders?.["Content-Type"] ? { "content-type": i.requestHeaders["Content-Type"] } : {};
    const res: HttpResult<Json> = await call<Json>(emu, i.method, target(i), { ...(i.requestBody !== null && i.requestBody !== undefined ? { body: i.requestBody } : {}), headers });
    result.replayed.push({ index: i.index, route, status: res.status });
    if (res.status !== i.status) differ(i, `status ${res.status}, Azure ${i.status} (${res.text.slice(0, 300)})`);
    const theirs = i.responseHeaders ?? {};
    for (const h of ["azure-asyncoperation", "location"]) {
      if (scopeOf(theirs[h]) !== scopeOf(res.headers[h] as string | undefined) && !allow[`#${i.index} ${h}`]) differ(i, `${h} is ${scopeOf(res.headers[h] as string | undefined)}-scoped, Azure's ${scopeOf(theirs[h])}-scoped`);
      const recordedId = /\/(operationStatus|operationResults)\/([^/?]+)/i.exec(theirs[h] ?? "");
      if (recordedId && res.headers[h]) urls.set(`${recordedId[1].toLowerCase()}|${decodeURIComponent(recordedId[2])}`, String(res.headers[h]));
      if (recordedId && res.headers[h]) latest.set(recordedId[1].toLowerCase(), String(res.headers[h]));
    }
    if (("retry-after" in theirs) !== ("retry-after" in res.headers)) differ(i, `Retry-After ${"retry-after" in res.headers ? "sent" : "not sent"}, Azure's ${"retry-after" in theirs ? "sent" : "not sent"}`);
    const mine = res.body;
    const myStatus = (isJson(mine) && (mine.status ?? (isJson(mine.properties) ? mine.properties.status : undefined))) as string | undefined;
    const jobName = /\/backupJobs\/([^/?]+)$/i.exec(pathAndQuery(i.uri).path)?.[1]?.toLowerCase();
    const earlierState = jobName !== undefined && seeded.has(jobName) && seeded.get(jobName) !== recordedStatus;
    if (earlierState) {
      result.skipped.push(i.index);
      continue;
    }
    if (recordedStatus && myStatus !== recordedStatus) differ(i, `status '${String(myStatus)}', Azure's '${recordedStatus}'`);
    if (isJson(body) && isJson(body.error) && (!isJson(mine) || !isJson(mine.error) || mine.error.code !== body.error.code)) {
      differ(i, `error ${isJson(mine) && isJson(mine.error) ? String(mine.error.code) : "none"}, Azure's ${String(body.error.code)}`);
    }
    const theirJob = (isJson(body) && isJson(body.properties) ? body.properties.jobId : undefined) ?? (isJson(body) ? body.jobId : undefined);
    const myJob = (isJson(mine) && isJson(mine.properties) ? mine.properties.jobId : undefined) ?? (isJson(mine) ? mine.jobId : undefined);
    if (typeof theirJob === "string" && typeof myJob === "string") jobNames.set(theirJob.split("/").pop()!.toLowerCase(), myJob.split("/").pop()!);
    const empty = (b: unknown) => b === undefined || b === "";
    if (res.status === i.status && !(empty(body) && empty(mine))) for (const d of shapeDifferences(body, mine, "", allow)) differ(i, d);
  }
  return result;
}
