import type { KubernetesClusterRestoreCriteria, KubernetesClusterVaultTierRestoreCriteria } from "../api/types";

/**
 * What an AKS restore brings back, and its restore criteria as `az dataprotection backup-instance
 * initialize-restoreconfig` writes them (azure-cli-extensions manual/custom.py@52e482dc): every field
 * present, the unset ones as null, the defaults filled in (conflict policy Skip, volumes with their data,
 * cluster-scoped resources included). The field set is the one of the CLI's recorded restore (the
 * cassette test_dataprotection_backup_and_restore_aks.yaml@010df219, test/fixtures/recordings/): it
 * sends no resourceModifierReference, and the staging IDs only for the vault tier.
 */
export interface KubernetesSelection {
  namespaces?: string[];
  resourceTypes?: string[];
}

export interface KubernetesRestoreHook {
  name: string;
  namespace: string;
}

export interface KubernetesStaging {
  /** ARM ID of the resource group that takes the staging disks and snapshots. */
  resourceGroup: string;
  /** ARM ID of the storage account that takes the backup extension's staging data. */
  storageAccount: string;
}

/** The spec fields that become the criteria. */
export interface KubernetesRestoreSelection {
  sourceDataStore?: "OperationalStore" | "VaultStore";
  include?: KubernetesSelection;
  exclude?: KubernetesSelection;
  labelSelectors?: string[];
  clusterScopedResources?: boolean;
  namespaceMappings?: Record<string, string>;
  conflictPolicy?: "Skip" | "Patch";
  persistentVolumes?: "WithData" | "WithoutData";
  restoreHooks?: KubernetesRestoreHook[];
  staging?: KubernetesStaging;
}

/** The spec's words for the persistent volume restore modes of the definitions. */
export const PERSISTENT_VOLUME_MODES = { WithData: "RestoreWithVolumeData", WithoutData: "RestoreWithoutVolumeData" } as const;

export function kubernetesCriteria(s: KubernetesRestoreSelection): KubernetesClusterRestoreCriteria | KubernetesClusterVaultTierRestoreCriteria {
  const common = {
    conflictPolicy: s.conflictPolicy ?? "Skip",
    excludedNamespaces: s.exclude?.namespaces ?? null,
    excludedResourceTypes: s.exclude?.resourceTypes ?? null,
    includeClusterScopeResources: s.clusterScopedResources ?? true,
    includedNamespaces: s.include?.namespaces ?? null,
    includedResourceTypes: s.include?.resourceTypes ?? null,
    labelSelectors: s.labelSelectors ?? null,
    namespaceMappings: s.namespaceMappings ?? null,
    persistentVolumeRestoreMode: PERSISTENT_VOLUME_MODES[s.persistentVolumes ?? "WithData"],
    restoreHookReferences: s.restoreHooks?.map((h) => ({ name: h.name, namespace: h.namespace })) ?? null,
  };
  if (s.sourceDataStore === "VaultStore") {
    return {
      objectType: "KubernetesClusterVaultTierRestoreCriteria",
      ...common,
      stagingResourceGroupId: s.staging!.resourceGroup,
      stagingStorageAccountId: s.staging!.storageAccount,
    };
  }
  return { objectType: "KubernetesClusterRestoreCriteria", ...common };
}
