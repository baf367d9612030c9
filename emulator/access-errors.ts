import type { DpError } from "./errors";
import { dp } from "./service-errors";

/**
 * What the service answers a restore whose identity lacks a role, per datasource (codes in SOURCES of
 * service-errors.ts). The inner error is ARM's own refusal, worded as the recording quotes it
 * (cross_region_restore #6: AuthorizationFailed, "The client '…' with object id '…' does not have
 * authorization to perform action '…' over scope '…' or the scope is invalid. If access was recently
 * granted, please refresh your credentials.").
 */
export interface Refusal {
  principalId: string;
  action: string;
  scope: string;
}

const authorizationFailed = (r: Refusal) => ({
  code: "AuthorizationFailed",
  additionalInfo: {
    DetailedNonLocalisedMessage: `The client '${r.principalId}' with object id '${r.principalId}' does not have authorization to perform action '${r.action}' over scope '${r.scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  },
});

export const accessErrors = {
  /** Recording cross_region_restore #6 (PostgreSQL); the flexible servers' troubleshooting pages give the same code. */
  msiMissingPermissions: (r: Refusal): DpError =>
    dp(400, "UserErrorMSIMissingPermissions", "Backup vault is missing the necessary permissions on the datasource to do this operation. ", [
      " Grant appropriate access permissions to the backup vault’s identity (MSI) on the datasource. Refer to ‘aka.ms/UserErrorMSIMissingPermissions ‘for details. ",
    ], { innerError: authorizationFailed(r), isUserError: false }),
  /** disk-backup-troubleshoot.md. */
  notEnoughPermissionOnTargetRG: (r: Refusal): DpError =>
    dp(400, "UserErrorNotEnoughPermissionOnTargetRG", "Azure Backup Service requires additional permissions on the Target Resource Group to do this operation.", [
      "Grant the Backup vault's managed identity the appropriate permissions on the target resource group. The target resource group is the selected location where the disk is to be restored. Refer to the restore documentation to understand what permissions are required by the Backup vault's managed identity, and how to provide it.",
    ], { innerError: authorizationFailed(r) }),
  /** backup-azure-troubleshoot-blob-backup.md (listed there for configuration; the blob and Data Lake restores' closest code). */
  missingRequiredPermissions: (r: Refusal): DpError =>
    dp(400, "UserErrorMissingRequiredPermissions", "Appropriate permissions to perform the operation are missing.", ["Ensure that you've granted appropriate permissions."], { innerError: authorizationFailed(r) }),
  /** azure-kubernetes-service-backup-troubleshoot.md: the vault's identity needs Reader on the cluster to list its extensions. */
  kubernetesListExtensions: (r: Refusal): DpError =>
    dp(400, "KubernetesBackupListExtensionsError", "The Backup vault's managed identity cannot list the extensions installed in the cluster: it needs the Reader role on the AKS cluster.", [
      "Reassign the Reader role to the Vault MSI on the cluster. If reassignment fails, use a different Backup vault.",
    ], { innerError: authorizationFailed(r) }),
  /** backup-azure-database-postgresql-troubleshoot.md, restore as files: the vault cannot write to the container. */
  containerNotAccessible: (r: Refusal): DpError =>
    dp(400, "UserErrorContainerNotAccessible", `The storage account container under '${r.scope}' is not accessible.`, [
      "Give the Backup vault MSI the permission to access the storage account containers: assign the Storage Blob Data Contributor role to the Backup vault MSI.",
    ], { innerError: authorizationFailed(r) }),
};
