import { dpErrors } from "../service-errors";
import { accessErrors, filesAccess } from "./access-needs";
import type { RestoreKind } from "./kind";

/**
 * What PostgreSQL and MySQL flexible servers share: Azure Backup restores their recovery points as files
 * in a blob container only (the CLI and PowerShell manifests' allowedRestoreTargetTypes is
 * [RestoreAsFiles]: research/kinds/pg-flexible.md, mysql-flexible.md; "Restore operation is a two step
 * process", articles/backup/restore-azure-database-postgresql-flex.md @0088bfa). A restore as files is
 * checked and written as every datasource's is (rules.ts: the target container must exist,
 * UserErrorContainerNotAccessible; the job records the container and the file prefix, and reports the
 * container's URL as its recoveryDestination). A second restore with the same prefix into the same
 * container is accepted, as the service accepts it: the CLI's live tests restore these servers again and
 * again with one fixed prefix (`targetpgflex`, `targetmysql`) into the same persistent containers
 * (Azure/azure-cli-extensions test_dataprotection_backup_and_restore_workloads.py @125996e), and the
 * recorded MySQL run (backup_and_restore_mysql) completed. A target naming a datasource (a server) is
 * refused: `initialize-for-data-recovery` builds one, the CLI does not block it for these types, and the
 * service does not restore a flexible server to a server; no source gives the code, so it is the
 * emulator's own.
 */
export interface FlexibleServer {
  name: string;
  /** Lower case. */
  datasourceType: string;
  /** progressEnabled of its restore jobs, where a recording shows it. */
  progressEnabled?: boolean;
}

/** Its restores write no target of a kind of its own: a restore as files writes the files target every datasource writes. */
export function flexibleServerKind(server: FlexibleServer): RestoreKind<never> {
  return {
    name: server.name,
    datasourceTypes: [server.datasourceType],
    targetOf: () => undefined,
    // Storage Blob Data Contributor on the account of the files' container (restore-azure-database-postgresql-flex.md,
    // the MySQL page alike); refused with UserErrorMSIMissingPermissions, as their troubleshooting pages give it.
    access: (ctx) => filesAccess(ctx, accessErrors.msiMissingPermissions),
    rules: ({ target, instance }) => dpErrors.restoreTargetTypeNotSupported(target.objectType, instance.datasourceType, "RestoreFilesTargetInfo (restore as files)"),
    ...(server.progressEnabled !== undefined ? { jobFields: () => ({ progressEnabled: server.progressEnabled }) } : {}),
  };
}
