import type { AzureBackupJob } from "../../api/types";
import { parseArmId, sameName } from "../ids";
import type { BackupInstance, ResourceSpec } from "../world/model";
import type { World } from "../world/world";

/** What the kinds whose targets are ARM resources of the world's `resources` list share. */

/** `Microsoft.ContainerService/managedClusters` of an ARM ID (provider and resource types), or undefined when malformed. */
export function resourceType(id: string): string | undefined {
  const parsed = parseArmId(id);
  return parsed?.provider && parsed.resources.length > 0 ? `${parsed.provider}/${parsed.resources.map((r) => r.type).join("/")}` : undefined;
}

/** The world's resource with this ID, when it is of `type` (compared as ARM compares types: without regard to case). */
export function resourceOfType(world: World, id: string, type: string): ResourceSpec | undefined {
  return sameName(resourceType(id), type) ? world.resource(id) : undefined;
}

/** The last name of an ARM ID (`.../volumeGroups/vg1` → `vg1`). */
export function resourceName(id: string): string {
  return parseArmId(id)?.resources.at(-1)?.name ?? id;
}

/**
 * Job fields of a proxy resource's instance (AKS, Elastic SAN), as their recorded jobs show them
 * (backup_and_restore_aks #4, backup_and_restore_esan #4): `dataSourceSetName` the datasource set's name
 * (`setName`, the kind's, for an instance whose datasource set the world does not give),
 * and `backupInstanceFriendlyName` `{set}/{friendly name}` (the CLI's tests create the instances with
 * `--friendly-name clitest-friendly-aks` and `esan-bi`; the jobs say `clitest-cluster1-donotdelete/clitest-friendly-aks`
 * and `esanbugbashcli1/esan-bi`).
 */
export function proxyResourceJobFields(instance: BackupInstance, setName: string, progressEnabled: boolean): Partial<AzureBackupJob> {
  return {
    dataSourceSetName: instance.dataSourceSetInfo?.resourceName ?? setName,
    ...(instance.friendlyName !== undefined ? { backupInstanceFriendlyName: `${instance.dataSourceSetInfo?.resourceName ?? setName}/${instance.friendlyName}` } : {}),
    progressEnabled,
  };
}

/** The ID of the resource an ARM ID's resource is a child of (`.../elasticSans/s/volumeGroups/g` → `.../elasticSans/s`). */
export function parentResourceId(id: string): string {
  return id.replace(/\/[^/]+\/[^/]+\/?$/, "");
}
