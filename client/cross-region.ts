import type {
  AzureBackupJobResource,
  AzureBackupRecoveryPointResource,
  CrossRegionRestoreRequestObject,
  FetchSecondaryRPsRequestParameters,
  ResourceList,
} from "../api/types";
import type { CallOptions, Exchanger, RawResult } from "./exchange";
import { DataProtectionError } from "./errors";
import { runLongRunningOperation, type LroOptions, type LroOutcome } from "./lro";

/**
 * The cross-region calls of a vault's secondary region (2023-11-01 and later), all POSTs under
 * `/subscriptions/{s}/resourceGroups/{vault's group}/providers/Microsoft.DataProtection/locations/{secondary}`
 * with the source named in the body (recording cross_region_restore; the CLI's `--use-secondary-region`).
 */
export interface SecondaryRegion {
  /** `.../providers/Microsoft.DataProtection/locations/{secondary}`. */
  locationPath: string;
  /** The vault's own region. */
  sourceRegion: string;
}

type Sender = Exchanger & {
  send<T>(operation: string, method: "GET" | "POST", pathOrUrl: string, options?: CallOptions & { body?: unknown; query?: Record<string, string>; write?: boolean }): Promise<RawResult<T>>;
  /** The client's own long-running operation options (poll schedule). */
  readonly lroOptions?: LroOptions;
};

/** A POSTed list, its further pages read from `nextLink` with GET (as Azure's SDKs read pageable POSTs). */
async function postList<T>(client: Sender, operation: string, path: string, body: unknown, options: CallOptions & { query?: Record<string, string> }): Promise<T[]> {
  const items: T[] = [];
  let result: RawResult<ResourceList<T>> = await client.send<ResourceList<T>>(operation, "POST", path, { ...options, body });
  for (let page = 1; ; page++) {
    items.push(...(result.body?.value ?? []));
    const next = result.body?.nextLink;
    if (!next) return items;
    if (page >= 1000) throw new DataProtectionError({ code: "TooManyPages", serviceMessage: `${operation}: more than 1000 pages`, operation });
    result = await client.send<ResourceList<T>>(operation, "GET", next, options);
  }
}

/** `FetchSecondaryRecoveryPoints_List`: the instance's recovery points as replicated to the secondary region. */
export function fetchSecondaryRecoveryPoints(
  client: Sender,
  region: SecondaryRegion,
  sourceBackupInstanceId: string,
  filter: { startDate?: string; endDate?: string } = {},
  options: CallOptions = {},
): Promise<AzureBackupRecoveryPointResource[]> {
  const body: FetchSecondaryRPsRequestParameters = { sourceBackupInstanceId, sourceRegion: region.sourceRegion };
  const clauses = [filter.startDate ? `startDate eq '${filter.startDate}'` : "", filter.endDate ? `endDate eq '${filter.endDate}'` : ""].filter(Boolean);
  return postList<AzureBackupRecoveryPointResource>(client, "fetchSecondaryRecoveryPoints", `${region.locationPath}/fetchSecondaryRecoveryPoints`, body, {
    ...options,
    ...(clauses.length > 0 ? { query: { $filter: clauses.join(" and ") } } : {}),
  });
}

export function validateCrossRegionRestore(client: Sender, region: SecondaryRegion, body: CrossRegionRestoreRequestObject, options: CallOptions & LroOptions = {}): Promise<LroOutcome> {
  return runLongRunningOperation(client, "validateCrossRegionRestore", () => client.send("validateCrossRegionRestore", "POST", `${region.locationPath}/validateCrossRegionRestore`, { ...options, body }), { ...client.lroOptions, ...options });
}

export function crossRegionRestore(client: Sender, region: SecondaryRegion, body: CrossRegionRestoreRequestObject, options: CallOptions & LroOptions = {}): Promise<LroOutcome> {
  return runLongRunningOperation(client, "crossRegionRestore", () => client.send("crossRegionRestore", "POST", `${region.locationPath}/crossRegionRestore`, { ...options, body, write: true }), {
    ...client.lroOptions,
    ...options,
    finalResult: true,
  });
}

/** `FetchCrossRegionRestoreJob_Get`: a job of a cross-region restore, by the vault it restored from and the job's name. */
export function fetchCrossRegionRestoreJob(client: Sender, region: SecondaryRegion, sourceBackupVaultId: string, jobName: string, options: CallOptions = {}): Promise<AzureBackupJobResource> {
  const body = { sourceRegion: region.sourceRegion, sourceBackupVaultId, jobId: jobName };
  return client.send<AzureBackupJobResource>("fetchCrossRegionRestoreJob", "POST", `${region.locationPath}/fetchCrossRegionRestoreJob`, { ...options, body }).then((r) => r.body);
}

/** `FetchCrossRegionRestoreJobs_List`: the vault's cross-region restore jobs, as the secondary region lists them. */
export function fetchCrossRegionRestoreJobs(client: Sender, region: SecondaryRegion, sourceBackupVaultId: string, options: CallOptions = {}): Promise<AzureBackupJobResource[]> {
  return postList<AzureBackupJobResource>(client, "fetchCrossRegionRestoreJobs", `${region.locationPath}/fetchCrossRegionRestoreJobs`, { sourceRegion: region.sourceRegion, sourceBackupVaultId }, options);
}
