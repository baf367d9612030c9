import * as P from "./patterns";
import { SPEC_API_VERSION, SPEC_KINDS } from "./model";

/**
 * The source of `schemas/restore.schema.json` (written by `npm run schemas`, checked by a test to be
 * current). Shapes live here; relationships between fields (one of pointInTime/recoveryPoint, ranges that
 * overlap, rehydration only with ArchiveStore...) are in ./rules, which words them better than a schema can.
 * `x-fix` is our remedy text for a failed keyword; `patternErrorMessage` is what VS Code shows.
 */
type Schema = Record<string, unknown>;

export const RAW_REQUEST_SCHEMA_FILE = "azure-backup-restore-request.schema.json";

const str = (description: string, extra: Schema = {}): Schema => ({ type: "string", description, ...extra });
const patterned = (description: string, pattern: string, message: string, fix: string, extra: Schema = {}): Schema => ({
  type: "string",
  description,
  pattern,
  patternErrorMessage: message,
  "x-message": message,
  "x-fix": fix,
  ...extra,
});

const utcTime = (description: string) =>
  patterned(description, P.UTC_DATE_TIME, "must be an ISO 8601 date-time in UTC", "write it as 2021-07-08T00:00:00Z (UTC, `Z` suffix)");

const recoveryPoint: Schema = {
  description: "The recovery point to restore from: its ID, `latest`, or `{ latestBefore: <UTC time> }`.",
  oneOf: [
    patterned("Recovery point ID, or `latest`.", P.RECOVERY_POINT_ID, "must be a recovery point ID or `latest`", "use an ID from `az dataprotection recovery-point list`, `latest`, or { latestBefore: <time> }"),
    {
      type: "object",
      additionalProperties: false,
      required: ["latestBefore"],
      properties: { latestBefore: utcTime("Restore the newest recovery point at or before this time.") },
    },
  ],
};

const backupInstance: Schema = {
  description: "The protected backup instance: its ARM ID, or { subscriptionId?, resourceGroup, vault, name }.",
  oneOf: [
    patterned(
      "ARM ID of the backup instance.",
      P.BACKUP_INSTANCE_ID,
      "is not the ARM ID of a backup instance",
      "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.DataProtection/backupVaults/<vault>/backupInstances/<name>, or the { resourceGroup, vault, name } form",
    ),
    {
      type: "object",
      additionalProperties: false,
      required: ["resourceGroup", "vault", "name"],
      properties: {
        subscriptionId: patterned("Subscription ID; the configured default subscription when absent.", `^${P.GUID}$`, "must be a subscription GUID", "copy the GUID from `az account show --query id`"),
        resourceGroup: patterned("Resource group of the Backup vault.", `^${P.RESOURCE_GROUP}$`, "is not a valid resource group name", "use 1-90 ASCII letters, digits, `._()-`, not ending with a period"),
        vault: patterned("Backup vault name.", `^${P.VAULT_NAME}$`, "is not a valid Backup vault name", "use 2-50 letters, digits and hyphens, starting with a letter"),
        name: patterned("Backup instance name.", `^${P.BACKUP_INSTANCE_NAME}$`, "is not a valid backup instance name", "copy the name from `az dataprotection backup-instance list`"),
      },
    },
  ],
};

const common: Record<string, Schema> = {
  backupInstance,
  restoreLocation: patterned(
    "Azure region the restore runs in; default: the backup instance's datasource location.",
    P.AZURE_REGION,
    "is not an Azure region name",
    "use the region's name as `az account list-locations` prints it, e.g. westus",
  ),
  wait: {
    type: "object",
    description: "How the run follows the restore job.",
    additionalProperties: false,
    properties: {
      timeout: patterned("How long the run follows the job (ISO 8601 duration), e.g. PT2H.", P.ISO_DURATION, "must be an ISO 8601 duration", "write it like PT30M, PT2H or P1D"),
    },
  },
  rerun: str("Any string; changing it asks for the same restore again (a new restore job)."),
};

const blobSpec: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["backupInstance"],
  properties: {
    ...common,
    pointInTime: utcTime("Operational tier: restore the account to this point in time (UTC)."),
    recoveryPoint,
    items: {
      type: "object",
      description: "What to restore; absent = the whole account.",
      additionalProperties: false,
      properties: {
        containers: {
          type: "array",
          description: "Containers to restore.",
          minItems: 1,
          items: patterned("Container name.", P.CONTAINER_NAME, "is not a valid container name", "use 3-63 lowercase letters, digits and single hyphens"),
        },
        ranges: {
          type: "array",
          description: "Operational tier: blob name ranges, `from` inclusive, `to` exclusive (`container/prefix`).",
          minItems: 1,
          items: {
            type: "object",
            additionalProperties: false,
            required: ["from", "to"],
            properties: {
              from: patterned("Start of the range (inclusive).", P.BLOB_RANGE_BOUND, "must be 1-1024 printable characters", "write a blob name prefix such as container1/logs/2021"),
              to: patterned("End of the range (exclusive).", P.BLOB_RANGE_BOUND, "must be 1-1024 printable characters", "write a blob name prefix such as container1/logs/2022"),
            },
          },
        },
        prefixes: {
          type: "array",
          description: "Vaulted tier: `container/prefix` of the blobs to restore.",
          minItems: 1,
          items: patterned("`container/prefix`.", P.CONTAINER_PREFIX, "must be `container/prefix`", "write the container name, a slash, then the blob name prefix, e.g. invoices/2021/"),
        },
      },
    },
    target: {
      type: "object",
      description: "Vaulted tier: restore into another storage account; absent = the original account.",
      additionalProperties: false,
      properties: {
        storageAccount: patterned(
          "ARM ID of the target storage account.",
          P.STORAGE_ACCOUNT_ID,
          "is not the ARM ID of a storage account",
          "use /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>",
        ),
      },
    },
  },
};

const postgresSpec: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["backupInstance", "recoveryPoint", "target"],
  properties: {
    ...common,
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
            credentialsSecretUri: patterned(
              "Key Vault secret holding the target server's connection credentials.",
              P.KEY_VAULT_SECRET_URI,
              "is not an https Key Vault secret URL",
              "use https://<vault>.vault.azure.net/secrets/<name>",
            ),
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
  },
};

const rawSpec: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["backupInstance", "request"],
  properties: {
    ...common,
    request: {
      $ref: RAW_REQUEST_SCHEMA_FILE,
      description: "An AzureBackupRestoreRequest body exactly as the restore API takes it (checked against the official definitions).",
    },
  },
};

function kindRule(kind: string, spec: Schema): Schema {
  return { if: { properties: { kind: { const: kind } }, required: ["kind"] }, then: { properties: { spec } } };
}

export function restoreSchema(): Schema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "azure-restores restore spec",
    description: "One restore of Azure Backup data. See README.md.",
    type: "object",
    additionalProperties: false,
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
      apiVersion: { const: SPEC_API_VERSION, description: "Spec format version.", "x-fix": `write apiVersion: ${SPEC_API_VERSION}` },
      kind: { type: "string", enum: [...SPEC_KINDS], description: "What is restored.", "x-fix": `use one of ${SPEC_KINDS.join(", ")}` },
      metadata: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: {
          name: patterned("Unique name of this restore (becomes the Pulumi resource name).", P.SPEC_NAME, "must be 1-63 lowercase letters, digits or hyphens", "rename it, e.g. msblob-all-20210708"),
          description: str("What this restore is for."),
          ticket: str("Change or incident ticket."),
          requestedBy: str("Who asked for it."),
          labels: { type: "object", additionalProperties: { type: "string" }, description: "Free-form labels (string values)." },
        },
      },
      spec: { type: "object" },
    },
    allOf: [kindRule("BlobRestore", blobSpec), kindRule("PostgreSQLRestore", postgresSpec), kindRule("RawRestore", rawSpec)],
  };
}
