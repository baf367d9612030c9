import * as P from "./patterns";

/**
 * Pieces of the spec schema that several kinds use. `x-fix` is our remedy text for a failed keyword,
 * `x-message` our wording of a failed pattern; `patternErrorMessage` is what VS Code shows.
 */
export type Schema = Record<string, unknown>;

export const str = (description: string, extra: Schema = {}): Schema => ({ type: "string", description, ...extra });

export const patterned = (description: string, pattern: string, message: string, fix: string, extra: Schema = {}): Schema => ({
  type: "string",
  description,
  pattern,
  patternErrorMessage: message,
  "x-message": message,
  "x-fix": fix,
  ...extra,
});

export const utcTime = (description: string): Schema =>
  patterned(description, P.UTC_DATE_TIME, "must be an ISO 8601 date-time in UTC", "write it as 2021-07-08T00:00:00Z (UTC, `Z` suffix)");

export const recoveryPoint: Schema = {
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

export const armId = (description: string, pattern: string, what: string, form: string): Schema =>
  patterned(description, pattern, `is not the ARM ID of ${what}`, `use ${form}`);

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

/** The `spec:` fields every kind has (see CommonSpec). */
export const commonSpecFields: Record<string, Schema> = {
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
  fromSecondaryRegion: {
    type: "boolean",
    description:
      "Restore from the vault's secondary region (cross-region restore; a geo-redundant vault with cross-region restore on): recovery points, validation, the restore and its job all go through the secondary region's calls. PostgreSQL and MySQL only.",
  },
  identity: patterned(
    "The identity the restore runs under: `system` (the vault's system-assigned identity, default) or the ARM ID of one of the vault's user-assigned identities (api-version 2023-05-01 or later).",
    `^(?:system|${P.USER_ASSIGNED_IDENTITY_ID.slice(1, -1)})$`,
    "is not `system` or the ARM ID of a user-assigned managed identity",
    "write system, or /subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>",
  ),
  access: {
    type: "string",
    enum: ["check", "grant", "keep"],
    default: "check",
    description:
      "The roles the restore needs (README, Permissions): `check` them in preview and fail when one is missing; `grant` the missing ones with the restore (azure-native RoleAssignments) and revoke them once it has ended; `keep`, grant them and leave them in place.",
    "x-fix": "use check, grant or keep",
  },
};

/** A kind's `spec:` schema: the common fields plus its own, closed. */
export function specSchema(required: string[], properties: Record<string, Schema>, extra: Schema = {}): Schema {
  return { type: "object", additionalProperties: false, required: ["backupInstance", ...required], properties: { ...commonSpecFields, ...properties }, ...extra };
}
