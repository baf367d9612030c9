import type { SpecEnvelope } from "../language/model";
import { flexibleServerKind, type FlexibleServerRestoreSpec } from "./flexible-server";

/**
 * Azure Database for MySQL flexible server (`Microsoft.DBforMySQL/flexibleServers`, CLI datasource
 * type AzureDatabaseForMySQL): restored as files only (./flexible-server.ts). Manifest:
 * research/kinds/manifests/cli/AzureDatabaseForMySQL@c0e764fd3ac5.json; the restore body recorded in
 * test/fixtures/recordings/backup_and_restore_mysql.json.
 */
export type MySQLFlexibleRestoreSpec = FlexibleServerRestoreSpec;
export type MySQLFlexibleRestore = SpecEnvelope<"MySQLFlexibleRestore", MySQLFlexibleRestoreSpec>;

export const mysqlFlexibleKind = flexibleServerKind({ name: "MySQLFlexibleRestore", engine: "MySQL", datasourceType: "Microsoft.DBforMySQL/flexibleServers" });
