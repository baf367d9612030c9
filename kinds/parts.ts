import type { Datasource } from "../api/types";
import { secondaryRegionOf } from "../language/regions";
import type { CommonSpec } from "../language/model";
import type { BackupInstanceFacts } from "./kind";

/** Pieces of restore bodies that several kinds build the same way, as `az dataprotection` does. */

/** The only recovery option the service defines. */
export const RECOVERY_OPTION = "FailIfExists";

export function lastSegment(id: string): string {
  return id.replace(/\/+$/, "").split("/").pop() ?? id;
}

/** `/…/servers/s/databases/d` → `/…/servers/s`. */
export function parentId(id: string): string {
  return id.split("/").slice(0, -2).join("/");
}

/** The backup instance's datasource (the planner checked it is there). */
export function sourceDatasource(facts: BackupInstanceFacts): Datasource {
  return facts.instance.properties!.dataSourceInfo;
}

/** Where the restore runs: the spec's region, else the datasource's. */
export function restoreLocation(spec: CommonSpec, source: Datasource): string {
  if (spec.restoreLocation) return spec.restoreLocation;
  // A cross-region restore runs in the secondary region: by default the pair of the datasource's region.
  const secondary = spec.fromSecondaryRegion && source.resourceLocation ? secondaryRegionOf(source.resourceLocation) : undefined;
  return secondary ?? source.resourceLocation ?? "";
}

/** The datasource of an alternate-location target: the source's type, the target's ID and name. */
export function datasourceFor(source: Datasource, targetId: string, location: string): Datasource {
  return {
    datasourceType: source.datasourceType,
    objectType: "Datasource",
    resourceID: targetId,
    resourceLocation: location,
    resourceName: lastSegment(targetId),
    resourceType: source.resourceType,
    resourceUri: targetId,
  };
}
