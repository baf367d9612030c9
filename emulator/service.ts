import type {
  AzureBackupFindRestorableTimeRangesRequest,
  AzureBackupJobResource,
  AzureBackupRecoveryPointResource,
  AzureBackupRestoreRequest,
  ResourceList,
  ValidateRestoreRequestObject,
} from "../api/types";
import type { ApiVersion } from "../api/versions";
import { dpErrorBody, dpErrors, dpServiceError, armErrors, userFacingError, type DpError } from "./errors";
import { formatDuration, parseDateTime, parseDuration } from "./format";
import type { Query, Reply } from "./http";
import { newActivityId, newGuid, newOperationId, normalizeLocation, parseArmId, sameArmId, sameName } from "./ids";
import type { RouteDef, RouteName } from "./routes";
import { kindOf } from "./kinds";
import type { RestoreTarget } from "./kinds/kind";
import { checkConcurrentRestore, checkRestore, findRestorableTimeRanges, restoreTarget } from "./rules";
import type { JobRecord, OperationKind, OperationRecord } from "./store";
import {
  backupInstanceResource,
  jobArmId,
  jobResource,
  jobState,
  operationDone,
  operationJobInfo,
  operationResource,
  recoveryPointResource,
  rehydrationOf,
} from "./views";
import type { BackupInstance, Vault } from "./world/model";
import { restoreJobDuration } from "./world/world";
import type { EngineState } from "./engine";

/**
 * The Data Protection operations: what each route does once the protocol layer has authenticated the
 * call, checked its api-version and body, and applied request faults. Handlers throw ServiceError for
 * error responses.
 */
export interface ArmRequest {
  route: RouteDef;
  params: Record<string, string>;
  version: ApiVersion;
  /** The body, checked against the route's definition, nulls removed. */
  body: unknown;
  query: Query;
  /** Path as sent, without query. */
  path: string;
  baseUrl: string;
  nowMs: number;
}

type Handler = (req: ArmRequest) => Reply;

interface CrossRegionRestoreRequestObject {
  restoreRequestObject: AzureBackupRestoreRequest;
  crossRegionRestoreDetails: { sourceRegion: string; sourceBackupInstanceId: string };
}

export class ArmService {
  readonly handlers: Record<RouteName, Handler>;

  constructor(private readonly state: EngineState) {
    this.handlers = {
      listBackupInstances: (r) => this.listBackupInstances(r),
      getBackupInstance: (r) => ({ status: 200, body: backupInstanceResource(this.instance(r.params), r.version) }),
      findRestorableTimeRanges: (r) => this.findRestorableTimeRanges(r),
      listRecoveryPoints: (r) => this.listRecoveryPoints(r, this.instance(r.params)),
      getRecoveryPoint: (r) => this.getRecoveryPoint(r),
      validateRestore: (r) => this.restoreOperation(r, "validateRestore", this.instance(r.params), (r.body as ValidateRestoreRequestObject).restoreRequestObject),
      restore: (r) => this.restoreOperation(r, "restore", this.instance(r.params), r.body as AzureBackupRestoreRequest),
      rehydrate: (r) => this.rehydrate(r),
      operationStatus: (r) => this.operationStatus(r),
      operationResults: (r) => this.operationResults(r),
      listJobs: (r) => this.listJobs(r, this.vault(r.params)),
      getJob: (r) => this.getJob(r, this.vault(r.params), r.params.jobId),
      crossRegionRestore: (r) => this.crossRegionRestore(r, "crossRegionRestore"),
      validateCrossRegionRestore: (r) => this.crossRegionRestore(r, "validateCrossRegionRestore"),
      fetchSecondaryRecoveryPoints: (r) => this.fetchSecondaryRecoveryPoints(r),
      fetchCrossRegionRestoreJob: (r) => this.fetchCrossRegionRestoreJob(r),
      fetchCrossRegionRestoreJobs: (r) => this.fetchCrossRegionRestoreJobs(r),
    };
  }

  // ---- lookups (ARM's order: subscription, resource group, then the provider's resources) ----------

  /** Checks the subscription and, when given, the resource group. */
  checkScope(params: Record<string, string>): void {
    const world = this.state.world;
    if (!world.subscription(params.subscriptionId)) throw armErrors.subscriptionNotFound(params.subscriptionId);
    if (params.resourceGroupName !== undefined && !world.resourceGroup(params.subscriptionId, params.resourceGroupName)) {
      throw armErrors.resourceGroupNotFound(params.resourceGroupName);
    }
  }

  private vault(params: Record<string, string>): Vault {
    this.checkScope(params);
    const vault = this.state.world.vault(params.subscriptionId, params.resourceGroupName, params.vaultName);
    if (!vault) throw armErrors.vaultNotFound(params.vaultName, params.resourceGroupName);
    return vault;
  }

  private instance(params: Record<string, string>): BackupInstance {
    const vault = this.vault(params);
    const bi = vault.instances.find((i) => sameName(i.name, params.backupInstanceName));
    if (!bi) throw dpServiceError(dpErrors.backupInstanceNotFound(vault.name, params.backupInstanceName), newActivityId());
    return bi;
  }

  private fail(e: DpError): never {
    throw dpServiceError(e, newActivityId());
  }

  // ---- paging ----------------------------------------------------------------------------------------

  private page<T>(req: ArmRequest, items: T[]): ResourceList<T> {
    const size = this.state.world.settings.pageSize;
    const token = req.query.get("$skipToken");
    let offset = 0;
    if (token !== undefined) {
      const m = /^o(\d{1,9})$/.exec(Buffer.from(token, "base64url").toString("utf8"));
      if (!m) this.fail(dpErrors.invalidSkipToken());
      offset = Number(m[1]);
    }
    const value = items.slice(offset, offset + size);
    if (offset + size >= items.length) return { value };
    const params = [...req.query.without("$skipToken"), ["$skipToken", Buffer.from(`o${offset + size}`, "utf8").toString("base64url")]];
    // `$` stays literal in parameter names, as ARM writes its nextLinks
    const query = params.map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, "$")}=${encodeURIComponent(v)}`).join("&");
    return { value, nextLink: `${req.baseUrl}${req.path}?${query}` };
  }

  // ---- backup instances, time ranges, recovery points ---------------------------------------------

  private listBackupInstances(req: ArmRequest): Reply {
    const vault = this.vault(req.params);
    return { status: 200, body: this.page(req, vault.instances.map((bi) => backupInstanceResource(bi, req.version))) };
  }

  private findRestorableTimeRanges(req: ArmRequest): Reply {
    const bi = this.instance(req.params);
    const body = req.body as AzureBackupFindRestorableTimeRangesRequest;
    const ranges = findRestorableTimeRanges(bi, body, req.nowMs);
    if (!Array.isArray(ranges)) this.fail(ranges);
    return {
      status: 200,
      body: {
        id: bi.name,
        type: "Microsoft.DataProtection/backupVaults/backupInstances/findRestorableTimeRanges",
        properties: { restorableTimeRanges: ranges, objectType: "AzureBackupFindRestorableTimeRangesResponse" },
      },
    };
  }

  /** `$filter` of recovery points: `name eq 'value'` clauses joined by `and`. */
  private recoveryPointFilter(text: string | undefined): (rp: BackupInstance["points"][number]) => boolean {
    if (text === undefined || text.trim() === "") return () => true;
    const tests: Array<(rp: BackupInstance["points"][number]) => boolean> = [];
    for (const clause of text.split(/\s+and\s+/i)) {
      const m = /^\s*(\w+)\s+eq\s+(?:'([^']*)'|(true|false))\s*$/i.exec(clause);
      if (!m) this.fail(dpErrors.invalidFilter(`cannot read '${clause.trim()}'`));
      const [, name, quoted, bool] = m;
      const value = quoted ?? bool ?? "";
      switch (name.toLowerCase()) {
        case "startdate":
        case "enddate": {
          const ms = parseDateTime(value);
          if (ms === undefined) this.fail(dpErrors.invalidFilter(`${name} '${value}' is not an ISO 8601 date-time`));
          tests.push(name.toLowerCase() === "startdate" ? (rp) => rp.timeMs >= ms : (rp) => rp.timeMs <= ms);
          break;
        }
        case "isvisible": {
          const want = value.toLowerCase() === "true";
          tests.push((rp) => rp.details.some((d) => (d.visible ?? true) === want));
          break;
        }
        case "restorepointstate":
          tests.push((rp) => sameName(rp.recoveryPointState ?? "Completed", value));
          break;
        case "restorepointdatastoreid":
          tests.push((rp) => rp.details.some((d) => sameName(d.id, value)));
          break;
        case "extendedinfo":
          break;
        default:
          this.fail(dpErrors.invalidFilter(`unknown property '${name}'`));
      }
    }
    return (rp) => tests.every((t) => t(rp));
  }

  private listRecoveryPoints(req: ArmRequest, bi: BackupInstance): Reply {
    const filter = this.recoveryPointFilter(req.query.get("$filter"));
    const points = bi.points.filter(filter).sort((a, b) => b.timeMs - a.timeMs);
    const items: AzureBackupRecoveryPointResource[] = points.map((rp) => recoveryPointResource(bi, rp, req.version, rehydrationOf(this.state.store, bi, rp.id, req.nowMs)));
    return { status: 200, body: this.page(req, items) };
  }

  private getRecoveryPoint(req: ArmRequest): Reply {
    const bi = this.instance(req.params);
    const rp = bi.points.find((p) => sameName(p.id, req.params.recoveryPointId));
    if (!rp) this.fail(dpErrors.recoveryPointResourceNotFound(bi.name, req.params.recoveryPointId));
    return { status: 200, body: recoveryPointResource(bi, rp, req.version, rehydrationOf(this.state.store, bi, rp.id, req.nowMs)) };
  }

  // ---- long-running operations ---------------------------------------------------------------------

  private retryAfter(kind: keyof EngineState["world"]["settings"]["retryAfterSeconds"]): string {
    return String(this.state.clock.realSeconds(this.state.world.settings.retryAfterSeconds[kind]));
  }

  /** 202 headers of an operation, per api-version (SUMMARY: 2021 location scope; 2024+ BI results and vault status). */
  private acceptedHeaders(req: ArmRequest, op: OperationRecord, bi: BackupInstance, retryKind: "validateRestore" | "restore" | "rehydrate"): Record<string, string> {
    const v = req.version;
    const q = `?api-version=${v}`;
    const headers: Record<string, string> = {};
    if (v < "2024-04-01") {
      const loc = `${req.baseUrl}/subscriptions/${bi.vault.subscriptionId}/providers/Microsoft.DataProtection/locations/${op.location}`;
      headers["Azure-AsyncOperation"] = `${loc}/operationStatus/${op.id}${q}`;
      headers.Location = `${loc}/operationResults/${op.id}${q}`;
    } else {
      headers["Azure-AsyncOperation"] = `${req.baseUrl}${bi.vault.id}/operationStatus/${op.id}${q}`;
      headers.Location = `${req.baseUrl}${bi.id}/operationResults/${op.id}${q}`;
    }
    // 2026-06-01 defines no Retry-After on these 202s
    if (v < "2026-06-01") headers["Retry-After"] = this.retryAfter(retryKind);
    return headers;
  }

  private newOperation(kind: OperationKind, bi: BackupInstance, nowMs: number, durationMs: number): Omit<OperationRecord, "outcome"> {
    return {
      id: newOperationId(),
      kind,
      subscriptionId: bi.vault.subscriptionId,
      location: normalizeLocation(bi.vault.location),
      resourceGroup: bi.vault.resourceGroup,
      vaultName: bi.vault.name,
      backupInstanceName: bi.name,
      startMs: nowMs,
      endMs: nowMs + durationMs,
    };
  }

  /** What restore jobs are writing or have written: every job's target but a failed one's. */
  private restoredTargets(nowMs: number): RestoreTarget[] {
    return [...this.state.store.jobs.values()].filter((j) => jobState(j, nowMs).status !== "Failed").map((j) => j.target);
  }

  private runningJobs(nowMs: number): JobRecord[] {
    return [...this.state.store.jobs.values()].filter((j) => !jobState(j, nowMs).done);
  }

  /**
   * validateRestore, restore and their cross-region forms: rules run now, the verdict shows when the
   * operation ends (Failed with the service error, or Succeeded with the job for a restore). A blob
   * restore on a storage account with a running restore is refused at once (409).
   */
  private restoreOperation(req: ArmRequest, kind: "validateRestore" | "restore" | "crossRegionRestore" | "validateCrossRegionRestore", bi: BackupInstance, request: AzureBackupRestoreRequest, extraCheck?: DpError): Reply {
    const { world, store, faults } = this.state;
    const creates = kind === "restore" || kind === "crossRegionRestore";
    const route: RouteName = kind;
    const { target, recoveryDestination } = restoreTarget(bi, request);
    if (creates) {
      const busy = checkConcurrentRestore(bi, target, this.runningJobs(req.nowMs));
      if (busy) this.fail(busy);
    }
    const durationMs = world.durationMs(creates ? "restore" : "validateRestore");
    const base = this.newOperation(kind, bi, req.nowMs, durationMs);
    const activityId = newActivityId();
    let outcome: OperationRecord["outcome"];
    const opFault = faults.takeOutcome(route, "operationFails");
    const violation =
      extraCheck ??
      checkRestore({
        world,
        instance: bi,
        request,
        nowMs: req.nowMs,
        restored: () => this.restoredTargets(req.nowMs),
        isRehydrated: (rpId) => rehydrationOf(store, bi, rpId, req.nowMs)?.status === "COMPLETED",
      });
    if (opFault) {
      const e = dpErrors.injected(opFault.error?.code, opFault.error?.message);
      outcome = { status: "Failed", error: dpErrorBody(e, activityId), httpStatus: e.status };
    } else if (violation) {
      outcome = { status: "Failed", error: dpErrorBody(violation, activityId), httpStatus: violation.status };
    } else if (creates) {
      const job = this.createJob(req, bi, request, target, recoveryDestination, activityId, kind === "crossRegionRestore" ? normalizeLocation(req.params.location) : undefined);
      outcome = { status: "Succeeded", jobId: jobArmId(job) };
    } else {
      outcome = { status: "Succeeded" };
    }
    const op: OperationRecord = { ...base, outcome };
    store.addOperation(op);
    this.state.changed();
    return { status: 202, headers: this.acceptedHeaders(req, op, bi, creates ? "restore" : "validateRestore") };
  }

  private createJob(
    req: ArmRequest,
    bi: BackupInstance,
    request: AzureBackupRestoreRequest,
    target: JobRecord["target"],
    recoveryDestination: string,
    activityId: string,
    crossRegionLocation: string | undefined,
  ): JobRecord {
    const { world, store, faults } = this.state;
    const duration = restoreJobDuration(world, bi);
    const rehydrating = request.objectType === "AzureBackupRestoreWithRehydrationRequest";
    const durationMs = duration.ms + (rehydrating ? world.durationMs("rehydration") : 0);
    const fault = faults.takeOutcome(crossRegionLocation ? "crossRegionRestore" : "restore", "jobFails");
    const outcome = fault ? "Failed" : bi.restoreJob?.outcome ?? "Completed";
    const error =
      outcome === "Failed"
        ? fault
          ? userFacingError(dpErrors.injected(fault.error?.code ?? "UserErrorRestoreJobFailed", fault.error?.message ?? "The restore job failed."), activityId)
          : bi.restoreJob?.error ?? userFacingError(dpErrors.injected("UserErrorRestoreJobFailed", "The restore job failed."), activityId)
        : undefined;
    const source = parseArmId(bi.dataSourceInfo.resourceID);
    const rp = request.objectType === "AzureBackupRecoveryTimeBasedRestoreRequest" ? undefined : bi.points.find((p) => sameName(p.id, request.recoveryPointId));
    const name = newGuid();
    const job: JobRecord = {
      name,
      subscriptionId: bi.vault.subscriptionId,
      resourceGroup: bi.vault.resourceGroup,
      vaultName: bi.vault.name,
      backupInstanceName: bi.name,
      startMs: req.nowMs,
      durationMs,
      durationText: rehydrating ? "" : duration.text,
      outcome,
      ...(error ? { error } : {}),
      ...(outcome === "CompletedWithWarnings" ? { warnings: bi.restoreJob?.warnings ?? ["The restore completed with warnings."] } : {}),
      target,
      recoveryDestination,
      sourceRecoverPoint:
        request.objectType === "AzureBackupRecoveryTimeBasedRestoreRequest"
          ? { recoveryPointTime: normalizeTime(request.recoveryPointTime) }
          : { recoveryPointID: request.recoveryPointId, ...(rp ? { recoveryPointTime: rp.time } : {}) },
      ...(rehydrating ? { rehydrationPriority: request.rehydrationPriority } : {}),
      ...(crossRegionLocation ? { crossRegionLocation } : {}),
      base: {
        activityID: activityId.replace(/-Ibz$/, ""),
        subscriptionId: bi.vault.subscriptionId,
        backupInstanceId: bi.id,
        policyId: `${bi.vault.id}/backupPolicies/${bi.policyName}`,
        dataSourceId: bi.dataSourceInfo.resourceID,
        vaultName: bi.vault.name,
        backupInstanceFriendlyName: bi.friendlyName ?? bi.name,
        policyName: bi.policyName,
        sourceResourceGroup: source?.resourceGroup ?? "",
        ...kindOf(bi.datasourceType)?.jobFields?.(bi),
        dataSourceName: bi.dataSourceInfo.resourceName ?? source?.resources.at(-1)?.name ?? "",
        progressEnabled: false,
        sourceSubscriptionID: source?.subscriptionId ?? bi.vault.subscriptionId,
        dataSourceLocation: bi.dataSourceInfo.resourceLocation || bi.vault.location,
        dataSourceType: bi.datasourceType,
        operationCategory: "Restore",
        operation: "Restore",
        isUserTriggered: true,
        supportedActions: [""],
      },
    };
    if (rehydrating) job.durationText = formatDuration(durationMs);
    store.addJob(job);
    return job;
  }

  private rehydrate(req: ArmRequest): Reply {
    const bi = this.instance(req.params);
    const body = req.body as { recoveryPointId: string; rehydrationPriority?: string; rehydrationRetentionDuration: string };
    const rp = bi.points.find((p) => sameName(p.id, body.recoveryPointId));
    const retentionMs = parseRetention(body.rehydrationRetentionDuration);
    let violation: DpError | undefined;
    if (!rp) violation = dpErrors.recoveryPointNotFound(body.recoveryPointId);
    else if (!rp.details.some((d) => sameName(d.type, "ArchiveStore"))) violation = dpErrors.recoveryPointNotInDataStore(rp.id, "ArchiveStore");
    else if (retentionMs === undefined) violation = dpErrors.invalidTimeRangeRequest(`rehydrationRetentionDuration '${body.rehydrationRetentionDuration}' is not an ISO 8601 duration.`);
    const fault = this.state.faults.takeOutcome("rehydrate", "operationFails");
    if (fault) violation = dpErrors.injected(fault.error?.code, fault.error?.message);
    const base = this.newOperation("rehydrate", bi, req.nowMs, this.state.world.durationMs("rehydrate"));
    const op: OperationRecord = {
      ...base,
      outcome: violation ? { status: "Failed", error: dpErrorBody(violation, newActivityId()), httpStatus: violation.status } : { status: "Succeeded" },
      ...(!violation && rp && retentionMs !== undefined ? { rehydration: { recoveryPointId: rp.id, retentionMs } } : {}),
    };
    this.state.store.addOperation(op);
    this.state.changed();
    return { status: 202, headers: this.acceptedHeaders(req, op, bi, "rehydrate") };
  }

  /** Finds an operation the caller may see at the polled scope. */
  private findOperation(req: ArmRequest): OperationRecord {
    const p = req.params;
    const op = this.state.store.operations.get(p.operationId) ?? this.state.worldOperations.get(p.operationId);
    const visible =
      op !== undefined &&
      sameName(op.subscriptionId, p.subscriptionId) &&
      (p.location === undefined || normalizeLocation(p.location) === op.location) &&
      (p.resourceGroupName === undefined || sameName(op.resourceGroup, p.resourceGroupName)) &&
      (p.vaultName === undefined || sameName(op.vaultName, p.vaultName)) &&
      (p.backupInstanceName === undefined || sameName(op.backupInstanceName, p.backupInstanceName));
    if (!visible) this.fail(dpErrors.operationNotFound(p.operationId));
    return op;
  }

  private operationStatus(req: ArmRequest): Reply {
    if (req.params.vaultName !== undefined) this.vault(req.params);
    else this.checkScope(req.params);
    const op = this.findOperation(req);
    const scope = req.path.replace(/\/operationStatus\/[^/]+\/?$/i, "");
    return { status: 200, body: operationResource(op, req.nowMs, decodeURIComponent(scope)) };
  }

  private operationResults(req: ArmRequest): Reply {
    if (req.params.backupInstanceName !== undefined) this.instance(req.params);
    else this.checkScope(req.params);
    const op = this.findOperation(req);
    const biScoped = req.params.backupInstanceName !== undefined;
    if (!operationDone(op, req.nowMs)) {
      if (biScoped) return { status: 202 };
      const q = `?api-version=${req.version}`;
      const loc = `${req.baseUrl}/subscriptions/${op.subscriptionId}/providers/Microsoft.DataProtection/locations/${op.location}`;
      return {
        status: 202,
        headers: { Location: `${loc}/operationResults/${op.id}${q}`, "Azure-AsyncOperation": `${loc}/operationStatus/${op.id}${q}`, "Retry-After": this.retryAfter("operationResults") },
      };
    }
    if (op.outcome.status === "Failed") return { status: op.outcome.httpStatus, body: { error: op.outcome.error } };
    if (biScoped && op.outcome.result === "backupInstance") return { status: 200, body: backupInstanceResource(this.instance(req.params), req.version) };
    return { status: 200, body: operationJobInfo(op) };
  }

  // ---- jobs -------------------------------------------------------------------------------------------

  /** Jobs of a vault, newest first: those the emulator ran and those the world lists. */
  private vaultJobs(vault: Vault, req: ArmRequest): AzureBackupJobResource[] {
    const own = [...this.state.store.jobs.values()]
      .filter((j) => sameName(j.subscriptionId, vault.subscriptionId) && sameName(j.resourceGroup, vault.resourceGroup) && sameName(j.vaultName, vault.name))
      .sort((a, b) => b.startMs - a.startMs || a.name.localeCompare(b.name))
      .map((j) => jobResource(j, req.nowMs, req.version));
    const seeded = (this.state.world.file.jobs ?? []).filter((j) => j.id !== undefined && sameArmId(j.id.replace(/\/backupJobs\/[^/]+$/i, ""), vault.id));
    return [...own, ...seeded];
  }

  private listJobs(req: ArmRequest, vault: Vault): Reply {
    return { status: 200, body: this.page(req, this.vaultJobs(vault, req)) };
  }

  private getJob(req: ArmRequest, vault: Vault, jobId: string): Reply {
    const job = this.vaultJobs(vault, req).find((j) => sameName(j.name, jobId));
    if (!job) this.fail(dpErrors.jobNotFound(vault.name, jobId));
    return { status: 200, body: job };
  }

  // ---- cross-region restore ----------------------------------------------------------------------------

  private crrVault(vaultArmId: string, sourceRegion: string): { vault: Vault; check?: DpError } {
    const parsed = parseArmId(vaultArmId);
    const vault = this.state.world.vaultById(vaultArmId.replace(/\/backupInstances\/[^/]+\/?$/i, ""));
    if (!parsed || !vault) throw armErrors.vaultNotFound(parsed?.resources[0]?.name ?? vaultArmId, parsed?.resourceGroup ?? "");
    if (!vault.crossRegionRestore) return { vault, check: dpErrors.crossRegionRestoreNotEnabled(vault.name) };
    if (normalizeLocation(sourceRegion) !== normalizeLocation(vault.location)) return { vault, check: dpErrors.invalidSourceRegion(sourceRegion, vault.location) };
    return { vault };
  }

  private crossRegionRestore(req: ArmRequest, kind: "crossRegionRestore" | "validateCrossRegionRestore"): Reply {
    this.checkScope(req.params);
    const body = req.body as CrossRegionRestoreRequestObject;
    const details = body.crossRegionRestoreDetails;
    const bi = this.state.world.backupInstanceById(details.sourceBackupInstanceId);
    if (!bi) {
      const parsed = parseArmId(details.sourceBackupInstanceId);
      this.fail(dpErrors.backupInstanceNotFound(parsed?.resources[0]?.name ?? "", parsed?.resources[1]?.name ?? details.sourceBackupInstanceId));
    }
    const { check } = this.crrVault(bi.vault.id, details.sourceRegion);
    return this.restoreOperation(req, kind, bi, body.restoreRequestObject, check);
  }

  private fetchSecondaryRecoveryPoints(req: ArmRequest): Reply {
    this.checkScope(req.params);
    const body = req.body as { sourceRegion: string; sourceBackupInstanceId: string };
    const bi = this.state.world.backupInstanceById(body.sourceBackupInstanceId);
    if (!bi) this.fail(dpErrors.backupInstanceNotFound("", body.sourceBackupInstanceId));
    const { check } = this.crrVault(bi.vault.id, body.sourceRegion);
    if (check) this.fail(check);
    return this.listRecoveryPoints(req, bi);
  }

  private fetchCrossRegionRestoreJob(req: ArmRequest): Reply {
    this.checkScope(req.params);
    const body = req.body as { sourceRegion: string; sourceBackupVaultId: string; jobId: string };
    const { vault, check } = this.crrVault(body.sourceBackupVaultId, body.sourceRegion);
    if (check) this.fail(check);
    return this.getJob(req, vault, body.jobId);
  }

  private fetchCrossRegionRestoreJobs(req: ArmRequest): Reply {
    this.checkScope(req.params);
    const body = req.body as { sourceRegion: string; sourceBackupVaultId: string };
    const { vault, check } = this.crrVault(body.sourceBackupVaultId, body.sourceRegion);
    if (check) this.fail(check);
    return this.listJobs(req, vault);
  }
}

/** `2021-07-08T00:00:00.0000000Z` → `2021-07-08T00:00:00Z`, as the job reports the requested time. */
function normalizeTime(text: string): string {
  return text.replace(/\.0+Z$/, "Z");
}

/** Rehydration retention: an ISO 8601 duration, or the `7D` the examples write. */
function parseRetention(text: string): number | undefined {
  const iso = parseDuration(text);
  if (iso !== undefined) return iso;
  const m = /^(\d+)D$/i.exec(text.trim());
  return m ? Number(m[1]) * 86_400_000 : undefined;
}
