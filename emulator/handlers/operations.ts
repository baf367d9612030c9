import type { ApiVersion } from "../../api/versions";
import { handedOutQuery, styleOf } from "../service-style";
import { dpErrors } from "../service-errors";
import { newOperationId, normalizeLocation, sameName } from "../ids";
import type { OperationKind, OperationRecord } from "../store";
import { backupInstanceResource, operationDone, operationJobInfo, operationResource } from "../views";
import type { BackupInstance, WorldSettings } from "../world/model";
import { checkScope, fail, findInstance, findVault, type ArmRequest, type EngineState, type Handler } from "./shared";

/**
 * Long-running operations: the 202 headers that start one (per api-version), and the two routes that
 * follow it, operationStatus (OperationResource) and operationResults (202 until done, then the result).
 */

function retryAfter(state: EngineState, version: ApiVersion, kind: keyof WorldSettings["retryAfterSeconds"]): Record<string, string> {
  const setting = state.world.settings.retryAfter;
  const send = setting === "always" || (setting === "asRecorded" && styleOf(version).retryAfter);
  return send ? { "Retry-After": String(state.clock.realSeconds(state.world.settings.retryAfterSeconds[kind])) } : {};
}

function locationScope(req: ArmRequest, subscriptionId: string, location: string): string {
  return `${req.baseUrl}/subscriptions/${subscriptionId}/providers/Microsoft.DataProtection/locations/${location}`;
}

/**
 * 202 headers of an operation, per api-version (emulator/lro.ts): where to poll its status, where its
 * result is, and (where the service sends it) how long to wait. A cross-region call is followed at the
 * region in its path.
 */
export function acceptedHeaders(state: EngineState, req: ArmRequest, op: OperationRecord, bi: BackupInstance, retryKind: "validateRestore" | "restore" | "rehydrate"): Record<string, string> {
  const style = styleOf(req.version);
  const region = req.params.location !== undefined ? normalizeLocation(req.params.location) : op.location;
  const locationScoped = locationScope(req, bi.vault.subscriptionId, region);
  const status = style.statusScope === "vault" && req.params.location === undefined ? `${req.baseUrl}${bi.vault.id}/operationStatus/${op.id}` : `${locationScoped}/operationStatus/${op.id}`;
  return {
    "Azure-AsyncOperation": `${status}${handedOutQuery(req.version)}`,
    Location: `${locationScoped}/operationResults/${op.id}${handedOutQuery(req.version)}`,
    ...retryAfter(state, req.version, retryKind),
  };
}

/** A new operation on `bi` starting now, before its outcome is decided; a cross-region one lives at the region its call named. */
export function newOperation(kind: OperationKind, bi: BackupInstance, nowMs: number, durationMs: number, region = bi.vault.location): Omit<OperationRecord, "outcome"> {
  return {
    id: newOperationId(),
    kind,
    subscriptionId: bi.vault.subscriptionId,
    location: normalizeLocation(region),
    resourceGroup: bi.vault.resourceGroup,
    vaultName: bi.vault.name,
    backupInstanceName: bi.name,
    startMs: nowMs,
    endMs: nowMs + durationMs,
  };
}

/** Finds an operation the caller may see at the polled scope. */
function findOperation(state: EngineState, req: ArmRequest): OperationRecord {
  const p = req.params;
  const op = state.store.operations.get(p.operationId) ?? state.worldOperations.get(p.operationId);
  const visible =
    op !== undefined &&
    sameName(op.subscriptionId, p.subscriptionId) &&
    (p.location === undefined || normalizeLocation(p.location) === op.location) &&
    (p.resourceGroupName === undefined || sameName(op.resourceGroup, p.resourceGroupName)) &&
    (p.vaultName === undefined || sameName(op.vaultName, p.vaultName)) &&
    (p.backupInstanceName === undefined || sameName(op.backupInstanceName, p.backupInstanceName));
  if (!visible) fail(dpErrors.operationNotFound(p.operationId));
  return op;
}

export const operationStatus: Handler = (state, req) => {
  if (req.params.vaultName !== undefined) findVault(state.world, req.params);
  else checkScope(state.world, req.params);
  const op = findOperation(state, req);
  const scope = req.path.replace(/\/operationStatus\/[^/]+\/?$/i, "");
  return { status: 200, body: operationResource(op, req.nowMs, decodeURIComponent(scope)) };
};

export const operationResults: Handler = (state, req) => {
  if (req.params.backupInstanceName !== undefined) findInstance(state.world, req.params);
  else checkScope(state.world, req.params);
  const op = findOperation(state, req);
  const biScoped = req.params.backupInstanceName !== undefined;
  // As recorded, the service's answer names the operation's location-scoped status.
  const loc = locationScope(req, op.subscriptionId, op.location);
  const asyncOperation = { "Azure-AsyncOperation": `${loc}/operationStatus/${op.id}${handedOutQuery(req.version)}` };
  if (!operationDone(op, req.nowMs)) {
    if (biScoped) return { status: 202 };
    return { status: 202, headers: { Location: `${loc}/operationResults/${op.id}${handedOutQuery(req.version)}`, ...asyncOperation, ...retryAfter(state, req.version, "operationResults") } };
  }
  if (op.outcome.status === "Failed") return { status: op.outcome.httpStatus, body: { error: op.outcome.error } };
  if (biScoped && op.outcome.result === "backupInstance") return { status: 200, body: backupInstanceResource(findInstance(state.world, req.params), req.version) };
  return { status: 200, headers: biScoped ? {} : asyncOperation, body: operationJobInfo(op) };
};
