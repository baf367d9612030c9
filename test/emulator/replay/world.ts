import type { AzureBackupJobResource, AzureBackupRecoveryPointResource, BackupInstanceResource, Datasource, OperationResource } from "../../../api/types";
import { parseDuration } from "../../../emulator/format";
import { KINDS } from "../../../emulator/kinds";
import type { BackupInstanceSpec, RecoveryPointSpec, VaultSpec, WorldFile } from "../../../emulator/world";
import { isJson, pathAndQuery, routeOf, strings, type Interaction, type Json, type Recording } from "./recording";

/**
 * The world a recording needs, read off the recording itself: the subscription, resource groups and
 * vaults its URLs name, each backup instance as the service returned it (or as its jobs describe it),
 * the recovery points and restorable ranges the service listed, the targets the restore requests name
 * (but not those the recording deletes: a live test deletes the disk it is about to restore),
 * the jobs it read that it did not start, and how long its operations and jobs took.
 */
const ARM_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/([^/]+)\/([^/?#]+)/i;

const lower = (s: string) => s.toLowerCase();

function armIds(values: unknown[]): string[] {
  return strings(values)
    .map((s) => s.replace(/^https:\/\/management\.azure\.com/i, ""))
    .filter((s) => ARM_ID.test(s));
}

function location(rec: Recording): string {
  for (const i of rec.interactions) {
    const m = /\/locations\/([^/]+)\/operationResults\//i.exec(i.responseHeaders?.location ?? "");
    if (m) return m[1];
  }
  const job = rec.interactions.map((i) => i.responseBody).find((b): b is AzureBackupJobResource => isJson(b) && isJson(b.properties) && typeof b.properties.dataSourceLocation === "string");
  return job?.properties?.dataSourceLocation ?? "westus";
}

function msBetween(start?: string, end?: string): number | undefined {
  const a = Date.parse(start ?? "");
  const b = Date.parse(end ?? "");
  return Number.isNaN(a) || Number.isNaN(b) || b < a || (end ?? "").startsWith("0001") ? undefined : b - a;
}

function iso(ms: number): string {
  return `PT${Math.max(1, Math.round(ms / 1000))}S`;
}

/** The jobs a recording's restores started (their IDs come back in operation results). */
function startedJobs(rec: Recording): Set<string> {
  const ids = new Set<string>();
  for (const i of rec.interactions) {
    const body = i.responseBody as Partial<OperationResource> & { jobId?: string };
    const jobId = body?.properties?.jobId ?? body?.jobId;
    if (typeof jobId === "string") ids.add(lower(jobId.split("/").pop()!));
  }
  return ids;
}

function instanceFromJob(job: AzureBackupJobResource): Datasource | undefined {
  const p = job.properties;
  if (!p?.dataSourceId) return undefined;
  const type = ARM_ID.exec(p.dataSourceId);
  return { datasourceType: p.dataSourceType, objectType: "Datasource", resourceID: p.dataSourceId, resourceLocation: p.dataSourceLocation, resourceName: p.dataSourceName, resourceType: type ? `${type[3]}/${type[4]}` : undefined, resourceUri: p.dataSourceId };
}

export function worldFromRecording(rec: Recording): WorldFile {
  const served = rec.interactions.filter((i) => routeOf(i) !== undefined);
  const region = location(rec);
  const ids = armIds([...rec.interactions.map((i) => pathAndQuery(i.uri).path), ...rec.interactions.map((i) => i.requestBody), ...rec.interactions.map((i) => i.responseBody)]);
  const subscriptionId = ARM_ID.exec(ids[0])?.[1] ?? "00000000-0000-0000-0000-000000000000";
  const groups = new Map<string, string>();
  for (const id of ids) {
    const rg = ARM_ID.exec(id)![2];
    if (!groups.has(lower(rg))) groups.set(lower(rg), rg);
  }
  const started = startedJobs(rec);
  const vaults = new Map<string, VaultSpec>();
  const instances = new Map<string, BackupInstanceSpec>();
  const jobs: AzureBackupJobResource[] = [];
  const crossRegionJobs: AzureBackupJobResource[] = [];
  /** Whether Azure refused a restore for a missing role: the world then lists the (no) role assignments. */
  let refused = false;
  const storageAccounts = new Map<string, { id: string; containers: Set<string> }>();
  const servers = new Map<string, string>();
  const secrets = new Set<string>();
  /** Every ARM resource a restore request names (its target, the target's parent, staging resources...). */
  const resources = new Map<string, string>();
  /** Those of restores Azure accepted: they had what the kinds' rules ask of a target. */
  const accepted = new Set<string>();
  const durations: { validateRestore?: number; restore?: number } = {};
  let startMs = Infinity;

  const vaultOf = (rg: string, name: string): VaultSpec => {
    const key = lower(`${rg}/${name}`);
    let vault = vaults.get(key);
    if (!vault) vaults.set(key, (vault = { subscriptionId, resourceGroup: rg, name, location: region, backupInstances: [] }));
    return vault;
  };
  const instanceOf = (rg: string, vault: string, name: string): BackupInstanceSpec => {
    const key = lower(`${rg}/${vault}/${name}`);
    let bi = instances.get(key);
    if (!bi) {
      bi = { name, dataSourceInfo: { datasourceType: "", objectType: "Datasource", resourceID: "" }, policyName: "policy", recoveryPoints: [], restorableTimeRanges: [] };
      instances.set(key, bi);
      vaultOf(rg, vault).backupInstances!.push(bi);
    }
    return bi;
  };
  /** Points known only by a restore request's ID: their time is a guess until a listing or a job tells. */
  const guessed = new WeakSet<RecoveryPointSpec>();
  const point = (bi: BackupInstanceSpec, spec: RecoveryPointSpec, guess = false) => {
    const at = bi.recoveryPoints!.findIndex((p) => lower(p.id) === lower(spec.id));
    if (at < 0) bi.recoveryPoints!.push(spec);
    else if (guessed.has(bi.recoveryPoints![at]) && !guess) bi.recoveryPoints![at] = spec;
    else return;
    if (guess) guessed.add(spec);
  };

  for (const i of served) {
    const route = routeOf(i)!;
    const p = pathAndQuery(i.uri).path;
    const vault = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataProtection\/backupVaults\/([^/]+)/i.exec(p);
    if (vault) vaultOf(vault[1], vault[2]);
    const bim = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataProtection\/backupVaults\/([^/]+)\/backupInstances\/([^/]+)/i.exec(p);
    // A cross-region call names its instance (or vault) in its body, not in its path.
    const crossRegion = isJson(i.requestBody) && typeof (i.requestBody.sourceRegion ?? (i.requestBody.crossRegionRestoreDetails as Json | undefined)?.sourceRegion) === "string" ? crossRegionSource(i.requestBody) : undefined;
    const bi = bim ? instanceOf(bim[1], bim[2], bim[3]) : crossRegion;
    const body = i.responseBody;
    if (route === "getBackupInstance" && bi && isJson(body)) adoptInstance(bi, body as BackupInstanceResource);
    if (route === "listBackupInstances" && isJson(body) && Array.isArray(body.value)) {
      for (const r of body.value as BackupInstanceResource[]) adoptInstance(instanceOf(vault![1], vault![2], r.name!), r);
    }
    if ((route === "listRecoveryPoints" || route === "getRecoveryPoint" || route === "fetchSecondaryRecoveryPoints") && bi && isJson(body)) {
      for (const r of (Array.isArray(body.value) ? body.value : [body]) as AzureBackupRecoveryPointResource[]) {
        const rp = r.properties;
        if (rp?.recoveryPointId) {
          point(bi, {
            id: rp.recoveryPointId,
            time: rp.recoveryPointTime,
            type: rp.recoveryPointType,
            dataStores: rp.recoveryPointDataStoresDetails ?? [],
            policyName: rp.policyName,
            ...(rp.friendlyName ? { friendlyName: rp.friendlyName } : {}),
            ...(rp.retentionTagName ? { retentionTagName: rp.retentionTagName } : {}),
            ...(rp.retentionTagVersion ? { retentionTagVersion: rp.retentionTagVersion } : {}),
            ...(rp.expiryTime ? { expiryTime: rp.expiryTime } : {}),
            ...(rp.recoveryPointState ? { recoveryPointState: rp.recoveryPointState } : {}),
          });
        }
      }
    }
    if (route === "findRestorableTimeRanges" && bi && isJson(i.requestBody) && isJson(body) && !i.requestBody.startTime && !i.requestBody.endTime) {
      const ranges = ((body.properties as Json | undefined)?.restorableTimeRanges as Array<{ startTime: string }> | undefined) ?? [];
      bi.restorableTimeRanges = ranges.map((r) => ({ sourceDataStoreType: String(i.requestBody && (i.requestBody as Json).sourceDataStoreType), startTime: r.startTime, endTime: "now" }));
    }
    if ((route === "validateRestore" || route === "restore") && bi) noteRestore(bi, route === "validateRestore" ? (i.requestBody as Json).restoreRequestObject : i.requestBody, i.status < 300);
    if ((route === "validateCrossRegionRestore" || route === "crossRegionRestore") && bi) noteRestore(bi, (i.requestBody as Json).restoreRequestObject, i.status < 300);
    if (route === "operationStatus" && isJson(body) && isJson(body.error)) noteRefusal(body.error);
    if (route === "operationStatus" && isJson(body)) {
      const op = body as OperationResource;
      startMs = Math.min(startMs, Date.parse(op.startTime ?? "") || Infinity);
      const ms = msBetween(op.startTime, op.endTime);
      const kind = isJson(op.properties) && op.properties.jobId ? "restore" : "validateRestore";
      if (ms !== undefined && durations[kind] === undefined) durations[kind] = ms;
    }
    if ((route === "getJob" || route === "fetchCrossRegionRestoreJob") && isJson(body) && typeof body.id === "string" && isJson(body.properties)) {
      const job = body as AzureBackupJobResource;
      startMs = Math.min(startMs, Date.parse(job.properties?.startTime ?? "") || Infinity);
      const jb = /\/backupInstances\/([^/]+)$/i.exec(job.properties?.backupInstanceId ?? "");
      const owner = jb && vault ? instanceOf(vault[1], vault[2], jb[1]) : undefined;
      if (owner && !owner.dataSourceInfo.resourceID) owner.dataSourceInfo = instanceFromJob(job) ?? owner.dataSourceInfo;
      const source = job.properties?.extendedInfo?.sourceRecoverPoint;
      // A job the replay does not start (another run spliced into the cassette) names a point no listing of this run had.
      const ownRun = started.has(lower(job.name ?? "")) || owner?.recoveryPoints?.some((p) => lower(p.id) === lower(source?.recoveryPointID ?? ""));
      if (owner && ownRun && source?.recoveryPointID && source.recoveryPointTime) point(owner, { id: source.recoveryPointID, time: source.recoveryPointTime, dataStores: [(job.properties as { sourceDataStoreType?: string }).sourceDataStoreType ?? "VaultStore"] });
      const ms = parseDuration(job.properties?.duration ?? "");
      if (owner && job.properties?.status === "Completed" && ms) owner.restoreJob = { duration: iso(ms) };
      // A job the replayed part did not start (a partial cassette) is in the world as Azure last showed it;
      // one read through fetchCrossRegionRestoreJob is a cross-region job, which the vault's routes do not show.
      if (!started.has(lower(job.name ?? ""))) {
        const list = route === "getJob" ? jobs : crossRegionJobs;
        const at = list.findIndex((j) => lower(j.name ?? "") === lower(job.name ?? ""));
        if (at >= 0) list[at] = job;
        else list.push(job);
      }
    }
  }

  /** A cross-region call names its source vault (or instance) and the vault's region in its body; the instance it names. */
  function crossRegionSource(body: Json): BackupInstanceSpec | undefined {
    const details = isJson(body.crossRegionRestoreDetails) ? body.crossRegionRestoreDetails : body;
    const id = String(details.sourceBackupVaultId ?? details.sourceBackupInstanceId ?? "");
    const m = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataProtection\/backupVaults\/([^/]+)(?:\/backupInstances\/([^/]+))?/i.exec(id);
    if (!m) return undefined;
    const vault = vaultOf(m[1], m[2]);
    vault.location = String(details.sourceRegion);
    vault.crossRegionRestore = true;
    return m[3] ? instanceOf(m[1], m[2], m[3]) : undefined;
  }

  /**
   * Azure refused a restore because the identity it runs as lacks a role (an inner AuthorizationFailed naming
   * the principal): the world is one where that principal is the vault's and holds no role.
   */
  function noteRefusal(error: Json): void {
    const info = ((error.additionalInfo as Json[] | undefined)?.[0]?.info ?? {}) as Json;
    const inner = isJson(info.innerError) ? info.innerError : undefined;
    const principal = /object id '([0-9a-f-]{36})'/i.exec(strings(inner?.additionalInfo).join(" "))?.[1];
    if (inner?.code !== "AuthorizationFailed" || !principal) return;
    for (const vault of vaults.values()) vault.identity ??= { type: "SystemAssigned", principalId: principal };
    refused = true;
  }

  function adoptInstance(bi: BackupInstanceSpec, r: BackupInstanceResource): void {
    const p = r.properties;
    if (!p) return;
    bi.friendlyName = p.friendlyName;
    bi.dataSourceInfo = p.dataSourceInfo;
    if (p.dataSourceSetInfo) bi.dataSourceSetInfo = p.dataSourceSetInfo;
    if (p.policyInfo?.policyParameters) bi.policyParameters = p.policyInfo.policyParameters;
    if (p.datasourceAuthCredentials) bi.datasourceAuthCredentials = p.datasourceAuthCredentials;
    bi.policyName = p.policyInfo?.policyId?.split("/").pop() ?? bi.policyName;
  }

  function noteRestore(bi: BackupInstanceSpec, request: unknown, wasAccepted: boolean): void {
    if (!isJson(request)) return;
    const target = (request.restoreTargetInfo ?? {}) as Json;
    // An instance the recording never shows is of the type its restore names.
    const targetType = isJson(target.datasourceInfo) ? target.datasourceInfo.datasourceType : undefined;
    if (!bi.dataSourceInfo.datasourceType && typeof targetType === "string") bi.dataSourceInfo = { ...bi.dataSourceInfo, datasourceType: targetType };
    const store = String(request.sourceDataStoreType ?? "VaultStore");
    if (typeof request.recoveryPointId === "string") point(bi, { id: request.recoveryPointId, time: "2020-01-01T00:00:00Z", dataStores: [store] }, true);
    if (typeof request.recoveryPointTime === "string" && bi.restorableTimeRanges!.length === 0) {
      bi.restorableTimeRanges!.push({ sourceDataStoreType: store, startTime: new Date(Date.parse(request.recoveryPointTime) - 86_400_000).toISOString(), endTime: "now" });
    }
    for (const id of armIds([target])) {
      const m = ARM_ID.exec(id)!;
      if (!resources.has(lower(id))) resources.set(lower(id), id);
      if (wasAccepted) accepted.add(lower(id));
      if (/^Microsoft\.Storage$/i.test(m[3]) && /^storageAccounts$/i.test(m[4])) account(id.split("/").slice(0, 9).join("/"));
      if (/^Microsoft\.DBforPostgreSQL$/i.test(m[3]) && /^servers$/i.test(m[4])) servers.set(lower(id.split("/").slice(0, 9).join("/")), id.split("/").slice(0, 9).join("/"));
    }
    const details = target.targetDetails as Json | undefined;
    const url = typeof details?.url === "string" ? /^https:\/\/([a-z0-9]+)\.blob\.[^/]+\/([^/?#]+)/i.exec(details.url) : null;
    if (url) account(`/subscriptions/${subscriptionId}/resourceGroups/${vaults.values().next().value?.resourceGroup ?? "rg"}/providers/Microsoft.Storage/storageAccounts/${url[1]}`, url[1], url[2]);
    for (const uri of strings(target.datasourceAuthCredentials)) if (uri.startsWith("https://")) secrets.add(uri);
  }

  function account(id: string, name?: string, container?: string): void {
    const existing = [...storageAccounts.values()].find((a) => lower(a.id) === lower(id) || (name && lower(a.id.split("/").pop()!) === lower(name)));
    const entry = existing ?? { id, containers: new Set<string>() };
    if (container) entry.containers.add(container);
    storageAccounts.set(lower(entry.id), entry);
  }

  // What a live test deletes (before it restores there, or after) does not exist when its restore runs.
  const deleted = new Set(rec.interactions.filter((i) => i.method === "DELETE").map((i) => lower(pathAndQuery(i.uri).path)));
  for (const id of [...resources.keys()]) if (deleted.has(id)) resources.delete(id);
  for (const bi of instances.values()) if (!bi.dataSourceInfo.resourceID) bi.dataSourceInfo = { ...bi.dataSourceInfo, resourceID: `/subscriptions/${subscriptionId}/resourceGroups/unknown/providers/Unknown/unknown/${bi.name}` };
  return {
    settings: {
      ...(Number.isFinite(startMs) ? { startTime: new Date(startMs).toISOString() } : {}),
      locations: [region],
      durations: {
        ...(durations.validateRestore !== undefined ? { validateRestore: iso(durations.validateRestore) } : {}),
        ...(durations.restore !== undefined ? { restore: iso(durations.restore) } : {}),
      },
    },
    subscriptions: [{ id: subscriptionId, resourceGroups: [...groups.values()].map((name) => ({ name, location: region })) }],
    vaults: [...vaults.values()],
    storageAccounts: [...storageAccounts.values()].map((a) => ({ id: a.id, containers: [...a.containers] })),
    postgresqlServers: [...servers.values()].map((id) => ({ id, version: "11", databases: [] })),
    keyVaultSecrets: [...secrets],
    resources: [...resources.values()].map((id) => ({ id, ...acceptedProperties(id, accepted.has(lower(id))) })),
    jobs,
    ...(crossRegionJobs.length > 0 ? { crossRegionJobs } : {}),
    ...(refused ? { roleAssignments: [] } : {}),
  };
}

/** What the kinds' rules ask of a resource, for one a restore Azure accepted wrote to. */
function acceptedProperties(id: string, wasAccepted: boolean): { properties?: Record<string, unknown> } {
  const properties = wasAccepted ? Object.assign({}, ...KINDS.map((kind) => kind.acceptedTargetProperties?.(id) ?? {})) : {};
  return Object.keys(properties).length > 0 ? { properties } : {};
}

export type { Interaction };
