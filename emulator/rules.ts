import type {
  AzureBackupRestoreRequest,
  ItemLevelRestoreCriteria,
  RangeBasedItemLevelRestoreCriteria,
  RestorableTimeRange,
} from "../api/types";
import { resourcePrincipal, type Permission } from "./access";
import { type DpError } from "./errors";
import { dpErrors } from "./service-errors";
import { formatDateTime, parseDateTime } from "./format";
import { parseContainerUrl, sameArmId, sameName } from "./ids";
import { restorePrincipal } from "./identity";

export { parseContainerUrl };
import { canonicalDatasourceType, kindOf } from "./kinds";
import type { RestoreTarget } from "./kinds/kind";
import type { JobRecord, JobTarget } from "./store";
import type { BackupInstance, RecoveryPoint } from "./world/model";
import type { World } from "./world/world";

/**
 * Azure's restore rules, as pure functions of the world, the request and what exists now. Each returns
 * the service's error (a DpError) or undefined. validateRestore and restore both run `checkRestore`;
 * the handler reports a violation as the operation's Failed status, as the service does. The rules here
 * hold for every datasource; those of one kind are in its module (`kinds/`), found by the instance's
 * datasource type.
 */

/** At most this many range criteria in one item-level restore. */
export const MAX_RESTORE_RANGES = 10;

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
 * findRestorableTimeRanges as the service answers it (recording restorable_time_range_find): each range
 * of the data store, its start raised to the window's start and its end lowered to the window's end,
 * with no overlap check (a window before a range yields a range that ends before it starts, as
 * recorded). Times may carry `Z`, an offset or no zone (read as UTC); a clipped bound is written with
 * seven fraction digits. A window whose start is after its end is UserErrorInvalidRestorableTimeRange;
 * a start alone is read only in the service's own form (seven fraction digits, `Z`), anything else is
 * DppPluginInvalidInputParameters; an end alone is a CloudInternalError (500) — all three as recorded.
 */
export function findRestorableTimeRanges(
  bi: BackupInstance,
  request: { sourceDataStoreType: string; startTime?: string; endTime?: string },
  nowMs: number,
): RestorableTimeRange[] | DpError {
  const given = (text: string | undefined) => (text === undefined || text.trim() === "" ? undefined : text);
  const [start, end] = [given(request.startTime), given(request.endTime)];
  if (end !== undefined && start === undefined) return dpErrors.internalError();
  if (start !== undefined && end === undefined && !SERVICE_TIME.test(start)) return dpErrors.invalidInputs();
  const from = start === undefined ? undefined : parseZonedOrUtc(start);
  const to = end === undefined ? undefined : parseZonedOrUtc(end);
  if ((start !== undefined && from === undefined) || (end !== undefined && to === undefined)) return dpErrors.invalidInputs();
  if (from !== undefined && to !== undefined && from > to) return dpErrors.invalidRestorableTimeRange();
  return restorableRanges(bi, request.sourceDataStoreType, nowMs).map((r) => ({
    startTime: from !== undefined && from > r.startMs ? formatServiceTime(from) : r.startTime,
    endTime: to !== undefined && to < r.endMs ? formatServiceTime(to) : r.endTime,
    objectType: "RestorableTimeRange",
  }));
}

/** The service's own form of a time: seven fraction digits and `Z`. */
const SERVICE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

function parseZonedOrUtc(text: string): number | undefined {
  return parseDateTime(/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`);
}

function formatServiceTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

export interface RestoreContext {
  world: World;
  instance: BackupInstance;
  request: AzureBackupRestoreRequest;
  nowMs: number;
  /** What restore jobs that run now or have completed write to (a kind's rules may ask: a database exists). */
  restored: () => readonly RestoreTarget[];
  /** Whether the recovery point has a rehydrated copy now. */
  isRehydrated: (recoveryPointId: string) => boolean;
  /** Whether a principal may do something at a scope now (emulator/access.ts); without it, access is not checked. */
  permits?: (principalId: string, scope: string, permission: Permission) => boolean;
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

/**
 * Range criteria are checked for any instance whose request carries them, not only a blob's (the
 * kind that sends them today), so this rule is generic: a Data Lake kind will meet it too.
 */
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
  return kindOf(instance.datasourceType)?.rules({ world, instance, request, target, nowMs: ctx.nowMs, restored: ctx.restored });
}

/** The identity the restore runs as must be one the vault has (emulator/identity.ts). */
function checkIdentity(ctx: RestoreContext): DpError | undefined {
  const who = restorePrincipal(ctx.instance.vault, ctx.request.identityDetails);
  return "refusal" in who ? who.refusal : undefined;
}

/**
 * The kind's access requirements, each for the principal it names: the vault's is the identity the restore
 * runs as (its system identity, or the user-assigned one `identityDetails` names); an identity the world
 * does not give is not checked.
 */
function checkAccess(ctx: RestoreContext): DpError | undefined {
  const { permits, world, instance, request } = ctx;
  if (!permits) return undefined;
  const runAs = restorePrincipal(instance.vault, request.identityDetails);
  const vaultPrincipal = "principalId" in runAs ? runAs.principalId : undefined;
  for (const need of kindOf(instance.datasourceType)?.access?.({ world, instance, request }) ?? []) {
    const principalId = need.who === "vault" ? vaultPrincipal : resourcePrincipal(world, need.who.resourceId);
    if (!principalId || permits(principalId, need.scope, need.permission)) continue;
    return need.refusal({ principalId, scope: need.scope, action: "action" in need.permission ? need.permission.action : need.permission.dataAction });
  }
  return undefined;
}

/**
 * Runs the restore rules in the order the service applies them; the first violation wins. No source gives
 * where the service checks the restore's identity: here, right before the access check that uses it.
 */
export function checkRestore(ctx: RestoreContext): DpError | undefined {
  return checkDatasourceType(ctx) ?? checkSource(ctx) ?? checkRanges(ctx) ?? checkTarget(ctx) ?? checkIdentity(ctx) ?? checkAccess(ctx);
}

/** What a restore writes to, and how its job reports the destination. */
export function restoreTarget(instance: BackupInstance, request: AzureBackupRestoreRequest): { target: JobTarget; recoveryDestination: string } {
  const t = request.restoreTargetInfo;
  if (t.objectType === "RestoreFilesTargetInfo") return { target: { kind: "files", url: t.targetDetails.url, filePrefix: t.targetDetails.filePrefix }, recoveryDestination: t.targetDetails.url };
  const ofKind = kindOf(instance.datasourceType)?.targetOf(instance, t);
  if (ofKind) return ofKind;
  const id = t.datasourceInfo.resourceID;
  return { target: { kind: "resource", id }, recoveryDestination: id };
}

/** A restore is refused while another restore job runs on the same target, for kinds that allow one at a time. */
export function checkConcurrentRestore(instance: BackupInstance, target: JobTarget, running: JobRecord[]): DpError | undefined {
  const concurrency = kindOf(instance.datasourceType)?.concurrency;
  const key = concurrency?.key(target);
  if (!concurrency || key === undefined) return undefined;
  const busy = running.find((j) => sameArmId(concurrency.key(j.target), key));
  return busy ? concurrency.refusal(key, busy.name) : undefined;
}
