import type { AzureBackupRestoreRequest, RestoreTargetInfoBase } from "../api/types";
import { fieldError, type FieldProblem } from "../errors/field";
import { isObj, type Obj } from "../language/common-rules";
import * as P from "../language/patterns";
import { patterned, type Schema } from "../language/schema-parts";
import { durationDays } from "../language/time";

/**
 * Reading a recovery point from the vault or the archive tier, for the kinds whose datasource keeps
 * both (PostgreSQL single server; PostgreSQL and MySQL flexible servers, whose CLI manifests list
 * VaultStore and ArchiveStore). From ArchiveStore the point is rehydrated first: `az dataprotection`
 * (CLI-helpers@8722 `validate_and_set_rehydration_priority_in_restore_request`) then sends an
 * `AzureBackupRestoreWithRehydrationRequest` with `rehydrationPriority` and
 * `rehydrationRetentionDuration` `P<d>D`, d from 10 to 30.
 */
export type SourceDataStore = "VaultStore" | "ArchiveStore";

export interface Rehydration {
  priority: "Standard" | "High";
  retention: string;
}

/** Azure keeps a rehydrated recovery point 10 to 30 days. */
export const REHYDRATION_MIN_DAYS = 10;
export const REHYDRATION_MAX_DAYS = 30;

export const sourceDataStoreSchema: Schema = {
  type: "string",
  enum: ["VaultStore", "ArchiveStore"],
  default: "VaultStore",
  description: "Where the recovery point is read from.",
  "x-fix": "use VaultStore or ArchiveStore",
};

export const rehydrationSchema: Schema = {
  type: "object",
  description: "ArchiveStore only: how the recovery point is rehydrated first.",
  additionalProperties: false,
  required: ["priority", "retention"],
  properties: {
    priority: { type: "string", enum: ["Standard", "High"], description: "Rehydration priority.", "x-fix": "use Standard or High" },
    retention: patterned("How long the rehydrated copy stays in the vault: P10D to P30D.", P.ISO_DURATION, "must be an ISO 8601 duration", "write a number of days between P10D and P30D"),
  },
};

/** sourceDataStore and rehydration go together; the retention is 10 to 30 whole days. */
export function rehydrationRules(spec: Obj): FieldProblem[] {
  const out: FieldProblem[] = [];
  const store = spec.sourceDataStore ?? "VaultStore";
  if (store === "ArchiveStore" && spec.rehydration === undefined) {
    out.push(fieldError(["spec", "sourceDataStore"], "SpecRehydrationMissing", "a restore from ArchiveStore rehydrates the recovery point first and needs rehydration settings", "add rehydration: { priority: Standard, retention: P15D }"));
  }
  if (store !== "ArchiveStore" && spec.rehydration !== undefined) {
    out.push(fieldError(["spec", "rehydration"], "SpecRehydrationWithoutArchive", "rehydration applies only to restores from ArchiveStore", "remove rehydration, or set sourceDataStore: ArchiveStore", "key"));
  }
  if (isObj(spec.rehydration) && typeof spec.rehydration.retention === "string") {
    const days = durationDays(spec.rehydration.retention);
    if (days !== undefined && (days < REHYDRATION_MIN_DAYS || days > REHYDRATION_MAX_DAYS || !Number.isInteger(days))) {
      out.push(
        fieldError(
          ["spec", "rehydration", "retention"],
          "SpecRehydrationRetention",
          `retention is ${Number.isInteger(days) ? `${days} days` : spec.rehydration.retention}; Azure keeps a rehydrated recovery point ${REHYDRATION_MIN_DAYS} to ${REHYDRATION_MAX_DAYS} days`,
          `use a whole number of days from P${REHYDRATION_MIN_DAYS}D to P${REHYDRATION_MAX_DAYS}D`,
        ),
      );
    }
  }
  return out;
}

/** The restore body of a recovery point: rehydrated first when it is read from ArchiveStore. */
export function recoveryPointRequest(
  dataStore: SourceDataStore,
  restoreTargetInfo: RestoreTargetInfoBase,
  recoveryPointId: string,
  rehydration: Rehydration | undefined,
): AzureBackupRestoreRequest {
  if (dataStore === "ArchiveStore" && rehydration) {
    return {
      objectType: "AzureBackupRestoreWithRehydrationRequest",
      sourceDataStoreType: "ArchiveStore",
      restoreTargetInfo,
      recoveryPointId,
      rehydrationPriority: rehydration.priority,
      rehydrationRetentionDuration: rehydration.retention,
    };
  }
  return { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", sourceDataStoreType: dataStore, restoreTargetInfo, recoveryPointId };
}
