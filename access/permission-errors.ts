import { isDataProtectionError } from "../client/errors";

/**
 * The service's codes for "the vault's identity lacks a role", by datasource: what a restore whose grant
 * has not propagated yet sees (Azure: role assignment changes can take up to 10 minutes to apply,
 * learn.microsoft.com/azure/role-based-access-control/troubleshooting, "Symptom - Role assignment
 * changes are not being detected"). Sources: the Azure Backup troubleshooting page of each datasource
 * and the CLI's recording cross_region_restore (UserErrorMSIMissingPermissions, inner AuthorizationFailed).
 */
export const PERMISSION_ERROR_CODES: Readonly<Record<string, string>> = {
  UserErrorMSIMissingPermissions: "PostgreSQL single and flexible server, MySQL flexible server troubleshooting; recording cross_region_restore",
  UserErrorNotEnoughPermissionOnTargetRG: "disk-backup-troubleshoot.md",
  UserErrorDiskBackupRestoreRGOrMSIPermissionsNotPresent: "disk-backup-troubleshoot.md",
  UserErrorMissingRequiredPermissions: "blob-backup-support-matrix / troubleshooting (blob, Data Lake)",
  UserErrorContainerNotAccessible: "backup-azure-database-postgresql-troubleshoot.md (restore as files)",
  KubernetesBackupListExtensionsError: "azure-kubernetes-service-backup-troubleshoot.md",
  AuthorizationFailed: "ARM's own 403 code, the inner error of UserErrorMSIMissingPermissions in recording cross_region_restore",
};

/** Whether an error is the service saying the restore's identity lacks a role. */
export function isPermissionError(error: unknown): boolean {
  return isDataProtectionError(error) && Object.prototype.hasOwnProperty.call(PERMISSION_ERROR_CODES, error.code);
}
