import type { AzureBackupRestoreRequest } from "../api/types";

/** The restore spec language, v1: what a `.yaml` file under `restores/` holds once it passed the checks. */
export const SPEC_API_VERSION = "azure-restores/v1";
export const SPEC_KINDS = ["BlobRestore", "PostgreSQLRestore", "RawRestore"] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

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

interface CommonSpec {
  backupInstance: BackupInstanceRef;
  restoreLocation?: string;
  wait?: WaitOptions;
  /** Changing it asks for the same restore again. */
  rerun?: string;
}

export interface BlobItems {
  containers?: string[];
  ranges?: Array<{ from: string; to: string }>;
  prefixes?: string[];
}

export interface BlobRestoreSpec extends CommonSpec {
  pointInTime?: string;
  recoveryPoint?: RecoveryPointRef;
  items?: BlobItems;
  target?: { storageAccount?: string };
}

export interface PostgreSQLRestoreSpec extends CommonSpec {
  recoveryPoint: RecoveryPointRef;
  sourceDataStore?: "VaultStore" | "ArchiveStore";
  rehydration?: { priority: "Standard" | "High"; retention: string };
  target: {
    database?: { id: string; credentialsSecretUri: string };
    files?: { containerUrl: string; filePrefix: string };
  };
}

export interface RawRestoreSpec extends CommonSpec {
  request: AzureBackupRestoreRequest;
}

interface SpecEnvelope<K extends SpecKind, S> {
  apiVersion: typeof SPEC_API_VERSION;
  kind: K;
  metadata: SpecMetadata;
  spec: S;
}

export type BlobRestore = SpecEnvelope<"BlobRestore", BlobRestoreSpec>;
export type PostgreSQLRestore = SpecEnvelope<"PostgreSQLRestore", PostgreSQLRestoreSpec>;
export type RawRestore = SpecEnvelope<"RawRestore", RawRestoreSpec>;
export type RestoreSpec = BlobRestore | PostgreSQLRestore | RawRestore;

/** A spec that passed every check, with where it came from. */
export interface CheckedSpec {
  file: string;
  spec: RestoreSpec;
}
