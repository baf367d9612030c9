import * as fs from "fs";
import type { AzureBackupRecoveryPointResource, BackupInstanceResource } from "../api/types";
import { problem, type Problem } from "../errors/problem";
import { failed, ok, type ProblemResult } from "../errors/result";
import type { BackupInstanceFacts } from "../kinds";

function readJson(file: string, what: string): ProblemResult<unknown> {
  try {
    return ok(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch (error) {
    return failed(problem("RenderFactsUnreadable", `cannot read ${what} from ${file}: ${(error as Error).message}`, { file, remedy: `save the API's response to ${file} as JSON` }));
  }
}

/** Facts from files (offline): the backup instance exactly as GET returns it, and optionally its recovery point listing. */
export function factsFromFiles(instanceFile: string, recoveryPointsFile?: string): ProblemResult<BackupInstanceFacts> {
  const read = readJson(instanceFile, "the backup instance");
  if (!read.ok) return read;
  const instance = read.value as BackupInstanceResource;
  const datasource = instance?.properties?.dataSourceInfo;
  if (!datasource || typeof datasource.resourceID !== "string") {
    return failed(
      problem("RenderFactsInvalid", "the file is not a backup instance: properties.dataSourceInfo.resourceID is missing", {
        file: instanceFile,
        remedy: "save the response of GET .../backupInstances/<name>?api-version=... (az dataprotection backup-instance show)",
      }),
    );
  }
  if (!recoveryPointsFile) return ok({ instance });
  const listing = readJson(recoveryPointsFile, "the recovery points");
  if (!listing.ok) return listing;
  const points = Array.isArray(listing.value) ? listing.value : (listing.value as { value?: unknown })?.value;
  if (!Array.isArray(points)) {
    return failed(problem("RenderFactsInvalid", "the file is not a recovery point listing: expected { value: [...] } or a list", { file: recoveryPointsFile, remedy: "save the response of GET .../recoveryPoints?api-version=..." }));
  }
  return ok({ instance, recoveryPoints: points as AzureBackupRecoveryPointResource[] });
}
