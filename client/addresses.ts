import { DataProtectionError } from "./errors";

/** Where a vault, a backup instance and a job are, and their ARM paths (names encoded, one segment each). */

export interface VaultAddress {
  subscriptionId: string;
  resourceGroup: string;
  vault: string;
}

export interface BackupInstanceAddress extends VaultAddress {
  name: string;
}

/**
 * One path segment from a name. Encoded, so no name adds a segment; and never empty, `.` or `..`
 * (URL parsers resolve those, even percent-encoded, into another path).
 */
export function seg(value: string): string {
  if (value === "" || value === "." || value === "..") {
    throw new DataProtectionError({ code: "InvalidResourceName", serviceMessage: `'${value}' is not a resource name`, recommendedAction: ["Use the resource's name as Azure shows it"], isUserError: true });
  }
  return encodeURIComponent(value);
}

export function vaultPath(v: VaultAddress): string {
  return `/subscriptions/${seg(v.subscriptionId)}/resourceGroups/${seg(v.resourceGroup)}/providers/Microsoft.DataProtection/backupVaults/${seg(v.vault)}`;
}

export function backupInstancePath(bi: BackupInstanceAddress): string {
  return `${vaultPath(bi)}/backupInstances/${seg(bi.name)}`;
}

const JOB_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataProtection\/backupVaults\/([^/]+)\/backupJobs\/([A-Za-z0-9-]+)$/i;

/** Splits a restore job's ARM ID (what `restore` returns as `jobId`) into its vault and job name. */
export function parseJobId(jobId: string): { vault: VaultAddress; name: string } | undefined {
  const m = JOB_ID.exec(jobId);
  return m ? { vault: { subscriptionId: m[1], resourceGroup: m[2], vault: m[3] }, name: m[4] } : undefined;
}
