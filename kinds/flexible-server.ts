import { FIRST_VERSION_WITH, supportsTargetResourceArmId } from "../api/versions";
import { ROLES } from "../api/roles";
import { accountOfContainer, need } from "./access";
import { fieldError, type FieldProblem } from "../errors/field";
import { failed, ok } from "../errors/result";
import { isObj, type Obj } from "../language/common-rules";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import * as P from "../language/patterns";
import { resolveRecoveryPoint } from "../language/recovery-point";
import { patterned, recoveryPoint, specSchema, type Schema } from "../language/schema-parts";
import { containerOfUrl, containerUrlSchema, filePrefixSchema, filesTarget, filesTargetInfo, type FilesTarget } from "./files";
import type { RestoreKind } from "./kind";
import { restoreLocation, sourceDatasource } from "./parts";
import { recoveryPointRequest, rehydrationRules, rehydrationSchema, sourceDataStoreSchema, type Rehydration, type SourceDataStore } from "./rehydration";

/**
 * What PostgreSQL and MySQL flexible servers share: Azure Backup restores their recovery points as
 * files only (the CLI manifests' allowedRestoreTargetTypes is [RestoreAsFiles]), from VaultStore or,
 * rehydrated, from ArchiveStore (their supportedDatastoreTypes). The body is the one
 * `az dataprotection backup-instance restore initialize-for-data-recovery-as-files` builds
 * (CLI-custom@52e4; research/kinds/pg-flexible.md and mysql-flexible.md; the MySQL restore recorded in
 * test/fixtures/recordings/backup_and_restore_mysql.json): `RestoreFilesTargetInfo`, no datasource.
 * With no `filePrefix`, the body carries `dummyprefix`, which Az.DataProtection sends for these two
 * datasources (their PowerShell manifests set fileNamePrefixDisabled; PS-Init@0035); the CLI always
 * asks for one (`--target-file-name`).
 */
export interface FlexibleServerFiles {
  containerUrl: string;
  filePrefix?: string;
  containerId?: string;
}

export interface FlexibleServerRestoreSpec extends CommonSpec {
  recoveryPoint: RecoveryPointRef;
  sourceDataStore?: SourceDataStore;
  rehydration?: Rehydration;
  target: { files: FlexibleServerFiles };
}

/** What tells one flexible server kind from the other. */
export interface FlexibleServer<K extends string> {
  name: K;
  /** "PostgreSQL" */
  engine: string;
  datasourceType: string;
}

export const DEFAULT_FILE_PREFIX = "dummyprefix";

const schema = (engine: string) => (): Schema =>
  specSchema(["recoveryPoint", "target"], {
    recoveryPoint,
    sourceDataStore: sourceDataStoreSchema,
    rehydration: rehydrationSchema,
    target: {
      type: "object",
      description: `Where the backup files go: ${engine} flexible servers are restored as files only.`,
      additionalProperties: false,
      required: ["files"],
      properties: {
        files: {
          type: "object",
          additionalProperties: false,
          required: ["containerUrl"],
          properties: {
            containerUrl: containerUrlSchema,
            filePrefix: filePrefixSchema(`Name prefix of the restored files; absent = ${DEFAULT_FILE_PREFIX}.`),
            containerId: patterned(
              `ARM ID of the same container; the service needs it when the storage account is in another subscription than the vault (api-version ${FIRST_VERSION_WITH.targetResourceArmId} or later).`,
              P.BLOB_CONTAINER_ID,
              "is not the ARM ID of a blob container",
              "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<account>/blobServices/default/containers/<container>",
            ),
          },
        },
      },
    },
  });

/** containerId names the container of containerUrl. */
function containerIdRule(files: Obj): FieldProblem[] {
  if (typeof files.containerUrl !== "string" || typeof files.containerId !== "string") return [];
  const fromUrl = containerOfUrl(files.containerUrl);
  const fromId = new RegExp(P.BLOB_CONTAINER_ID).exec(files.containerId);
  if (!fromUrl || !fromId) return []; // the schema reports the form
  const [account, container] = [fromId[3].toLowerCase(), fromId[4].toLowerCase()];
  if (account === fromUrl.account && container === fromUrl.container) return [];
  return [
    fieldError(
      ["spec", "target", "files", "containerId"],
      "SpecContainerIdMismatch",
      `containerId names container '${container}' of account '${account}', containerUrl container '${fromUrl.container}' of account '${fromUrl.account}'`,
      `give the ARM ID of ${files.containerUrl}: …/storageAccounts/${fromUrl.account}/blobServices/default/containers/${fromUrl.container}`,
    ),
  ];
}

function rules(spec: Obj): FieldProblem[] {
  const files = isObj(spec.target) && isObj(spec.target.files) ? spec.target.files : undefined;
  return [...rehydrationRules(spec), ...(files ? containerIdRule(files) : [])];
}

export function flexibleServerKind<K extends string>(server: FlexibleServer<K>): RestoreKind<SpecEnvelope<K, FlexibleServerRestoreSpec>> {
  return {
    name: server.name,
    title: `Azure Database for ${server.engine} flexible servers`,
    crossRegionRestore: true,
    datasourceTypes: [server.datasourceType],
    misplacedFields: {
      pointInTime: `a ${server.engine} flexible server is restored from a recovery point: use recoveryPoint`,
      items: `a ${server.engine} flexible server backup is restored whole, as files`,
    },
    specSchema: schema(server.engine),
    rules,

    recoveryPoint(spec) {
      return { ref: spec.spec.recoveryPoint, dataStore: spec.spec.sourceDataStore ?? "VaultStore" };
    },

    plan(spec, facts, context) {
      const s = spec.spec;
      const given = s.target.files;
      if (given.containerId && !supportsTargetResourceArmId(context.apiVersion)) {
        return failed(
          fieldError(
            ["spec", "target", "files", "containerId"],
            "PlanApiVersionTooOld",
            `the container's ARM ID (sent as targetResourceArmId) needs api-version ${FIRST_VERSION_WITH.targetResourceArmId} or later (this run uses ${context.apiVersion})`,
            `set the api-version to ${FIRST_VERSION_WITH.targetResourceArmId} or later, or remove containerId if the storage account is in the vault's subscription`,
          ),
        );
      }
      const dataStore = s.sourceDataStore ?? "VaultStore";
      const point = resolveRecoveryPoint(s.recoveryPoint, dataStore, facts.recoveryPoints);
      if (!point.ok) return point;
      const files: FilesTarget = { ...given, filePrefix: given.filePrefix ?? DEFAULT_FILE_PREFIX };
      const info = filesTargetInfo(files, restoreLocation(s, sourceDatasource(facts)));
      return ok({
        request: recoveryPointRequest(dataStore, info, point.value.id, s.rehydration),
        source: { dataStore, recoveryPointId: point.value.id, ...(point.value.time ? { recoveryPointTime: point.value.time } : {}) },
        target: filesTarget(files),
      });
    },

    policyTargets(spec) {
      const id = spec.spec.target.files.containerId;
      return { targets: id ? [{ id, path: ["spec", "target", "files", "containerId"] }] : [] };
    },

    // The datasource manifests (backupVaultRestorePermissions: Storage Blob Data Contributor @TargetStorageAccount,
    // for PostgreSQL and MySQL flexible servers alike); the account is named by target.files.containerId.
    access(spec) {
      const account = spec.spec.target.files.containerId ? accountOfContainer(spec.spec.target.files.containerId) : undefined;
      return account
        ? { needs: [need(ROLES.storageBlobDataContributor, account, "the storage account that receives the files", "az dataprotection datasource manifest (backupVaultRestorePermissions)")], unchecked: [] }
        : { needs: [], unchecked: ["the storage account that receives the files (name it with target.files.containerId)"] };
    },

    // A drill restores the server's backup as files into the drill's container, under the window's prefix.
    drillRestore({ backupInstance, recoveryPoint, target, suffix }) {
      if (!recoveryPoint) return { refusal: "the instance has no recovery point to restore" };
      if (!target.container) return { refusal: `a ${server.engine} flexible server restores as files only: give the drill target.container` };
      return { spec: { backupInstance, recoveryPoint, target: { files: { containerUrl: target.container.url, filePrefix: suffix, ...(target.container.id ? { containerId: target.container.id } : {}) } } } };
    },

    destination(spec) {
      return spec.spec.target.files;
    },
  };
}
