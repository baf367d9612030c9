import type { AzureBackupRecoveryPointResource } from "../api/types";
import { fieldError, type FieldPath } from "../errors/field";
import { failed, ok, type Result } from "../errors/result";
import type { RecoveryPointRef } from "./model";
import { parseUtcTime } from "./time";

export interface ResolvedRecoveryPoint {
  id: string;
  /** The recovery point's time, when the listing was known. */
  time?: string;
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
 * data store when the listing is known), `latest`, or the newest at or before `latestBefore`. Problems
 * are placed at `path` (the spec's `recoveryPoint` field).
 */
export function resolveRecoveryPoint(
  ref: RecoveryPointRef,
  dataStore: string,
  points: AzureBackupRecoveryPointResource[] | undefined,
  path: FieldPath = ["spec", "recoveryPoint"],
): Result<ResolvedRecoveryPoint> {
  if (typeof ref === "string" && ref !== "latest") {
    if (!points) return ok({ id: ref });
    const found = points.find((p) => idOf(p)?.toLowerCase() === ref.toLowerCase());
    if (!found) return failed(fieldError(path, "PlanRecoveryPointNotFound", `recovery point ${ref} does not exist on this backup instance`, "pick an ID from the recovery point listing, or use latest"));
    if (!inStore(found, dataStore)) {
      return failed(fieldError(path, "PlanRecoveryPointNotInStore", `recovery point ${ref} is not in ${dataStore}`, `restore it from the data store that holds it, or pick a recovery point in ${dataStore}`));
    }
    return ok({ id: idOf(found)!, time: found.properties?.recoveryPointTime });
  }
  if (!points) {
    return failed(
      fieldError(path, "PlanRecoveryPointsUnknown", "`latest` and `latestBefore` are resolved from the recovery point listing, which is not available", "render against the API, pass --recovery-points <file.json>, or give a recovery point ID"),
    );
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
    return failed(fieldError(path, "PlanRecoveryPointNotFound", `no recovery point in ${dataStore}${when}`, "choose a later time, another data store, or check the backup instance's recovery points"));
  }
  return ok({ id: idOf(best.point)!, time: best.point.properties?.recoveryPointTime });
}
