import type {
  AzureBackupRestoreRequest,
  ItemLevelRestoreCriteria,
  RangeBasedItemLevelRestoreCriteria,
  RestorableTimeRange,
} from "../api/types";
import { dpErrors, type DpError } from "./errors";
import { formatDateTime, parseDateTime } from "./format";
import { parseArmId, sameArmId, sameName } from "./ids";
import type { JobRecord, JobTarget } from "./store";
import type { BackupInstance, RecoveryPoint } from "./world/model";
import type { World } from "./world/world";

/**
 * Azure's restore rules, as pure functions of the world, the request and what exists now. Each returns
 * the service's error (a DpError) or undefined. validateRestore and restore both run `checkRestore`;
 * the handler reports a violation as the operation's Failed status, as the service does.
 */

export const POSTGRESQL_TYPES = ["microsoft.dbforpostgresql/servers/databases", "ossdb"];
export const BLOB_TYPES = ["microsoft.storage/storageaccounts/blobservices"];
/** At most this many item-level ranges in one operational blob restore. */
export const MAX_RESTORE_RANGES = 10;

/** Datasource types compared as the service does: case-insensitive, with the legacy alias `OssDB`. */
export function canonicalDatasourceType(type: string): string {
  const t = type.toLowerCase();
  return POSTGRESQL_TYPES.includes(t) ? POSTGRESQL_TYPES[0] : t;
}

export function isPostgres(bi: BackupInstance): boolean {
  return canonicalDatasourceType(bi.datasourceType) === POSTGRESQL_TYPES[0];
}

export function isBlob(bi: BackupInstance): boolean {
  return BLOB_TYPES.includes(canonicalDatasourceType(bi.datasourceType));
}

export interface Range {
  startMs: number;
  endMs: number;
  startTime: string;
  endTime: string;
  sourceDataStoreType: string;
}

/** The instance's restorable ranges of one data store at virtual time `nowMs` (`now` ends move with it). */
export function restorableRanges(bi: BackupInstance, store: string, nowMs: number): Range[] {
  return (bi.restorableTimeRanges ?? [])
    .filter((r) => sameName(r.sourceDataStoreType ?? "OperationalStore", store))
    .map((r) => {
      const endMs = r.endTime === "now" ? nowMs : parseDateTime(r.endTime) ?? 0;
      return {
        startMs: parseDateTime(r.startTime) ?? 0,
        endMs,
        startTime: r.startTime,
        endTime: r.endTime === "now" ? formatDateTime(nowMs) : r.endTime,
        sourceDataStoreType: r.sourceDataStoreType ?? "OperationalStore",
      };
    })
    .filter((r) => r.startMs <= r.endMs);
}

/**
 * findRestorableTimeRanges: the ranges of `store` clipped to [startTime, endTime] (empty strings or
 * absent bounds are open). Returns an error for unparsable or reversed bounds.
 */
export function findRestorableTimeRanges(
  bi: BackupInstance,
  request: { sourceDataStoreType: string; startTime?: string; endTime?: string },
  nowMs: number,
): RestorableTimeRange[] | DpError {
  const bound = (name: string, text: string | undefined): number | undefined | DpError => {
    if (text === undefined || text.trim() === "") return undefined;
    const ms = parseDateTime(text);
    return ms === undefined ? dpErrors.invalidTimeRangeRequest(`${name} '${text}' is not an ISO 8601 date-time.`) : ms;
  };
  const from = bound("startTime", request.startTime);
  const to = bound("endTime", request.endTime);
  if (typeof from === "object") return from;
  if (typeof to === "object") return to;
  if (from !== undefined && to !== undefined && from > to) return dpErrors.invalidTimeRangeRequest(`startTime '${request.startTime}' is later than endTime '${request.endTime}'.`);
  const out: RestorableTimeRange[] = [];
  for (const r of restorableRanges(bi, request.sourceDataStoreType, nowMs)) {
    if ((to !== undefined && r.startMs > to) || (from !== undefined && r.endMs < from)) continue;
    out.push({
      startTime: from !== undefined && from > r.startMs ? request.startTime ?? r.startTime : r.startTime,
      endTime: to !== undefined && to < r.endMs ? request.endTime ?? r.endTime : r.endTime,
      objectType: "RestorableTimeRange",
    });
  }
  return out;
}

export interface RestoreContext {
  world: World;
  instance: BackupInstance;
  request: AzureBackupRestoreRequest;
  nowMs: number;
  /** Whether a database exists now (the world's plus those restored by finished jobs). */
  databaseExists: (serverId: string, database: string) => boolean;
  /** Whether the recovery point has a rehydrated copy now. */
  isRehydrated: (recoveryPointId: string) => boolean;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(".").map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function hasStore(rp: RecoveryPoint, store: string): boolean {
  return rp.details.some((d) => sameName(d.type, store));
}

function checkDatasourceType(ctx: RestoreContext): DpError | undefined {
  const target = ctx.request.restoreTargetInfo;
  if (target.objectType === "RestoreFilesTargetInfo") return undefined;
  const requested = target.datasourceInfo.datasourceType;
  if (!requested) return undefined;
  if (canonicalDatasourceType(requested) !== canonicalDatasourceType(ctx.instance.datasourceType)) return dpErrors.datasourceTypeMismatch(requested, ctx.instance.datasourceType);
  return undefined;
}

function checkSource(ctx: RestoreContext): DpError | undefined {
  const { request, instance } = ctx;
  const store = request.sourceDataStoreType;
  if (request.objectType === "AzureBackupRecoveryTimeBasedRestoreRequest") {
    const ms = parseDateTime(request.recoveryPointTime);
    const inRange = ms !== undefined && restorableRanges(instance, store, ctx.nowMs).some((r) => r.startMs <= ms && ms <= r.endMs);
    return inRange ? undefined : dpErrors.pointInTimeNotInRestorableRange(request.recoveryPointTime, store);
  }
  const rp = instance.points.find((p) => sameName(p.id, request.recoveryPointId));
  if (!rp) return dpErrors.recoveryPointNotFound(request.recoveryPointId);
  const rehydrated = ctx.isRehydrated(rp.id);
  if (sameName(store, "ArchiveStore")) {
    if (!hasStore(rp, "ArchiveStore")) return dpErrors.recoveryPointNotInDataStore(rp.id, store);
    if (request.objectType !== "AzureBackupRestoreWithRehydrationRequest" && !rehydrated) return dpErrors.archiveRestoreRequiresRehydration(rp.id);
    return undefined;
  }
  if (request.objectType === "AzureBackupRestoreWithRehydrationRequest") {
    return hasStore(rp, "ArchiveStore") || hasStore(rp, store) ? undefined : dpErrors.recoveryPointNotInDataStore(rp.id, "ArchiveStore");
  }
  if (!hasStore(rp, store) && !(sameName(store, "VaultStore") && rehydrated)) return dpErrors.recoveryPointNotInDataStore(rp.id, store);
  return undefined;
}

function isRange(c: ItemLevelRestoreCriteria): c is RangeBasedItemLevelRestoreCriteria {
  return c.objectType === "RangeBasedItemLevelRestoreCriteria";
}

function checkRanges(ctx: RestoreContext): DpError | undefined {
  const target = ctx.request.restoreTargetInfo;
  if (target.objectType !== "ItemLevelRestoreTargetInfo") return undefined;
  const ranges = target.restoreCriteria.map((c, index) => ({ c, index })).filter((x): x is { c: RangeBasedItemLevelRestoreCriteria; index: number } => isRange(x.c));
  if (ranges.length > MAX_RESTORE_RANGES) return dpErrors.restoreCriteriaLimitExceeded(ranges.length, MAX_RESTORE_RANGES);
  for (const { c, index } of ranges) {
    const min = c.minMatchingValue ?? "";
    const max = c.maxMatchingValue ?? "";
    if (!(min < max)) return dpErrors.invalidRestoreRange(index, min, max);
  }
  const sorted = [...ranges].sort((a, b) => ((a.c.minMatchingValue ?? "") < (b.c.minMatchingValue ?? "") ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    // the range start is inclusive and its end exclusive: touching ranges do not overlap
    if ((sorted[i].c.minMatchingValue ?? "") < (sorted[i - 1].c.maxMatchingValue ?? "")) {
      const [a, b] = [sorted[i - 1].index, sorted[i].index].sort((x, y) => x - y);
      return dpErrors.overlappingRestoreRanges(a, b);
    }
  }
  return undefined;
}

/** `https://{account}.blob.core.windows.net/{container}[/...]` → account and container. */
export function parseContainerUrl(url: string): { account: string; container: string } | undefined {
  const m = /^https:\/\/([a-z0-9]+)\.(?:blob|dfs|file)\.core\.windows\.net\/([^/?#]+)/i.exec(url.trim());
  return m ? { account: m[1], container: m[2] } : undefined;
}

function checkTarget(ctx: RestoreContext): DpError | undefined {
  const { request, instance, world } = ctx;
  const target = request.restoreTargetInfo;
  if (target.objectType === "RestoreFilesTargetInfo") {
    const url = target.targetDetails.url;
    const parsed = parseContainerUrl(url);
    if (!parsed) return dpErrors.targetContainerNotFound(url);
    const account = world.storageAccountByName(parsed.account);
    if (!account) return dpErrors.targetStorageAccountNotFound(parsed.account);
    if (!(account.containers ?? []).some((c) => sameName(c, parsed.container))) return dpErrors.targetContainerNotFound(url);
    return undefined;
  }
  const targetId = target.datasourceInfo.resourceID;
  if (isPostgres(instance)) {
    if (sameArmId(targetId, instance.dataSourceInfo.resourceID)) return dpErrors.originalLocationRestoreNotSupported();
    const parsed = parseArmId(targetId);
    const [server, database] = parsed?.resources ?? [];
    if (!parsed?.resourceGroup || !server || !database || !sameName(server.type, "servers") || !sameName(database.type, "databases")) {
      return dpErrors.targetServerNotFound(targetId);
    }
    const serverId = `/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}/providers/${parsed.provider ?? ""}/servers/${server.name}`;
    const targetServer = world.postgresqlServer(serverId);
    if (!targetServer) return dpErrors.targetServerNotFound(serverId);
    const sourceVersion = world.sourceServerVersion(instance);
    const targetVersion = String(targetServer.version);
    if (sourceVersion !== undefined && compareVersions(targetVersion, sourceVersion) < 0) return dpErrors.restoreToLowerVersion(sourceVersion, targetVersion);
    if (ctx.databaseExists(targetServer.id, database.name)) return dpErrors.targetDatabaseAlreadyExists(database.name, server.name);
    const uri = target.datasourceAuthCredentials?.secretStoreResource?.uri;
    if (uri !== undefined && !world.secretExists(uri)) return dpErrors.keyVaultSecretNotFound(uri);
    return undefined;
  }
  if (isBlob(instance)) {
    if (sameName(request.sourceDataStoreType, "OperationalStore") && !sameArmId(targetId, instance.dataSourceInfo.resourceID)) {
      return dpErrors.operationalRestoreToAnotherAccount(parseArmId(targetId)?.resources.at(-1)?.name ?? targetId);
    }
    if (!world.storageAccountById(targetId)) return dpErrors.targetStorageAccountNotFound(parseArmId(targetId)?.resources.at(-1)?.name ?? targetId);
  }
  return undefined;
}

/** Runs the restore rules in the order the service applies them; the first violation wins. */
export function checkRestore(ctx: RestoreContext): DpError | undefined {
  return checkDatasourceType(ctx) ?? checkSource(ctx) ?? checkRanges(ctx) ?? checkTarget(ctx);
}

/** What a restore writes to, and how its job reports the destination. */
export function restoreTarget(instance: BackupInstance, request: AzureBackupRestoreRequest): { target: JobTarget; recoveryDestination: string } {
  const t = request.restoreTargetInfo;
  if (t.objectType === "RestoreFilesTargetInfo") return { target: { kind: "files", url: t.targetDetails.url }, recoveryDestination: t.targetDetails.url };
  const id = t.datasourceInfo.resourceID;
  if (isPostgres(instance)) {
    const parsed = parseArmId(id);
    const [server, database] = parsed?.resources ?? [];
    if (parsed?.resourceGroup && server && database) {
      const serverId = `/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}/providers/${parsed.provider ?? ""}/servers/${server.name}`;
      return { target: { kind: "postgresDatabase", serverId, database: database.name }, recoveryDestination: id };
    }
  }
  if (isBlob(instance)) return { target: { kind: "storageAccount", id }, recoveryDestination: id };
  return { target: { kind: "resource", id }, recoveryDestination: id };
}

/** A blob restore is refused while another restore job runs on the same storage account. */
export function checkConcurrentRestore(target: JobTarget, running: JobRecord[]): DpError | undefined {
  if (target.kind !== "storageAccount") return undefined;
  const busy = running.find((j) => j.target.kind === "storageAccount" && sameArmId(j.target.id, target.id));
  return busy ? dpErrors.anotherRestoreInProgress(target.id, busy.name) : undefined;
}
