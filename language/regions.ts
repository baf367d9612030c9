import { earliestVersion, supportsCrossRegionRestore, type ApiVersion } from "../api/versions";
import { fieldError, type FieldProblem } from "../errors/field";

/**
 * Azure's region pairs: the secondary region of each paired region, where a geo-redundant Backup vault's
 * data is replicated and a cross-region restore runs. From MicrosoftDocs/azure-docs
 * articles/reliability/cross-region-replication-azure.md ("Azure regional pairs", commit 00f4e57),
 * directional where the page says so (West India → South India, South India → Central India; Brazil South
 * → South Central US, whose own pair is North Central US), plus the canary pair the CLI's recording
 * cross_region_restore shows (eastus2euap → centraluseuap). Names as `az account list-locations` prints them.
 */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ["eastasia", "southeastasia"],
  ["australiaeast", "australiasoutheast"],
  ["australiacentral", "australiacentral2"],
  ["canadacentral", "canadaeast"],
  ["chinanorth", "chinaeast"],
  ["chinanorth2", "chinaeast2"],
  ["chinanorth3", "chinaeast3"],
  ["northeurope", "westeurope"],
  ["francecentral", "francesouth"],
  ["germanywestcentral", "germanynorth"],
  ["japaneast", "japanwest"],
  ["koreacentral", "koreasouth"],
  ["eastus", "westus"],
  ["eastus2", "centralus"],
  ["northcentralus", "southcentralus"],
  ["westus2", "westcentralus"],
  ["norwayeast", "norwaywest"],
  ["southafricanorth", "southafricawest"],
  ["swedencentral", "swedensouth"],
  ["switzerlandnorth", "switzerlandwest"],
  ["ukwest", "uksouth"],
  ["uaenorth", "uaecentral"],
  ["usdodeast", "usdodcentral"],
  ["usgovvirginia", "usgovtexas"],
  ["eastus2euap", "centraluseuap"],
];

/** Pairs that hold in one direction only (the page's notes). */
const ONE_WAY: Readonly<Record<string, string>> = {
  westindia: "southindia",
  southindia: "centralindia",
  centralindia: "southindia",
  brazilsouth: "southcentralus",
  brazilsoutheast: "brazilsouth",
  westus3: "eastus",
  usgovarizona: "usgovtexas",
};

const SECONDARY: ReadonlyMap<string, string> = new Map([...PAIRS.flatMap(([a, b]) => [[a, b], [b, a]] as Array<[string, string]>), ...Object.entries(ONE_WAY)]);

/** `East US 2` / `eastus2` → `eastus2`. */
export function normalizeRegion(region: string): string {
  return region.replace(/\s+/g, "").toLowerCase();
}

/** The secondary region of a region, or undefined for a region without a pair. */
export function secondaryRegionOf(region: string): string | undefined {
  return SECONDARY.get(normalizeRegion(region));
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
