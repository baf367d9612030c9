import { formatDateTime } from "../format";
import { parseArmId, sameArmId, sameName } from "../ids";
import { dpErrors } from "../service-errors";
import { accessErrors, resourceGroupScope, targetResource } from "./access-needs";
import type { RestoreKind, RestoreTarget } from "./kind";

/**
 * Azure managed disks (`Microsoft.Compute/disks`, Azure Disk Backup): a restore creates a new disk from
 * the snapshot of a recovery point in the operational store; it never writes over a disk. Sources:
 * - Disk troubleshooting (learn.microsoft.com/azure/backup/disk-backup-troubleshoot, MicrosoftDocs/azure-docs
 *   articles/backup/disk-backup-troubleshoot.md @0476a49): UserErrorDiskSnapshotNotFound ("The disk snapshot
 *   for this Restore point has been deleted", moved or deleted from the snapshot resource group),
 *   UserErrorRestoreTargetRGNotFound, UserErrorSameNameDiskAlreadyExists, messages and actions verbatim;
 * - the restore document (articles/backup/restore-managed-disks.md, research/kinds/disk.md): the disk is
 *   created in the target resource group, which must exist, and validation fails when a disk of that name
 *   exists there; there is no original-location restore, so the protected disk itself is one that exists;
 * - recording backup_instance_restore_disk: the job's recoveryDestination is the new disk's ID,
 *   progressEnabled false; the live test deletes the target disk before it restores.
 * No source says when during its job the disk appears: a second restore to the name is refused from the
 * moment the first job starts (the name is taken), and `GET .../Microsoft.Compute/disks/{name}` serves the
 * disk once the job completed. The world marks a point whose snapshot is gone with `snapshotDeleted: true`.
 */

export interface DiskTarget {
  kind: "disk";
  id: string;
  location: string;
}

function isDisk(target: RestoreTarget): target is DiskTarget {
  return target.kind === "disk";
}

export const disk: RestoreKind<DiskTarget> = {
  name: "disk",
  datasourceTypes: ["microsoft.compute/disks"],

  targetOf(instance, target) {
    const id = target.datasourceInfo.resourceID;
    const location = target.restoreLocation ?? target.datasourceInfo.resourceLocation ?? instance.dataSourceInfo.resourceLocation ?? instance.vault.location;
    return { target: { kind: "disk", id, location }, recoveryDestination: id };
  },

  // Disk Restore Operator on the target resource group (learn.microsoft.com/azure/backup/restore-managed-disks): disks/write.
  access(ctx) {
    const id = targetResource(ctx);
    const scope = id ? resourceGroupScope(id) : undefined;
    return scope ? [{ who: "vault", scope, permission: { action: "Microsoft.Compute/disks/write" }, refusal: accessErrors.notEnoughPermissionOnTargetRG }] : [];
  },

  rules({ world, instance, request, target, restored }) {
    const point = request.objectType === "AzureBackupRecoveryTimeBasedRestoreRequest" ? undefined : instance.points.find((p) => sameName(p.id, request.recoveryPointId));
    if (point?.snapshotDeleted) return dpErrors.diskSnapshotNotFound(point.id);
    const id = target.datasourceInfo.resourceID;
    const parsed = parseArmId(id);
    const resourceGroup = parsed?.resourceGroup ?? "";
    if (!parsed || !world.resourceGroup(parsed.subscriptionId, resourceGroup)) return dpErrors.restoreTargetResourceGroupNotFound(resourceGroup);
    const exists = world.resource(id) !== undefined || sameArmId(id, instance.dataSourceInfo.resourceID) || restored().some((t) => isDisk(t) && sameArmId(t.id, id));
    if (exists) return dpErrors.sameNameDiskExists(parsed.resources.at(-1)?.name ?? id, resourceGroup);
    return undefined;
  },

  createdResource({ target, instance, world, endMs }) {
    if (!isDisk(target)) return undefined;
    const size = world.resource(instance.dataSourceInfo.resourceID)?.properties?.diskSizeGB;
    return {
      id: target.id,
      location: target.location,
      properties: { ...(typeof size === "number" ? { diskSizeGB: size } : {}), timeCreated: formatDateTime(endMs), provisioningState: "Succeeded" },
    };
  },
};
