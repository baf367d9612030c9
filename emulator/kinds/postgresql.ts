import { dpErrors } from "../service-errors";
import { parseArmId, sameArmId, sameName } from "../ids";
import type { BackupInstance } from "../world/model";
import type { World } from "../world/world";
import { accessErrors, filesAccess, targetResource } from "./access-needs";
import type { RestoreKind, RestoreTarget } from "./kind";

/**
 * Azure Database for PostgreSQL single server (`OssDB` is the service's legacy name of the type). A
 * restore creates a database on a server of the same or a higher version, never over the protected
 * database; the database exists from the moment the job starts unless the job fails.
 */

export interface PostgresDatabaseTarget {
  kind: "postgresDatabase";
  serverId: string;
  database: string;
}

function isPostgresDatabase(target: RestoreTarget): target is PostgresDatabaseTarget {
  return target.kind === "postgresDatabase";
}

/** `.../servers/{server}/databases/{database}` → the server's ARM ID and both resource parts. */
function databaseId(id: string): { serverId: string; server: { type: string; name: string }; database: { type: string; name: string } } | undefined {
  const parsed = parseArmId(id);
  const [server, database] = parsed?.resources ?? [];
  if (!parsed?.resourceGroup || !server || !database) return undefined;
  return { serverId: `/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}/providers/${parsed.provider ?? ""}/servers/${server.name}`, server, database };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(".").map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** PostgreSQL version of the server holding the instance's database: the instance's own, else its server's in the world. */
export function sourceServerVersion(world: World, bi: BackupInstance): string | undefined {
  if (bi.sourceServerVersion !== undefined) return String(bi.sourceServerVersion);
  const serverId = bi.dataSourceSetInfo?.resourceID ?? bi.dataSourceInfo.resourceID.replace(/\/databases\/[^/]+\/?$/i, "");
  const server = world.postgresqlServer(serverId);
  return server ? String(server.version) : undefined;
}

export const postgresql: RestoreKind<PostgresDatabaseTarget> = {
  name: "postgresql",
  datasourceTypes: ["microsoft.dbforpostgresql/servers/databases", "ossdb"],

  targetOf(_instance, target) {
    const id = target.datasourceInfo.resourceID;
    const db = databaseId(id);
    return db ? { target: { kind: "postgresDatabase", serverId: db.serverId, database: db.database.name }, recoveryDestination: id } : undefined;
  },

  // Reader on the target server: the service's refusal quotes servers/read (recording cross_region_restore #6).
  // As files: Storage Blob Data Contributor on the container's account (PostgreSQL troubleshooting).
  access(ctx) {
    const id = targetResource(ctx);
    const db = id ? databaseId(id) : undefined;
    if (db) return [{ who: "vault", scope: db.serverId, permission: { action: "Microsoft.DBforPostgreSQL/servers/read" }, refusal: accessErrors.msiMissingPermissions }];
    return filesAccess(ctx, accessErrors.containerNotAccessible);
  },

  rules({ world, instance, target, restored }) {
    const targetId = target.datasourceInfo.resourceID;
    if (sameArmId(targetId, instance.dataSourceInfo.resourceID)) return dpErrors.originalLocationRestoreNotSupported();
    const db = databaseId(targetId);
    if (!db || !sameName(db.server.type, "servers") || !sameName(db.database.type, "databases")) return dpErrors.databaseNotFound(targetId);
    const targetServer = world.postgresqlServer(db.serverId);
    if (!targetServer) return dpErrors.databaseNotFound(db.serverId);
    const sourceVersion = sourceServerVersion(world, instance);
    const targetVersion = String(targetServer.version);
    if (sourceVersion !== undefined && compareVersions(targetVersion, sourceVersion) < 0) return dpErrors.restoreToLowerVersion(sourceVersion, targetVersion);
    const exists =
      (targetServer.databases ?? []).some((d) => sameName(d, db.database.name)) ||
      restored().some((t) => isPostgresDatabase(t) && sameArmId(t.serverId, targetServer.id) && sameName(t.database, db.database.name));
    if (exists) return dpErrors.databaseNameAlreadyInUse(db.database.name, db.server.name);
    const uri = target.datasourceAuthCredentials?.secretStoreResource?.uri;
    if (uri !== undefined && !world.secretExists(uri)) return dpErrors.secretNotFound(uri);
    return undefined;
  },

  jobFields(instance) {
    const source = parseArmId(instance.dataSourceInfo.resourceID);
    // progressEnabled: true for PostgreSQL restore jobs, as recorded (backup_and_restore_oss).
    return { dataSourceSetName: instance.dataSourceSetInfo?.resourceName ?? source?.resources[0]?.name ?? "", progressEnabled: true };
  },

  // The database a restore created, as Microsoft.DBforPostgreSQL's Databases_Get (2017-12-01) shows one:
  // charset and collation (those of the server's default database; the emulator's choice of values).
  createdResource({ target }) {
    if (!isPostgresDatabase(target)) return undefined;
    return { id: `${target.serverId}/databases/${target.database}`, properties: { charset: "UTF8", collation: "English_United States.1252" } };
  },
};
