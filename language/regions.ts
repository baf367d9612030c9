import { earliestVersion, supportsCrossRegionRestore, type ApiVersion } from "../api/versions";
import { REGION_PAIRS } from "../api/regions";
import { fieldError, type FieldProblem } from "../errors/field";

/** `East US 2` / `eastus2` → `eastus2`. */
export function normalizeRegion(region: string): string {
  return region.replace(/\s+/g, "").toLowerCase();
}

/** The secondary region of a region, or undefined for a region without a pair. */
export function secondaryRegionOf(region: string): string | undefined {
  return REGION_PAIRS.get(normalizeRegion(region));
}

/** Where a cross-region restore runs: the region the spec names, else the secondary of the datasource's region. */
export function crossRegionTarget(spec: { restoreLocation?: string }, sourceRegion: string | undefined): string | undefined {
  const region = spec.restoreLocation ?? (sourceRegion ? secondaryRegionOf(sourceRegion) : undefined);
  return region ? normalizeRegion(region) : undefined;
}

/** The base of the cross-region calls: the vault's subscription and resource group, at the secondary region. */
export function crossRegionLocationPath(vault: { subscriptionId: string; resourceGroup: string }, region: string): string {
  return `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.DataProtection/locations/${normalizeRegion(region)}`;
}

const CRR_SINCE = earliestVersion(supportsCrossRegionRestore);

/**
 * The regions of a restore from the secondary region (the vault's, and the one it runs in), or why it
 * cannot run there: an api-version without the cross-region calls, no region known for the datasource,
 * a region without a pair, or the vault's own region named. Checked before any call is made, so the
 * reason is this, not the answer of a call sent to the wrong place.
 */
export function secondaryRegionRoute(
  spec: { fromSecondaryRegion?: boolean; restoreLocation?: string },
  sourceRegion: string | undefined,
  apiVersion: ApiVersion,
): { value?: { sourceRegion: string; targetRegion: string }; problems: FieldProblem[] } {
  const at = ["spec", "fromSecondaryRegion"];
  if (!supportsCrossRegionRestore(apiVersion)) {
    return { problems: [fieldError(at, "PlanApiVersionTooOld", `a cross-region restore needs api-version ${CRR_SINCE} or later (this run uses ${apiVersion})`, `set the api-version to ${CRR_SINCE} or later`)] };
  }
  if (!sourceRegion) return { problems: [fieldError(at, "PlanNoSourceRegion", "the backup instance names no region for its datasource", "check the backup instance's dataSourceInfo.resourceLocation")] };
  const targetRegion = crossRegionTarget(spec, sourceRegion) ?? "";
  if (!targetRegion) {
    return { problems: [fieldError(at, "PlanNoSecondaryRegion", `the vault's region ${sourceRegion} has no Azure region pair, so no secondary region to restore from`, "name the secondary region with spec.restoreLocation")] };
  }
  if (targetRegion === normalizeRegion(sourceRegion)) {
    return { problems: [fieldError(["spec", "restoreLocation"], "PlanSecondaryIsPrimary", `${targetRegion} is the vault's own region: a cross-region restore runs in its secondary region (${secondaryRegionOf(sourceRegion) ?? "none known"})`, "remove spec.restoreLocation, or set it to the vault's secondary region")] };
  }
  return { value: { sourceRegion: normalizeRegion(sourceRegion), targetRegion }, problems: [] };
}
