export { DataProtectionClient, DEFAULT_ENDPOINT, backupInstancePath, parseJobId, vaultPath, logger, type BackupInstanceAddress, type CallOptions, type DataProtectionClientOptions, type VaultAddress } from "./client";
export { ARM_SCOPE, EmulatorCredential, credentialFor, type CredentialKind } from "./credentials";
export { DataProtectionError, isDataProtectionError } from "./errors";
export { followRestoreJob, jobErrors, jobOutcome, nextPollDelay, type FollowJobOptions, type FollowedJob, type JobOutcome } from "./jobs";
export type { LroOptions, LroOutcome } from "./lro";
export { JobTimings, type JobKind, type JobTimingHint } from "./job-timings";
