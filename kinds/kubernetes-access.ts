import { ROLES } from "../api/roles";
import { need, snapshotResourceGroup, type RestoreAccess } from "./access";
import type { BackupInstanceFacts, KindPlan } from "./kind";

/**
 * What an AKS restore needs (learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-concept,
 * and the datasource manifest's backupVaultRestorePermissions / dataSourceRestorePermissions): the
 * vault's identity Reader on the target cluster and on the snapshot resource group, and the target
 * cluster's own identity Contributor on the snapshot resource group. The vault tier's staging
 * resources are in no manifest or doc read: not checked.
 */
/** Microsoft.ContainerService's api-version for reading the cluster's identity (the one `@pulumi/azure-native` 3.x getManagedCluster uses). */
export const CLUSTER_API_VERSION = "2025-09-01";

export function kubernetesAccess(plan: KindPlan, facts: BackupInstanceFacts, vaultTier: boolean): RestoreAccess {
  const source = "learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-concept";
  const cluster = plan.target.id;
  const snapshots = snapshotResourceGroup(facts);
  const needs = [need(ROLES.reader, cluster, "the target cluster", source)];
  if (snapshots) {
    needs.push(need(ROLES.reader, snapshots, "the snapshot resource group", source));
    needs.push(need(ROLES.contributor, snapshots, "the snapshot resource group", source, { of: "resource", resourceId: cluster, name: "the target cluster's identity", apiVersion: CLUSTER_API_VERSION }));
  }
  const unchecked = [...(snapshots ? [] : ["the snapshot resource group (the backup instance names none)"]), ...(vaultTier ? ["the staging resource group and storage account"] : [])];
  return { needs, unchecked };
}
