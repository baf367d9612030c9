import type { RestoreTargetInfoBase } from "../api/types";
import { ROLES } from "../api/roles";
import { need, VAULT } from "./access";
import { parentId as serverOf } from "./parts";
import { supportsDatasourceAuthCredentials } from "../api/versions";
import { fieldError, type FieldProblem } from "../errors/field";
import { failed, ok } from "../errors/result";
import { isObj, type Obj } from "../language/common-rules";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import * as P from "../language/patterns";
import { resolveRecoveryPoint } from "../language/recovery-point";
import { patterned, recoveryPoint, specSchema, type Schema } from "../language/schema-parts";
import { containerUrlSchema, filePrefixSchema, filesTarget, filesTargetInfo } from "./files";
import type { RestoreKind, RestoreTarget } from "./kind";
import { datasourceFor, lastSegment, parentId, RECOVERY_OPTION, restoreLocation, sourceDatasource } from "./parts";
import { postgresqlFlexibleKind } from "./postgresql-flexible";
import { recoveryPointRequest, rehydrationRules, rehydrationSchema, sourceDataStoreSchema, type Rehydration, type SourceDataStore } from "./rehydration";

/**
 * Azure Database for PostgreSQL single server (`Microsoft.DBforPostgreSQL/servers/databases`): a
 * recovery point restored as a new database (credentials from a Key Vault secret) or as dump files in a
 * blob container, from the vault or the archive tier. Bodies as in the PostgreSQL seed, corrected to
 * the definitions (see test/fixtures/seeds/corrections.ts). Flexible servers are another datasource
 * and another kind (./postgresql-flexible.ts).
 */
export interface PostgreSQLRestoreSpec extends CommonSpec {
  recoveryPoint: RecoveryPointRef;
  sourceDataStore?: SourceDataStore;
  rehydration?: Rehydration;
  target: {
    database?: { id: string; credentialsSecretUri: string };
    files?: { containerUrl: string; filePrefix: string };
  };
}

export type PostgreSQLRestore = SpecEnvelope<"PostgreSQLRestore", PostgreSQLRestoreSpec>;

const schema = (): Schema =>
  specSchema(["recoveryPoint", "target"], {
    recoveryPoint,
    sourceDataStore: sourceDataStoreSchema,
    rehydration: rehydrationSchema,
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
            containerUrl: containerUrlSchema,
            filePrefix: filePrefixSchema("Name prefix of the restored files."),
          },
        },
      },
      oneOf: [{ required: ["database"] }, { required: ["files"] }],
    },
  });

function rules(spec: Obj): FieldProblem[] {
  const out = rehydrationRules(spec);
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
      out.push(
        fieldError(
          ["spec", "target", "database", "id"],
          "SpecFlexibleServerDatabase",
          `a flexible server is not a PostgreSQL single server: Azure Backup restores flexible server backups as files only, with kind ${postgresqlFlexibleKind.name}`,
          `use kind: ${postgresqlFlexibleKind.name} with target.files { containerUrl }`,
        ),
      );
    }
  }
  return out;
}

export const postgresqlKind: RestoreKind<PostgreSQLRestore> = {
  name: "PostgreSQLRestore",
  title: "Azure Database for PostgreSQL single server databases",
  crossRegionRestore: true,
  datasourceTypes: ["Microsoft.DBforPostgreSQL/servers/databases"],
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
      restoreTargetInfo = filesTargetInfo(s.target.files!, location);
      target = filesTarget(s.target.files!);
    }
    const point = resolveRecoveryPoint(s.recoveryPoint, dataStore, facts.recoveryPoints);
    if (!point.ok) return point;
    const recoveryPointId = point.value.id;
    const source = { dataStore, recoveryPointId, ...(point.value.time ? { recoveryPointTime: point.value.time } : {}) };
    return ok({ request: recoveryPointRequest(dataStore, restoreTargetInfo, recoveryPointId, s.rehydration), source, target });
  },

  policyTargets(spec) {
    const db = spec.spec.target.database;
    return { targets: db ? [{ id: db.id, path: ["spec", "target", "database", "id"] }] : [] };
  },

  // learn.microsoft.com/azure/backup/backup-azure-database-postgresql-troubleshoot (UserErrorMSIMissingPermissions:
  // "Give Backup Vault MSI Read access on the PG server you want to back up or restore"; UserErrorContainerNotAccessible:
  // Storage Blob Data Contributor on the account that receives files). A Key Vault named by its secret's URL, and a
  // container named by its URL, have no ARM ID here: those are not checked.
  access(spec, plan) {
    if (plan.target.kind === "database") {
      // The service's refusal quotes the action (recording cross_region_restore: AuthorizationFailed on 'Microsoft.DBforPostgreSQL/servers/read').
      const actions = { actions: ["Microsoft.DBforPostgreSQL/servers/read"] };
      return { needs: [need(ROLES.reader, serverOf(plan.target.id), "the target server", "learn.microsoft.com/azure/backup/backup-azure-database-postgresql-troubleshoot", VAULT, actions)], unchecked: ["the Key Vault of credentialsSecretUri (Key Vault Secrets User, or Get and List on secrets)"] };
    }
    return { needs: [], unchecked: [`the storage account of ${spec.spec.target.files?.containerUrl ?? "the container"} (Storage Blob Data Contributor)`] };
  },

  // A drill restores a new database into the drill's server (named by the source database and the
  // window), or the dump as files into its container.
  drillRestore({ backupInstance, recoveryPoint, target, suffix, facts }) {
    if (!recoveryPoint) return { refusal: "the instance has no recovery point to restore" };
    const source = facts.instance.properties?.dataSourceInfo?.resourceName ?? "db";
    if (target.server) {
      const name = `${source}_${suffix}`.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 63);
      return { spec: { backupInstance, recoveryPoint, target: { database: { id: `${target.server.id}/databases/${name}`, credentialsSecretUri: target.server.credentialsSecretUri } } } };
    }
    if (target.container) return { spec: { backupInstance, recoveryPoint, target: { files: { containerUrl: target.container.url, filePrefix: `${suffix}-${source}` } } } };
    return { refusal: "a PostgreSQL single server drill restores into target.server (a new database) or target.container (as files)" };
  },

  destination(spec) {
    return spec.spec.target;
  },
};
