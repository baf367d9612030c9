import type { AzureBackupRestoreRequest, ValidateRestoreRequestObject } from "../../api/types";
import { dpErrorBody, type DpError } from "../errors";
import { dpErrors } from "../service-errors";
import { parseDuration } from "../format";
import type { Reply } from "../http";
import { newActivityId, normalizeLocation, sameName } from "../ids";
import { permits } from "../access";
import { checkConcurrentRestore, checkRestore, restoreTarget } from "../rules";
import { definesProperty } from "../shape";
import type { OperationRecord } from "../store";
import { jobArmId, rehydrationOf } from "../views";
import type { BackupInstance } from "../world/model";
import { createJob, restoredTargets, runningJobs } from "./jobs";
import { acceptedHeaders, newOperation } from "./operations";
import { fail, findInstance, type ArmRequest, type EngineState, type Handler } from "./shared";

/** The restore operation (validateRestore, restore, and their cross-region forms) and rehydrate. */

export type RestoreOperationKind = "validateRestore" | "restore" | "crossRegionRestore" | "validateCrossRegionRestore";

/**
 * validateRestore, restore and their cross-region forms: rules run now, the verdict shows when the
 * operation ends (Failed with the service error, or Succeeded with the job for a restore). A restore
 * on a target a kind allows one restore at a time on (a blob storage account) is refused at once (409).
 */
export function restoreOperation(state: EngineState, req: ArmRequest, kind: RestoreOperationKind, bi: BackupInstance, sent: AzureBackupRestoreRequest, extraCheck?: DpError): Reply {
  const { world, store, faults } = state;
  // identityDetails exists from 2023-05-01; the service reads an older version's body without it.
  const request = sent.identityDetails === undefined || definesProperty(req.version, "AzureBackupRestoreRequest", "identityDetails") ? sent : { ...sent, identityDetails: undefined };
  const creates = kind === "restore" || kind === "crossRegionRestore";
  const { target, recoveryDestination } = restoreTarget(bi, request);
  if (creates) {
    const running = runningJobs(state, req.nowMs);
    const busy = checkConcurrentRestore(bi, target, running);
    if (busy) fail(busy);
    const cap = world.settings.maxConcurrentRestoresPerInstance;
    if (cap !== undefined) {
      const onInstance = running.filter((j) => sameName(j.vaultName, bi.vault.name) && sameName(j.backupInstanceName, bi.name)).length;
      if (onInstance >= cap) fail(dpErrors.maxConcurrentOperations(bi.name, onInstance));
    }
  }
  const durationMs = world.durationMs(creates ? "restore" : "validateRestore");
  const base = newOperation(kind, bi, req.nowMs, durationMs, req.params.location ?? bi.vault.location);
  const activityId = newActivityId();
  let outcome: OperationRecord["outcome"];
  const opFault = faults.takeOutcome(kind, "operationFails");
  const violation =
    extraCheck ??
    checkRestore({
      world,
      instance: bi,
      request,
      nowMs: req.nowMs,
      restored: () => restoredTargets(state, req.nowMs),
      isRehydrated: (rpId) => rehydrationOf(store, bi, rpId, req.nowMs)?.status === "COMPLETED",
      permits: (principalId, scope, permission) => permits(world, store, principalId, scope, permission, req.nowMs),
    });
  if (opFault) {
    const e = dpErrors.injected(opFault.error?.code, opFault.error?.message);
    outcome = { status: "Failed", error: dpErrorBody(e, activityId), httpStatus: e.status };
  } else if (violation) {
    outcome = { status: "Failed", error: dpErrorBody(violation, activityId), httpStatus: violation.status };
  } else if (creates) {
    const job = createJob(state, {
      instance: bi,
      request,
      target,
      recoveryDestination,
      activityId,
      nowMs: req.nowMs,
      ...(kind === "crossRegionRestore" ? { crossRegionLocation: normalizeLocation(req.params.location) } : {}),
    });
    outcome = { status: "Succeeded", jobId: jobArmId(job) };
  } else {
    outcome = { status: "Succeeded" };
  }
  const op: OperationRecord = { ...base, outcome };
  store.addOperation(op);
  state.changed();
  return { status: 202, headers: acceptedHeaders(state, req, op, bi, creates ? "restore" : "validateRestore") };
}

export const validateRestore: Handler = (state, req) =>
  restoreOperation(state, req, "validateRestore", findInstance(state.world, req.params), (req.body as ValidateRestoreRequestObject).restoreRequestObject);

export const restore: Handler = (state, req) => restoreOperation(state, req, "restore", findInstance(state.world, req.params), req.body as AzureBackupRestoreRequest);

/** Rehydration retention: an ISO 8601 duration, or the `7D` the examples write. */
function parseRetention(text: string): number | undefined {
  const iso = parseDuration(text);
  if (iso !== undefined) return iso;
  const m = /^(\d+)D$/i.exec(text.trim());
  return m ? Number(m[1]) * 86_400_000 : undefined;
}

export const rehydrate: Handler = (state, req) => {
  const bi = findInstance(state.world, req.params);
  const body = req.body as { recoveryPointId: string; rehydrationPriority?: string; rehydrationRetentionDuration: string };
  const rp = bi.points.find((p) => sameName(p.id, body.recoveryPointId));
  const retentionMs = parseRetention(body.rehydrationRetentionDuration);
  let violation: DpError | undefined;
  if (!rp) violation = dpErrors.recoveryPointNotFound(body.recoveryPointId);
  else if (!rp.details.some((d) => sameName(d.type, "ArchiveStore"))) violation = dpErrors.recoveryPointNotInDataStore(rp.id, "ArchiveStore");
  else if (retentionMs === undefined) violation = dpErrors.invalidInputs();
  const fault = state.faults.takeOutcome("rehydrate", "operationFails");
  if (fault) violation = dpErrors.injected(fault.error?.code, fault.error?.message);
  const base = newOperation("rehydrate", bi, req.nowMs, state.world.durationMs("rehydrate"));
  const op: OperationRecord = {
    ...base,
    outcome: violation ? { status: "Failed", error: dpErrorBody(violation, newActivityId()), httpStatus: violation.status } : { status: "Succeeded" },
    ...(!violation && rp && retentionMs !== undefined ? { rehydration: { recoveryPointId: rp.id, retentionMs } } : {}),
  };
  state.store.addOperation(op);
  state.changed();
  return { status: 202, headers: acceptedHeaders(state, req, op, bi, "rehydrate") };
};
