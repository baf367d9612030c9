import { dpErrors } from "../errors";
import { newOperationId, normalizeLocation, sameName } from "../ids";
import type { OperationKind, OperationRecord } from "../store";
import { backupInstanceResource, operationDone, operationJobInfo, operationResource } from "../views";
import type { BackupInstance, WorldSettings } from "../world/model";
import { checkScope, fail, findInstance, findVault, type ArmRequest, type EngineState, type Handler } from "./shared";

/**
 * Long-running operations: the 202 headers that start one (per api-version), and the two routes that
 * follow it, operationStatus (OperationResource) and operationResults (202 until done, then the result).
 */

function retryAfter(state: EngineState, kind: keyof WorldSettings["retryAfterSeconds"]): string {
  return String(state.clock.realSeconds(state.world.settings.retryAfterSeconds[kind]));
}

/** 202 headers of an operation, per api-version (SUMMARY: 2021 location scope; 2024+ BI results and vault status). */
export function acceptedHeaders(state: EngineState, req: ArmRequest, op: OperationRecord, bi: BackupInstance, retryKind: "validateRestore" | "restore" | "rehydrate"): Record<string, string> {
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
  if (v < "2026-06-01") headers["Retry-After"] = retryAfter(state, retryKind);
  return headers;
}

/** A new operation on `bi` starting now, before its outcome is decided. */
export function newOperation(kind: OperationKind, bi: BackupInstance, nowMs: number, durationMs: number): Omit<OperationRecord, "outcome"> {
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
  if (!operationDone(op, req.nowMs)) {
    if (biScoped) return { status: 202 };
    const q = `?api-version=${req.version}`;
    const loc = `${req.baseUrl}/subscriptions/${op.subscriptionId}/providers/Microsoft.DataProtection/locations/${op.location}`;
    return {
      status: 202,
      headers: { Location: `${loc}/operationResults/${op.id}${q}`, "Azure-AsyncOperation": `${loc}/operationStatus/${op.id}${q}`, "Retry-After": retryAfter(state, "operationResults") },
    };
  }
  if (op.outcome.status === "Failed") return { status: op.outcome.httpStatus, body: { error: op.outcome.error } };
  if (biScoped && op.outcome.result === "backupInstance") return { status: 200, body: backupInstanceResource(findInstance(state.world, req.params), req.version) };
  return { status: 200, body: operationJobInfo(op) };
};
