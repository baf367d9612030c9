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

/** Each region's secondary region. */
export const REGION_PAIRS: ReadonlyMap<string, string> = new Map([...PAIRS.flatMap(([a, b]) => [[a, b], [b, a]] as Array<[string, string]>), ...Object.entries(ONE_WAY)]);
