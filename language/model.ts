/**
 * The restore spec language, v1: the envelope every `.yaml` file under `restores/` has, and the fields
 * every kind shares. What differs by kind (its `spec:` fields) is in that kind's module under kinds/.
 */
export const SPEC_API_VERSION = "azure-restores/v1";

export interface SpecMetadata {
  name: string;
  description?: string;
  ticket?: string;
  requestedBy?: string;
  labels?: Record<string, string>;
}

export interface BackupInstanceParts {
  subscriptionId?: string;
  resourceGroup: string;
  vault: string;
  name: string;
}

/** An ARM ID string, or its parts (subscription optional: the configured default then applies). */
export type BackupInstanceRef = string | BackupInstanceParts;

/** A recovery point ID, the newest one, or the newest one at or before a time. */
export type RecoveryPointRef = string | { latestBefore: string };

export interface WaitOptions {
  /** ISO 8601 duration the run follows the restore job. */
  timeout?: string;
}

/**
 * What the run does about the roles the restore needs (kinds/*.access): `check` them in preview and fail
 * when one is missing; `grant` the missing ones with the restore and revoke them once it has ended;
 * `keep`, grant them and leave them in place.
 */
export type AccessMode = "check" | "grant" | "keep";
export const ACCESS_MODES: readonly AccessMode[] = ["check", "grant", "keep"];

/** Fields of `spec:` that every kind has. */
export interface CommonSpec {
  backupInstance: BackupInstanceRef;
  restoreLocation?: string;
  wait?: WaitOptions;
  /** Changing it asks for the same restore again. */
  rerun?: string;
  /** Default `check`. */
  access?: AccessMode;
  /** Restore from the vault's secondary region (cross-region restore). */
  fromSecondaryRegion?: boolean;
  /** `system` (default) or the ARM ID of a user-assigned identity of the vault. */
  identity?: "system" | string;
}

/** One spec file's value once it passed the checks: `kind` names the module that reads `spec`. */
export interface SpecEnvelope<K extends string, S extends CommonSpec> {
  apiVersion: typeof SPEC_API_VERSION;
  kind: K;
  metadata: SpecMetadata;
  spec: S;
}

/** A checked spec of some kind, as generic code sees it. */
export type AnySpec = SpecEnvelope<string, CommonSpec>;
