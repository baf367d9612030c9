import type { RestoreTargetInfo } from "../api/types";
import { ROLES } from "../api/roles";
import { need, resourceGroupOf } from "./access";
import { fieldError } from "../errors/field";
import { failed, ok } from "../errors/result";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import * as P from "../language/patterns";
import { resolveRecoveryPoint } from "../language/recovery-point";
import { patterned, recoveryPoint, specSchema, type Schema } from "../language/schema-parts";
import type { RestoreKind } from "./kind";
import { datasourceFor, RECOVERY_OPTION, restoreLocation, sourceDatasource } from "./parts";

/**
 * Azure managed disks (`Microsoft.Compute/disks`, CLI datasource type AzureDisk): a recovery point
 * (a snapshot in the operational store) restored as a new disk. The body is the one
 * `az dataprotection backup-instance restore initialize-for-data-recovery --target-resource-id
 * <new disk>` builds (CLI-custom@52e4, CLI-helpers@8722 `get_datasource_info`; research/kinds/disk.md),
 * recorded in test/fixtures/recordings/backup_instance_restore_disk.json. The manifest
 * (research/kinds/manifests/cli/AzureDisk@39c50431ad74.json) allows RecoveryPointBased restores to
 * AlternateLocation from OperationalStore only; the support matrix (azure-docs
 * articles/backup/disk-backup-support-matrix.md) says original-location restore "isn't supported" and
 * "the restored disk will be created in the same region as that of the snapshot".
 */
export interface DiskRestoreSpec extends CommonSpec {
  recoveryPoint: RecoveryPointRef;
  target: { disk: string };
}

export type DiskRestore = SpecEnvelope<"DiskRestore", DiskRestoreSpec>;

const DATA_STORE = "OperationalStore";

const schema = (): Schema =>
  specSchema(["recoveryPoint", "target"], {
    recoveryPoint,
    target: {
      type: "object",
      description: "The new disk: a disk restore always creates one (there is no original-location restore).",
      additionalProperties: false,
      required: ["disk"],
      properties: {
        disk: patterned(
          "ARM ID of the disk to create; its resource group must exist and the name must be free.",
          P.DISK_ID,
          "is not the ARM ID of a managed disk",
          "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Compute/disks/<new-disk> (1-80 letters, digits, _ and -)",
        ),
      },
    },
  });

export const diskKind: RestoreKind<DiskRestore> = {
  name: "DiskRestore",
  title: "Azure managed disks",
  datasourceTypes: ["Microsoft.Compute/disks"],
  misplacedFields: {
    pointInTime: "a disk is restored from a recovery point (a snapshot): use recoveryPoint",
    sourceDataStore: "a disk restore always reads the operational store (the snapshots): remove sourceDataStore",
    items: "a disk is restored whole, as a new disk",
  },
  specSchema: schema,
  rules: () => [],

  recoveryPoint(spec) {
    return { ref: spec.spec.recoveryPoint, dataStore: DATA_STORE };
  },

  plan(spec, facts) {
    const ds = sourceDatasource(facts);
    const s = spec.spec;
    const disk = s.target.disk;
    if (disk.toLowerCase() === ds.resourceID.toLowerCase()) {
      return failed(
        fieldError(["spec", "target", "disk"], "PlanOriginalLocationUnsupported", "this is the disk that was backed up: a disk restore always creates a new disk", "name a disk that does not exist yet, e.g. the same name with -restored"),
      );
    }
    const location = restoreLocation(s, ds);
    if (ds.resourceLocation && location.toLowerCase() !== ds.resourceLocation.toLowerCase()) {
      return failed(
        fieldError(
          ["spec", "restoreLocation"],
          "PlanDiskRegionMismatch",
          `a disk is restored in the region of its snapshots (${ds.resourceLocation}), not ${location}`,
          `remove restoreLocation, or set it to ${ds.resourceLocation}`,
        ),
      );
    }
    const point = resolveRecoveryPoint(s.recoveryPoint, DATA_STORE, facts.recoveryPoints);
    if (!point.ok) return point;
    const restoreTargetInfo: RestoreTargetInfo = { objectType: "RestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, datasourceInfo: datasourceFor(ds, disk, location) };
    return ok({
      request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", sourceDataStoreType: DATA_STORE, restoreTargetInfo, recoveryPointId: point.value.id },
      source: { dataStore: DATA_STORE, recoveryPointId: point.value.id, ...(point.value.time ? { recoveryPointTime: point.value.time } : {}) },
      target: { kind: "disk", id: disk, lockKey: `disk:${disk.toLowerCase()}` },
    });
  },

  policyTargets(spec) {
    return { targets: [{ id: spec.spec.target.disk, path: ["spec", "target", "disk"] }] };
  },

  // learn.microsoft.com/azure/backup/restore-managed-disks: Disk Restore Operator for the vault's
  // identity on the target resource group (and the backup's Disk Snapshot Contributor on the snapshot
  // resource group, which a configured backup already has); the docs advise revoking it afterwards.
  access(_spec, plan) {
    const group = resourceGroupOf(plan.target.id);
    return group
      ? { needs: [need(ROLES.diskRestoreOperator, group, "the target resource group", "learn.microsoft.com/azure/backup/restore-managed-disks")], unchecked: [] }
      : { needs: [], unchecked: ["the target disk's resource group"] };
  },

  // A drill restores a new disk into the window's scratch resource group (removed with it), where the
  // vault's identity needs what access() asks on any target resource group.
  drillScratchRoles: [ROLES.diskRestoreOperator],
  drillRestore({ backupInstance, recoveryPoint, scratchResourceGroupId, suffix, facts }) {
    if (!recoveryPoint) return { refusal: "the instance has no recovery point to restore" };
    if (!scratchResourceGroupId) return { refusal: "a disk drill restores into a scratch resource group: give the drill target.resourceGroup" };
    const source = facts.instance.properties?.dataSourceInfo?.resourceName ?? "disk";
    const name = `${source}-${suffix}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 80);
    return { spec: { backupInstance, recoveryPoint, target: { disk: `${scratchResourceGroupId}/providers/Microsoft.Compute/disks/${name}` } } };
  },

  destination(spec) {
    return spec.spec.target;
  },
};
