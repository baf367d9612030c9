import { REGION_PAIRS } from "../api/regions";
import { normalizeLocation } from "./ids";
import type { VaultSpec } from "./world/model";

// Azure's region pairs (api/regions.ts): where a geo-redundant Backup vault's data is replicated, and so
// where its cross-region restores run (tutorial-cross-region-restore.md: "restore data in a secondary
// Azure paired region").

/** The paired (secondary) region of a region, or undefined for a region without a pair. */
export function pairedRegion(region: string): string | undefined {
  return REGION_PAIRS.get(normalizeLocation(region));
}

/** Where a vault's data is replicated: the world's `secondaryRegion`, else the pair of its location. */
export function secondaryRegionOf(vault: Pick<VaultSpec, "location" | "secondaryRegion">): string | undefined {
  return vault.secondaryRegion !== undefined ? normalizeLocation(vault.secondaryRegion) : pairedRegion(vault.location);
}
