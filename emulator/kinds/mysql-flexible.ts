import { flexibleServerKind } from "./flexible-server";

/** Azure Database for MySQL flexible servers, restored as files (see flexible-server.ts); progressEnabled as recorded (backup_and_restore_mysql). */
export const mysqlFlexible = flexibleServerKind({ name: "mysqlFlexible", datasourceType: "microsoft.dbformysql/flexibleservers", progressEnabled: true });
