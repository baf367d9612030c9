import { flexibleServerKind } from "./flexible-server";

/**
 * Azure Database for PostgreSQL flexible servers, restored as files (see flexible-server.ts). No recording
 * shows one of their restore jobs (backup_and_restore_pgflex stores none), so progressEnabled is the
 * common default.
 */
export const postgresqlFlexible = flexibleServerKind({ name: "postgresqlFlexible", datasourceType: "microsoft.dbforpostgresql/flexibleservers" });
