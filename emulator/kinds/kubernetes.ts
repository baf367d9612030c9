import type { ItemLevelRestoreCriteria, KubernetesClusterVaultTierRestoreCriteria } from "../../api/types";
import { parseArmId, sameName } from "../ids";
import { dpErrors } from "../service-errors";
import type { World } from "../world/world";
import { proxyResourceJobFields, resourceName, resourceOfType, resourceType } from "./arm";
import { accessErrors, targetResource } from "./access-needs";
import type { DatasourceTarget, RestoreKind } from "./kind";

/**
 * Azure Kubernetes Service (`Microsoft.ContainerService/managedClusters`). A restore writes into a
 * cluster, the original or another one, which must have the Backup extension installed and Trusted
 * Access enabled for the vault ("You must install the Backup Extension in the target AKS cluster. Also,
 * you must enable Trusted Access between the Backup vault and the AKS cluster.":
 * azure-docs articles/backup/azure-kubernetes-service-cluster-restore.md @03e5750a). The world's cluster
 * (a `resources` entry) says so with `backupExtension: true` and `trustedAccess: true`, and gives its
 * `kubernetesVersion`. Codes: UserErrorKubernetesBackupExtensionNotFoundError ("Backup vault as part of
 * validation, checks if the cluster has the Backup extension installed"; azure-kubernetes-service-backup-troubleshoot.md
 * @0339fcce); UserErrorTrustedAccessGatewayReturnedForbidden only from third-party notes (low confidence);
 * a missing cluster, staging resource group or staging storage account (vault tier) has no sourced
 * code. A job restoring into a cluster of another Kubernetes minor version than the backed-up one ends
 * CompletedWithWarnings with UserErrorSourceandTargetClusterCRDVersionMismatch (the same page, "AKS
 * backup and restore jobs completed with warnings": "different versions of FlowSchema and
 * PriorityLevelConfigurations CRs ... due to the mismatch in cluster versions"). Jobs as recorded
 * (backup_and_restore_aks #4): `progressEnabled: false`, the target cluster as `recoveryDestination`, one
 * `Trigger Restore` sub-task.
 */

export interface KubernetesClusterTarget {
  kind: "kubernetesCluster";
  id: string;
}

const CLUSTER_TYPE = "Microsoft.ContainerService/managedClusters";

function vaultTierCriteria(target: DatasourceTarget): KubernetesClusterVaultTierRestoreCriteria | undefined {
  if (target.objectType !== "ItemLevelRestoreTargetInfo") return undefined;
  return target.restoreCriteria.find((c: ItemLevelRestoreCriteria): c is KubernetesClusterVaultTierRestoreCriteria => c.objectType === "KubernetesClusterVaultTierRestoreCriteria");
}

/** The staging resource group and storage account of a vault-tier restore that the world lacks. */
function missingStaging(world: World, criteria: KubernetesClusterVaultTierRestoreCriteria): { what: string; id: string } | undefined {
  const groupId = criteria.stagingResourceGroupId;
  const group = groupId !== undefined ? parseArmId(groupId) : undefined;
  if (groupId !== undefined && !(group?.resourceGroup && world.resourceGroup(group.subscriptionId, group.resourceGroup))) return { what: "staging resource group", id: groupId };
  const accountId = criteria.stagingStorageAccountId;
  if (accountId !== undefined && !world.storageAccountById(accountId)) return { what: "staging storage account", id: accountId };
  return undefined;
}

/** `1.29.4` → `1.29`: the CRs' versions move with Kubernetes' minor versions. */
function minorVersion(version: unknown): string | undefined {
  return typeof version === "string" ? /^v?(\d+\.\d+)/.exec(version)?.[1] : undefined;
}

export const kubernetes: RestoreKind<KubernetesClusterTarget> = {
  name: "kubernetes",
  datasourceTypes: ["microsoft.containerservice/managedclusters"],

  targetOf(_instance, target) {
    const id = target.datasourceInfo.resourceID;
    return { target: { kind: "kubernetesCluster", id }, recoveryDestination: id };
  },

  // Reader on the target cluster for the vault's identity (AKS troubleshooting: KubernetesBackupListExtensionsError).
  access(ctx) {
    const id = targetResource(ctx);
    return id ? [{ who: "vault", scope: id, permission: { action: "Microsoft.ContainerService/managedClusters/read" }, refusal: accessErrors.kubernetesListExtensions }] : [];
  },

  rules({ world, target }) {
    const clusterId = target.datasourceInfo.resourceID;
    const cluster = resourceOfType(world, clusterId, CLUSTER_TYPE);
    if (!cluster) return dpErrors.targetResourceNotFound("AKS cluster", clusterId);
    if (cluster.properties?.backupExtension !== true) return dpErrors.kubernetesBackupExtensionNotFound(clusterId);
    if (cluster.properties?.trustedAccess !== true) return dpErrors.trustedAccessMissing(clusterId);
    const criteria = vaultTierCriteria(target);
    const missing = criteria ? missingStaging(world, criteria) : undefined;
    return missing ? dpErrors.targetResourceNotFound(missing.what, missing.id) : undefined;
  },

  // The CLI makes an AKS instance's datasource set a copy of its datasource (helpers.py@8722b2f2).
  jobFields: (instance) => proxyResourceJobFields(instance, instance.dataSourceInfo.resourceName ?? resourceName(instance.dataSourceInfo.resourceID), false),

  jobWarnings({ world, instance, target }) {
    const source = minorVersion(world.resource(instance.dataSourceInfo.resourceID)?.properties?.kubernetesVersion);
    const into = minorVersion(world.resource(target.datasourceInfo.resourceID)?.properties?.kubernetesVersion);
    if (source === undefined || into === undefined || source === into) return [];
    const { code, message, recommendedAction } = dpErrors.clusterVersionMismatch();
    return [{ code, message, recommendedAction }];
  },

  acceptedTargetProperties: (resourceId) => (sameName(resourceType(resourceId), CLUSTER_TYPE) ? { backupExtension: true, trustedAccess: true } : undefined),
};
