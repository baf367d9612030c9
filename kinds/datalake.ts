import type { RestoreTargetInfoBase } from "../api/types";
import { ROLES } from "../api/roles";
import { need } from "./access";
import { fieldError, type FieldProblem } from "../errors/field";
import { failed, ok } from "../errors/result";
import { isObj, type Obj } from "../language/common-rules";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import * as P from "../language/patterns";
import { resolveRecoveryPoint } from "../language/recovery-point";
import { patterned, recoveryPoint, specSchema, type Schema } from "../language/schema-parts";
import { containerEntriesSchema, containerEntryRules, itemPathCriteria, itemPathVersionProblem, type ContainerEntry } from "./containers";
import type { RestoreKind } from "./kind";
import { datasourceFor, RECOVERY_OPTION, restoreLocation, sourceDatasource } from "./parts";

/**
 * Azure Data Lake Storage Gen2, vaulted backup (`Microsoft.Storage/storageAccounts/adlsBlobServices`,
 * CLI datasource type AzureDataLakeStorage): a recovery point restored into another storage account,
 * whole or by container (prefixes, renames). Bodies as `az dataprotection backup-instance restore`
 * builds them (CLI-custom@52e4, CLI-helpers@8722; research/kinds/adls.md), recorded in
 * test/fixtures/recordings/backup_instance_ilr_restore_adls_recovery_point.json and quoted from
 * backup_instance_restore_adls_recovery_point (research/recordings/notes/adls_extra.md): by container,
 * `initialize-for-item-recovery` sends `ItemLevelRestoreTargetInfo` with a `datasourceSetInfo` that
 * copies the target's datasource (the manifest's enableDataSourceSetInfo); the whole account,
 * `initialize-for-data-recovery`, a `RestoreTargetInfo` without one (isProxyResource false). The manifest
 * (research/kinds/manifests/cli/AzureDataLakeStorage@7380c3b6c133.json) allows AlternateLocation from
 * VaultStore only; the support matrix (azure-docs articles/backup/azure-data-lake-storage-backup-support-matrix.md)
 * protects at most 100 containers per account and refuses a restore to the source account.
 */
export interface DataLakeRestoreSpec extends CommonSpec {
  recoveryPoint: RecoveryPointRef;
  target: { storageAccount: string };
  items?: { containers: ContainerEntry[] };
}

export type DataLakeRestore = SpecEnvelope<"DataLakeRestore", DataLakeRestoreSpec>;

/** A Data Lake backup protects at most 100 containers of an account. */
export const MAX_CONTAINERS = 100;

const DATA_STORE = "VaultStore";

const schema = (): Schema =>
  specSchema(["recoveryPoint", "target"], {
    recoveryPoint,
    target: {
      type: "object",
      description: "The storage account restored into: another account than the one backed up (there is no original-location restore).",
      additionalProperties: false,
      required: ["storageAccount"],
      properties: {
        storageAccount: patterned(
          "ARM ID of the target storage account (hierarchical namespace), in the region of the source account and the vault.",
          P.STORAGE_ACCOUNT_ID,
          "is not the ARM ID of a storage account",
          "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>",
        ),
      },
    },
    items: {
      type: "object",
      description: "What to restore; absent = every backed-up container.",
      additionalProperties: false,
      required: ["containers"],
      properties: {
        containers: containerEntriesSchema("Containers (file systems) to restore: names, or { name, prefixes?, renameTo? }. None of them may exist in the target account."),
      },
    },
  });

function rules(spec: Obj): FieldProblem[] {
  if (!isObj(spec.items)) return [];
  const out = containerEntryRules(spec.items.containers, ["spec", "items", "containers"]);
  if (Array.isArray(spec.items.containers) && spec.items.containers.length > MAX_CONTAINERS) {
    out.push(
      fieldError(
        ["spec", "items", "containers"],
        "SpecTooManyContainers",
        `${spec.items.containers.length} containers; a Data Lake Storage backup protects at most ${MAX_CONTAINERS} containers of an account`,
        "list only the containers the backup protects, or remove items to restore all of them",
        "key",
      ),
    );
  }
  return out;
}

const storageAccountLock = (id: string) => `storageAccount:${id.toLowerCase()}`;

export const dataLakeKind: RestoreKind<DataLakeRestore> = {
  name: "DataLakeRestore",
  title: "Azure Data Lake Storage Gen2 accounts (vaulted backup)",
  datasourceTypes: ["Microsoft.Storage/storageAccounts/adlsBlobServices"],
  misplacedFields: {
    pointInTime: "Data Lake Storage has vaulted backups only: restore a recoveryPoint",
    sourceDataStore: "a Data Lake restore always reads the vault store: remove sourceDataStore",
    rehydration: "rehydration is for restores from ArchiveStore, which Data Lake backups do not use",
  },
  specSchema: schema,
  rules,

  recoveryPoint(spec) {
    return { ref: spec.spec.recoveryPoint, dataStore: DATA_STORE };
  },

  plan(spec, facts, context) {
    const ds = sourceDatasource(facts);
    const s = spec.spec;
    const account = s.target.storageAccount;
    if (account.toLowerCase() === ds.resourceID.toLowerCase()) {
      return failed(
        fieldError(["spec", "target", "storageAccount"], "PlanOriginalLocationUnsupported", "this is the storage account that was backed up: Data Lake Storage restores only into another account", "name another storage account, in the same region"),
      );
    }
    const entries = s.items?.containers ?? [];
    const tooOld = entries.length > 0 ? itemPathVersionProblem(entries, ["spec", "items", "containers"], ["spec", "items"], "Data Lake", context.apiVersion) : undefined;
    if (tooOld) return failed(tooOld);
    const point = resolveRecoveryPoint(s.recoveryPoint, DATA_STORE, facts.recoveryPoints);
    if (!point.ok) return point;
    const location = restoreLocation(s, ds);
    const datasourceInfo = datasourceFor(ds, account, location);
    const restoreTargetInfo: RestoreTargetInfoBase =
      entries.length > 0
        ? {
            objectType: "ItemLevelRestoreTargetInfo",
            recoveryOption: RECOVERY_OPTION,
            restoreLocation: location,
            datasourceInfo,
            datasourceSetInfo: { ...datasourceInfo, objectType: "DatasourceSet" },
            restoreCriteria: itemPathCriteria(entries),
          }
        : { objectType: "RestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, datasourceInfo };
    return ok({
      request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", sourceDataStoreType: DATA_STORE, restoreTargetInfo, recoveryPointId: point.value.id },
      source: { dataStore: DATA_STORE, recoveryPointId: point.value.id, ...(point.value.time ? { recoveryPointTime: point.value.time } : {}) },
      target: { kind: "storageAccount", id: account, lockKey: storageAccountLock(account) },
    });
  },

  policyTargets(spec) {
    return { targets: [{ id: spec.spec.target.storageAccount, path: ["spec", "target", "storageAccount"] }] };
  },

  // As for vaulted blobs (research of the CLI and cmdlet manifests: no restore role is declared; the
  // backup's Storage Account Backup Contributor on the target account is what the restore uses).
  access(_spec, plan) {
    return { needs: [need(ROLES.storageAccountBackupContributor, plan.target.id, "the storage account restored into", "inferred from vaulted blob restores: no datasource manifest declares a Data Lake restore role")], unchecked: [] };
  },

  destination(spec) {
    return spec.spec.target;
  },
};
