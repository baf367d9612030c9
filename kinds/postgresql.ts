import type { RestoreTargetInfoBase } from "../api/types";
import { supportsDatasourceAuthCredentials } from "../api/versions";
import { fieldError, type FieldProblem } from "../errors/field";
import { failed, ok } from "../errors/result";
import { isObj, type Obj } from "../language/common-rules";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import * as P from "../language/patterns";
import { resolveRecoveryPoint } from "../language/recovery-point";
import { patterned, recoveryPoint, specSchema, type Schema } from "../language/schema-parts";
import { durationDays } from "../language/time";
import type { RestoreKind, RestoreTarget } from "./kind";
import { datasourceFor, lastSegment, parentId, RECOVERY_OPTION, restoreLocation, sourceDatasource } from "./parts";

/**
 * Azure Database for PostgreSQL single server (`Microsoft.DBforPostgreSQL/servers/databases`): a
 * recovery point restored as a new database (credentials from a Key Vault secret) or as dump files in a
 * blob container, from the vault or the archive tier. Bodies as in the PostgreSQL seed, corrected to
 * the definitions (see test/fixtures/seeds/corrections.ts).
 */
export interface PostgreSQLRestoreSpec extends CommonSpec {
  recoveryPoint: RecoveryPointRef;
  sourceDataStore?: "VaultStore" | "ArchiveStore";
  rehydration?: { priority: "Standard" | "High"; retention: string };
  target: {
    database?: { id: string; credentialsSecretUri: string };
    files?: { containerUrl: string; filePrefix: string };
  };
}

export type PostgreSQLRestore = SpecEnvelope<"PostgreSQLRestore", PostgreSQLRestoreSpec>;

/** Azure keeps a rehydrated recovery point 10 to 30 days. */
export const REHYDRATION_MIN_DAYS = 10;
export const REHYDRATION_MAX_DAYS = 30;

const schema = (): Schema =>
  specSchema(["recoveryPoint", "target"], {
    recoveryPoint,
    sourceDataStore: { type: "string", enum: ["VaultStore", "ArchiveStore"], default: "VaultStore", description: "Where the recovery point is read from.", "x-fix": "use VaultStore or ArchiveStore" },
    rehydration: {
      type: "object",
      description: "ArchiveStore only: how the recovery point is rehydrated first.",
      additionalProperties: false,
      required: ["priority", "retention"],
      properties: {
        priority: { type: "string", enum: ["Standard", "High"], description: "Rehydration priority.", "x-fix": "use Standard or High" },
        retention: patterned("How long the rehydrated copy stays in the vault: P10D to P30D.", P.ISO_DURATION, "must be an ISO 8601 duration", "write a number of days between P10D and P30D"),
      },
    },
    target: {
      type: "object",
      description: "Exactly one of `database` or `files` (PostgreSQL has no original-location restore).",
      additionalProperties: false,
      properties: {
        database: {
          type: "object",
          additionalProperties: false,
          required: ["id", "credentialsSecretUri"],
          properties: {
            id: patterned(
              "ARM ID of the new database (it must not exist yet).",
              P.POSTGRESQL_DATABASE_ID,
              "is not the ARM ID of a PostgreSQL database",
              "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.DBforPostgreSQL/servers/<server>/databases/<new-db>",
            ),
            credentialsSecretUri: patterned("Key Vault secret holding the target server's connection credentials.", P.KEY_VAULT_SECRET_URI, "is not an https Key Vault secret URL", "use https://<vault>.vault.azure.net/secrets/<name>"),
          },
        },
        files: {
          type: "object",
          additionalProperties: false,
          required: ["containerUrl", "filePrefix"],
          properties: {
            containerUrl: patterned("URL of the blob container the dump files go to.", P.BLOB_CONTAINER_URL, "is not an https blob container URL", "use https://<account>.blob.core.windows.net/<container>"),
            filePrefix: patterned("Name prefix of the restored files.", "^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$", "must be 1-255 letters, digits, `._-`", "e.g. empdb11_restore"),
          },
        },
      },
      oneOf: [{ required: ["database"] }, { required: ["files"] }],
    },
  });

function rules(spec: Obj): FieldProblem[] {
  const out: FieldProblem[] = [];
  const store = spec.sourceDataStore ?? "VaultStore";
  if (store === "ArchiveStore" && spec.rehydration === undefined) {
    out.push(fieldError(["spec", "sourceDataStore"], "SpecRehydrationMissing", "a restore from ArchiveStore rehydrates the recovery point first and needs rehydration settings", "add rehydration: { priority: Standard, retention: P15D }"));
  }
  if (store !== "ArchiveStore" && spec.rehydration !== undefined) {
    out.push(fieldError(["spec", "rehydration"], "SpecRehydrationWithoutArchive", "rehydration applies only to restores from ArchiveStore", "remove rehydration, or set sourceDataStore: ArchiveStore", "key"));
  }
  if (isObj(spec.rehydration) && typeof spec.rehydration.retention === "string") {
    const days = durationDays(spec.rehydration.retention);
    if (days !== undefined && (days < REHYDRATION_MIN_DAYS || days > REHYDRATION_MAX_DAYS || !Number.isInteger(days))) {
      out.push(
        fieldError(
          ["spec", "rehydration", "retention"],
          "SpecRehydrationRetention",
          `retention is ${Number.isInteger(days) ? `${days} days` : spec.rehydration.retention}; Azure keeps a rehydrated recovery point ${REHYDRATION_MIN_DAYS} to ${REHYDRATION_MAX_DAYS} days`,
          `use a whole number of days from P${REHYDRATION_MIN_DAYS}D to P${REHYDRATION_MAX_DAYS}D`,
        ),
      );
    }
  }
  // A missing target is the schema's to report.
  if (isObj(spec.target)) {
    const hasDb = spec.target.database !== undefined;
    const hasFiles = spec.target.files !== undefined;
    if (!hasDb && !hasFiles) {
      out.push(
        fieldError(["spec", "target"], "SpecOriginalLocationUnsupported", "PostgreSQL has no original-location restore: name a new database or a container for files", "add target.database { id, credentialsSecretUri } or target.files { containerUrl, filePrefix }", "key"),
      );
    } else if (hasDb && hasFiles) {
      out.push(fieldError(["spec", "target"], "SpecTargetConflict", "give exactly one of target.database and target.files", "remove one of the two", "key"));
    }
    if (isObj(spec.target.database) && typeof spec.target.database.id === "string" && /\/flexibleServers\//i.test(spec.target.database.id)) {
      out.push(fieldError(["spec", "target", "database", "id"], "SpecFlexibleServerDatabase", "Azure Backup restores Flexible Server backups as files, not into a database", "use target.files { containerUrl, filePrefix }"));
    }
  }
  return out;
}

export const postgresqlKind: RestoreKind<PostgreSQLRestore> = {
  name: "PostgreSQLRestore",
  title: "Azure Database for PostgreSQL",
  datasourceTypes: ["Microsoft.DBforPostgreSQL/servers/databases", "Microsoft.DBforPostgreSQL/flexibleServers"],
  misplacedFields: {
    pointInTime: "PostgreSQL restores from a recovery point, not a point in time: use recoveryPoint",
    items: "item-level restore is for blobs; a PostgreSQL restore takes the whole database",
  },
  specSchema: schema,
  rules,

  recoveryPoint(spec) {
    return { ref: spec.spec.recoveryPoint, dataStore: spec.spec.sourceDataStore ?? "VaultStore" };
  },

  plan(spec, facts, context) {
    const ds = sourceDatasource(facts);
    const s = spec.spec;
    const location = restoreLocation(s, ds);
    const dataStore = s.sourceDataStore ?? "VaultStore";
    let restoreTargetInfo: RestoreTargetInfoBase;
    let target: RestoreTarget;
    if (s.target.database) {
      const dbId = s.target.database.id;
      if (dbId.toLowerCase() === ds.resourceID.toLowerCase()) {
        return failed(fieldError(["spec", "target", "database", "id"], "PlanOriginalLocationUnsupported", "this is the database that was backed up: PostgreSQL has no original-location restore", "restore into a new database name, or to another server"));
      }
      if (!supportsDatasourceAuthCredentials(context.apiVersion)) {
        return failed(fieldError(["spec", "target", "database"], "PlanApiVersionTooOld", `restoring into a PostgreSQL database needs api-version 2021-07-01 or later (this run uses ${context.apiVersion})`, "set the api-version to 2021-07-01 or later"));
      }
      const serverId = parentId(dbId);
      const setType = facts.instance.properties?.dataSourceSetInfo?.resourceType ?? (ds.resourceType ?? "").split("/").slice(0, -1).join("/");
      restoreTargetInfo = {
        objectType: "RestoreTargetInfo",
        recoveryOption: RECOVERY_OPTION,
        datasourceInfo: datasourceFor(ds, dbId, location),
        datasourceSetInfo: {
          objectType: "DatasourceSet",
          resourceID: serverId,
          resourceName: lastSegment(serverId),
          resourceType: setType,
          resourceLocation: location,
          resourceUri: "",
          datasourceType: ds.datasourceType,
        },
        datasourceAuthCredentials: {
          objectType: "SecretStoreBasedAuthCredentials",
          secretStoreResource: { secretStoreType: "AzureKeyVault", uri: s.target.database.credentialsSecretUri },
        },
        restoreLocation: location,
      };
      target = { kind: "database", id: dbId, lockKey: `database:${dbId.toLowerCase()}` };
    } else {
      const files = s.target.files!;
      restoreTargetInfo = {
        objectType: "RestoreFilesTargetInfo",
        recoveryOption: RECOVERY_OPTION,
        restoreLocation: location,
        targetDetails: { url: files.containerUrl, filePrefix: files.filePrefix, restoreTargetLocationType: "AzureBlobs" },
      };
      target = { kind: "files", id: files.containerUrl, lockKey: `files:${files.containerUrl.toLowerCase()}/${files.filePrefix}` };
    }
    const point = resolveRecoveryPoint(s.recoveryPoint, dataStore, facts.recoveryPoints);
    if (!point.ok) return point;
    const recoveryPointId = point.value.id;
    const source = { dataStore, recoveryPointId, ...(point.value.time ? { recoveryPointTime: point.value.time } : {}) };
    if (dataStore === "ArchiveStore") {
      return ok({
        request: {
          objectType: "AzureBackupRestoreWithRehydrationRequest",
          sourceDataStoreType: "ArchiveStore",
          restoreTargetInfo,
          recoveryPointId,
          rehydrationPriority: s.rehydration!.priority,
          rehydrationRetentionDuration: s.rehydration!.retention,
        },
        source,
        target,
      });
    }
    return ok({ request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", sourceDataStoreType: dataStore, restoreTargetInfo, recoveryPointId }, source, target });
  },

  policyTargets(spec) {
    const db = spec.spec.target.database;
    return { targets: db ? [{ id: db.id, path: ["spec", "target", "database", "id"] }] : [] };
  },

  destination(spec) {
    return spec.spec.target;
  },
};
