import type { AzureBackupRecoveryPointResource } from "../api/types";
import type { RecoveryPointRef } from "../spec/model";
import { parseUtcTime } from "../spec/time";

export interface ResolvedRecoveryPoint {
  id: string;
  /** The recovery point's time, when the listing was known. */
  time?: string;
}

interface Unresolved {
  problem: { code: string; message: string; remedy: string };
}

function inStore(point: AzureBackupRecoveryPointResource, dataStore: string): boolean {
  const details = point.properties?.recoveryPointDataStoresDetails;
  // A point that lists no data stores is taken to be where the listing was asked for.
  if (!details || details.length === 0) return true;
  return details.some((d) => d.type?.toLowerCase() === dataStore.toLowerCase() && d.visible !== false);
}

function idOf(point: AzureBackupRecoveryPointResource): string | undefined {
  return point.properties?.recoveryPointId ?? point.name;
}

/**
 * Picks the recovery point a spec asks for from the instance's listing: an ID (checked to exist in the
 * data store when the listing is known), `latest`, or the newest at or before `latestBefore`.
 */
export function resolveRecoveryPoint(ref: RecoveryPointRef, dataStore: string, points: AzureBackupRecoveryPointResource[] | undefined): ResolvedRecoveryPoint | Unresolved {
  if (typeof ref === "string" && ref !== "latest") {
    if (!points) return { id: ref };
    const found = points.find((p) => idOf(p)?.toLowerCase() === ref.toLowerCase());
    if (!found) {
      return { problem: { code: "PlanRecoveryPointNotFound", message: `recovery point ${ref} does not exist on this backup instance`, remedy: "pick an ID from the recovery point listing, or use latest" } };
    }
    if (!inStore(found, dataStore)) {
      return { problem: { code: "PlanRecoveryPointNotInStore", message: `recovery point ${ref} is not in ${dataStore}`, remedy: `restore it from the data store that holds it, or pick a recovery point in ${dataStore}` } };
    }
    return { id: idOf(found)!, time: found.properties?.recoveryPointTime };
  }
  if (!points) {
    return { problem: { code: "PlanRecoveryPointsUnknown", message: "`latest` and `latestBefore` are resolved from the recovery point listing, which is not available", remedy: "render against the API, pass --recovery-points <file.json>, or give a recovery point ID" } };
  }
  const before = typeof ref === "object" ? parseUtcTime(ref.latestBefore)?.getTime() : undefined;
  let best: { point: AzureBackupRecoveryPointResource; time: number } | undefined;
  for (const point of points) {
    const time = Date.parse(point.properties?.recoveryPointTime ?? "");
    if (Number.isNaN(time) || !idOf(point) || !inStore(point, dataStore)) continue;
    if (before !== undefined && time > before) continue;
    if (!best || time > best.time) best = { point, time };
  }
  if (!best) {
    const when = typeof ref === "object" ? ` at or before ${ref.latestBefore}` : "";
    return { problem: { code: "PlanRecoveryPointNotFound", message: `no recovery point in ${dataStore}${when}`, remedy: "choose a later time, another data store, or check the backup instance's recovery points" } };
  }
  return { id: idOf(best.point)!, time: best.point.properties?.recoveryPointTime };
}
