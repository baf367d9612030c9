import { normalizeLocation } from "./ids";
import type { VaultSpec } from "./world/model";

/**
 * Azure's region pairs: where a geo-redundant Backup vault's data is replicated, and so where its
 * cross-region restores run (tutorial-cross-region-restore.md: "restore data in a secondary Azure paired
 * region"). From MicrosoftDocs/azure-docs articles/reliability/cross-region-replication-azure.md ("Azure
 * regional pairs", commit 00f4e57), directional where the page says so, plus the canary pair the Azure
 * CLI's recording cross_region_restore shows (a vault in eastus2euap restores at centraluseuap). The same
 * table as the tool's (language/regions.ts), which the emulator may not import.
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

/** The paired (secondary) region of a region, or undefined for a region without a pair. */
export function pairedRegion(region: string): string | undefined {
  return SECONDARY.get(normalizeLocation(region));
}

/** Where a vault's data is replicated: the world's `secondaryRegion`, else the pair of its location. */
export function secondaryRegionOf(vault: Pick<VaultSpec, "location" | "secondaryRegion">): string | undefined {
  return vault.secondaryRegion !== undefined ? normalizeLocation(vault.secondaryRegion) : pairedRegion(vault.location);
}
