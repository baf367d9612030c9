import type { SpecEnvelope } from "../language/model";
import { flexibleServerKind, type FlexibleServerRestoreSpec } from "./flexible-server";

/**
 * Azure Database for PostgreSQL flexible server (`Microsoft.DBforPostgreSQL/flexibleServers`, CLI
 * datasource type AzureDatabaseForPostgreSQLFlexibleServer): restored as files only (./flexible-server.ts).
 * Manifest: research/kinds/manifests/cli/AzureDatabaseForPostgreSQLFlexibleServer@c09e05182a55.json.
 */
export type PostgreSQLFlexibleRestoreSpec = FlexibleServerRestoreSpec;
export type PostgreSQLFlexibleRestore = SpecEnvelope<"PostgreSQLFlexibleRestore", PostgreSQLFlexibleRestoreSpec>;

export const postgresqlFlexibleKind = flexibleServerKind({ name: "PostgreSQLFlexibleRestore", engine: "PostgreSQL", datasourceType: "Microsoft.DBforPostgreSQL/flexibleServers" });
