import type { AzureBackupJobResource } from "../api/types";
import type { DataProtectionClient } from "../client/client";
import type { RestorePlan } from "../plan";
import { adoptionCandidates, findAdoptableJob, type AdoptionWindow } from "./restore-state";

/**
 * The job a restore lost in a crash, from a vault's job list: the list narrows the candidates (this
 * instance's restore jobs in the window), and each candidate the list shows without its extendedInfo
 * (as the service lists them) is read once, so its source and destination can be compared.
 */
export async function findLostJob(api: Pick<DataProtectionClient, "getJob">, jobs: AzureBackupJobResource[], plan: RestorePlan, window: AdoptionWindow): Promise<AzureBackupJobResource | undefined> {
  const candidates = adoptionCandidates(jobs, plan, window);
  const full = await Promise.all(candidates.map((job) => (job.properties?.extendedInfo || !job.id ? job : api.getJob(job.id))));
  return findAdoptableJob(full, plan, window);
}
