import type { ItemLevelRestoreCriteria, RestoreTargetInfoBase } from "../api/types";
import { ROLES } from "../api/roles";
import { need } from "./access";
import { fieldError, type FieldPath, type FieldProblem } from "../errors/field";
import { failed, ok } from "../errors/result";
import { duplicateEntries, isObj, pastTime, strings, type Obj, type RuleContext } from "../language/common-rules";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import * as P from "../language/patterns";
import { resolveRecoveryPoint } from "../language/recovery-point";
import { patterned, recoveryPoint, specSchema, utcTime, type Schema } from "../language/schema-parts";
import { toServiceTime } from "../language/time";
import { containerEntriesSchema, containerEntryRules, itemPathCriteria, itemPathVersionProblem, nameOf, optionEntries, type ContainerEntry } from "./containers";
import type { RestoreKind } from "./kind";
import { datasourceFor, RECOVERY_OPTION, restoreLocation, sourceDatasource } from "./parts";

/**
 * Azure Blob (`Microsoft.Storage/storageAccounts/blobServices`): the operational tier restores the
 * original account to a point in time; the vaulted tier restores a recovery point, into the original or
 * another account. Bodies as `az dataprotection backup-instance restore initialize-for-data-recovery`
 * and `initialize-for-item-recovery` build them (the blob seed's requests; vaulted containers, prefixes
 * and renames as ./containers.ts describes).
 */
export interface BlobItems {
  /** Names; on the vaulted tier also `{ name, prefixes?, renameTo? }` (./containers.ts). */
  containers?: ContainerEntry[];
  ranges?: Array<{ from: string; to: string }>;
  prefixes?: string[];
}

export interface BlobRestoreSpec extends CommonSpec {
  pointInTime?: string;
  recoveryPoint?: RecoveryPointRef;
  items?: BlobItems;
  target?: { storageAccount?: string };
}

export type BlobRestore = SpecEnvelope<"BlobRestore", BlobRestoreSpec>;

/** Azure restores at most 10 containers or ranges per operational-tier restore. */
export const MAX_OPERATIONAL_CRITERIA = 10;

const schema = (): Schema =>
  specSchema([], {
    pointInTime: utcTime("Operational tier: restore the account to this point in time (UTC)."),
    recoveryPoint,
    items: {
      type: "object",
      description: "What to restore; absent = the whole account.",
      additionalProperties: false,
      properties: {
        containers: containerEntriesSchema("Containers to restore. Vaulted tier: an entry may be { name, prefixes?, renameTo? }."),
        ranges: {
          type: "array",
          description: "Operational tier: blob name ranges, `from` inclusive, `to` exclusive (`container/prefix`).",
          minItems: 1,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["from", "to"],
            properties: {
              from: patterned("Start of the range (inclusive).", P.BLOB_RANGE_BOUND, "must be 1-1024 printable characters", "write a blob name prefix such as container1/logs/2021"),
              to: patterned("End of the range (exclusive).", P.BLOB_RANGE_BOUND, "must be 1-1024 printable characters", "write a blob name prefix such as container1/logs/2022"),
            },
          },
        },
        prefixes: {
          type: "array",
          description: "Vaulted tier: `container/prefix` of the blobs to restore.",
          minItems: 1,
          items: patterned("`container/prefix`.", P.CONTAINER_PREFIX, "must be `container/prefix`", "write the container name, a slash, then the blob name prefix, e.g. invoices/2021/"),
        },
      },
    },
    target: {
      type: "object",
      description: "Vaulted tier: restore into another storage account; absent = the original account.",
      additionalProperties: false,
      properties: {
        storageAccount: patterned(
          "ARM ID of the target storage account.",
          P.STORAGE_ACCOUNT_ID,
          "is not the ARM ID of a storage account",
          "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>",
        ),
      },
    },
  });

function rules(spec: Obj, context: RuleContext): FieldProblem[] {
  const out = pastTime(["spec", "pointInTime"], spec.pointInTime, context);
  const hasTime = spec.pointInTime !== undefined;
  const hasPoint = spec.recoveryPoint !== undefined;
  if (hasTime && hasPoint) {
    out.push(fieldError(["spec", "recoveryPoint"], "SpecTierConflict", "give either pointInTime (operational tier) or recoveryPoint (vaulted tier), not both", "remove one of the two", "key"));
  } else if (!hasTime && !hasPoint) {
    out.push(fieldError(["spec"], "SpecRestorePointMissing", "a blob restore needs pointInTime (operational tier) or recoveryPoint (vaulted tier)", "add pointInTime: <UTC time> or recoveryPoint: latest", "key"));
  }
  // With both given (already an error), judge the items as the operational tier so every problem shows.
  const operational = hasTime;
  const vaulted = hasPoint && !hasTime;
  const items = isObj(spec.items) ? spec.items : undefined;
  if (items) {
    if (Object.keys(items).length === 0) {
      out.push(fieldError(["spec", "items"], "SpecEmptyItems", "items is empty", "list containers, ranges or prefixes, or remove items to restore the whole account", "key"));
    }
    if (operational && items.prefixes !== undefined) {
      out.push(fieldError(["spec", "items", "prefixes"], "SpecPrefixesNeedVaultedTier", "prefixes are for vaulted-tier restores (recoveryPoint)", "use ranges for a point-in-time restore, e.g. { from: container/prefix, to: container/prefiy }", "key"));
    }
    if (vaulted && items.ranges !== undefined) {
      out.push(fieldError(["spec", "items", "ranges"], "SpecRangesNeedOperationalTier", "ranges are for operational-tier restores (pointInTime)", "use prefixes (container/prefix) for a vaulted-tier restore", "key"));
    }
    const containers = strings(items.containers);
    const ranges = Array.isArray(items.ranges) ? items.ranges : [];
    if (operational && containers.length + ranges.length > MAX_OPERATIONAL_CRITERIA) {
      out.push(
        fieldError(
          ["spec", "items"],
          "SpecTooManyRanges",
          `${containers.length + ranges.length} containers and ranges; Azure restores at most ${MAX_OPERATIONAL_CRITERIA} per operational-tier restore`,
          "split the restore into several specs, or widen the ranges",
          "key",
        ),
      );
    }
    out.push(...containerEntryRules(items.containers, ["spec", "items", "containers"]));
    if (operational) {
      for (const i of optionEntries(items.containers)) {
        out.push(
          fieldError(["spec", "items", "containers", i], "SpecContainerOptionsNeedVaultedTier", "prefixes and renameTo of a container are for vaulted-tier restores (recoveryPoint)", "write the container's name alone, and use ranges for a point-in-time restore", "key"),
        );
      }
    }
    out.push(...duplicateEntries(["spec", "items", "prefixes"], strings(items.prefixes), "prefix"));
    if (operational) out.push(...rangeRules(items.containers, ranges));
  }
  if (isObj(spec.target) && spec.target.storageAccount !== undefined && operational) {
    out.push(
      fieldError(["spec", "target"], "SpecTargetNeedsVaultedTier", "an operational-tier restore (pointInTime) always rolls back the original account", "remove target, or restore from a vaulted recovery point (recoveryPoint) to restore into another account", "key"),
    );
  }
  return out;
}

/** Ranges are `[from, to)`; a container `c` is the range `[c, c-0)`, as `az dataprotection` maps it. */
function rangeRules(containers: unknown, ranges: unknown[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  const spans: Array<{ from: string; to: string; path: FieldPath; label: string }> = [];
  // Entries that are not names are refused on this tier; the others keep their index in the list.
  (Array.isArray(containers) ? containers : []).forEach((c, i) => {
    if (typeof c === "string") spans.push({ from: c, to: `${c}-0`, path: ["spec", "items", "containers", i], label: `container '${c}'` });
  });
  ranges.forEach((range, i) => {
    if (!isObj(range) || typeof range.from !== "string" || typeof range.to !== "string") return;
    const path: FieldPath = ["spec", "items", "ranges", i];
    if (range.from >= range.to) {
      out.push(fieldError([...path, "to"], "SpecRangeReversed", `the range ends ('${range.to}') at or before it starts ('${range.from}'); 'to' is exclusive`, "make 'to' sort after 'from' (swap them if they are reversed)"));
      return;
    }
    spans.push({ from: range.from, to: range.to, path, label: `range ${range.from}..${range.to}` });
  });
  const sorted = [...spans].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (current.from < previous.to) {
      out.push(fieldError(current.path, "SpecRangesOverlap", `${current.label} overlaps ${previous.label}`, "merge the two or make them disjoint (Azure rejects overlapping ranges)"));
    }
  }
  return out;
}

const storageAccountLock = (id: string) => `storageAccount:${id.toLowerCase()}`;

export const blobKind: RestoreKind<BlobRestore> = {
  name: "BlobRestore",
  title: "Azure Blob",
  datasourceTypes: ["Microsoft.Storage/storageAccounts/blobServices"],
  misplacedFields: {
    sourceDataStore: "a blob restore picks its tier from pointInTime (operational) or recoveryPoint (vaulted): remove sourceDataStore",
    rehydration: "rehydration is for PostgreSQL restores from ArchiveStore",
  },
  specSchema: schema,
  rules,

  recoveryPoint(spec) {
    return spec.spec.recoveryPoint === undefined ? undefined : { ref: spec.spec.recoveryPoint, dataStore: "VaultStore" };
  },

  plan(spec, facts, context) {
    const ds = sourceDatasource(facts);
    const s = spec.spec;
    const location = restoreLocation(s, ds);
    const items = s.items;
    if (s.pointInTime !== undefined) {
      const restoreCriteria: ItemLevelRestoreCriteria[] = [
        ...(items?.containers ?? []).map(nameOf).map((c) => ({ objectType: "RangeBasedItemLevelRestoreCriteria" as const, minMatchingValue: c, maxMatchingValue: `${c}-0` })),
        ...(items?.ranges ?? []).map((r) => ({ objectType: "RangeBasedItemLevelRestoreCriteria" as const, minMatchingValue: r.from, maxMatchingValue: r.to })),
      ];
      const restoreTargetInfo: RestoreTargetInfoBase =
        restoreCriteria.length > 0
          ? { objectType: "ItemLevelRestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, restoreCriteria, datasourceInfo: ds }
          : { objectType: "RestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, datasourceInfo: ds };
      const recoveryPointTime = toServiceTime(s.pointInTime);
      return ok({
        request: { objectType: "AzureBackupRecoveryTimeBasedRestoreRequest", restoreTargetInfo, sourceDataStoreType: "OperationalStore", recoveryPointTime },
        source: { dataStore: "OperationalStore", pointInTime: recoveryPointTime },
        target: { kind: "storageAccount", id: ds.resourceID, lockKey: storageAccountLock(ds.resourceID) },
      });
    }
    const point = resolveRecoveryPoint(s.recoveryPoint!, "VaultStore", facts.recoveryPoints);
    if (!point.ok) return point;
    const entries = items?.containers ?? [];
    const restoreCriteria = itemPathCriteria(entries, items?.prefixes ?? []);
    const tooOld = restoreCriteria.length > 0 ? itemPathVersionProblem(entries, ["spec", "items", "containers"], ["spec", "items"], "vaulted blob", context.apiVersion) : undefined;
    if (tooOld) return failed(tooOld);
    const targetId = s.target?.storageAccount ?? ds.resourceID;
    const datasourceInfo = s.target?.storageAccount ? datasourceFor(ds, s.target.storageAccount, location) : ds;
    const restoreTargetInfo: RestoreTargetInfoBase =
      restoreCriteria.length > 0
        ? { objectType: "ItemLevelRestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, restoreCriteria, datasourceInfo }
        : { objectType: "RestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, datasourceInfo };
    return ok({
      request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", restoreTargetInfo, sourceDataStoreType: "VaultStore", recoveryPointId: point.value.id },
      source: { dataStore: "VaultStore", recoveryPointId: point.value.id, ...(point.value.time ? { recoveryPointTime: point.value.time } : {}) },
      target: { kind: "storageAccount", id: targetId, lockKey: storageAccountLock(targetId) },
    });
  },

  policyTargets(spec) {
    const account = spec.spec.target?.storageAccount;
    if (account) return { targets: [{ id: account, path: ["spec", "target", "storageAccount"] }] };
    return { targets: [], original: { what: "the original storage account", instead: "restore from a vaulted recovery point into another account (target.storageAccount)" } };
  },

  // The vault restores with the role it was given for the backup: Storage Account Backup Contributor on
  // the account written (learn.microsoft.com/azure/backup/blob-restore: "the target needs the Storage
  // account backup contributor role"; it carries storageAccounts/restoreBlobRanges/action).
  access(_spec, plan) {
    return { needs: [need(ROLES.storageAccountBackupContributor, plan.target.id, "the storage account restored into", "learn.microsoft.com/azure/backup/blob-restore")], unchecked: [] };
  },

  // A drill restores a vaulted recovery point into the drill's storage account, each container renamed
  // for the window so windows do not clash (UserErrorTargetContainersExistOnAccount); the containers are
  // those the instance's policy parameters list (BlobBackupDatasourceParameters.containersList). An
  // operational-tier restore writes back into the backed-up account, which a drill must never do.
  drillRestore({ backupInstance, recoveryPoint, target, suffix, facts }) {
    if (!recoveryPoint) return { refusal: "the instance has no vaulted recovery point: an operational-tier blob restore overwrites the source account, which a drill never does" };
    if (!target.storageAccount) return { refusal: "a blob drill restores a vaulted recovery point into another account: give the drill target.storageAccount" };
    const parameters = facts.instance.properties?.policyInfo?.policyParameters as { backupDatasourceParametersList?: Array<{ containersList?: string[] }> } | undefined;
    const containers = (parameters?.backupDatasourceParametersList ?? []).flatMap((p) => p.containersList ?? []);
    // Vaulted blob backups list their containers (containersList); an operational-tier instance has none.
    if (containers.length === 0) return { refusal: "the instance has no vaulted backup (no containersList in its policy parameters): an operational-tier blob restore overwrites the source account, which a drill never does" };
    const renamed = containers.map((name) => ({ name, renameTo: `${name}-${suffix}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-+/g, "-").slice(0, 63).replace(/-$/, "") }));
    return { spec: { backupInstance, recoveryPoint, items: { containers: renamed }, target: { storageAccount: target.storageAccount } } };
  },

  destination(spec) {
    return spec.spec.target ?? "original";
  },
};
