import * as pulumi from "@pulumi/pulumi";
import { grantOf, type PlannedGrant } from "../access";
import type { CheckedDrill } from "../checks";
import type { PolicyRules } from "../checks/policy";
import type { VaultAddress } from "../client/client";
import type { DrillSpec } from "../drills/spec";
import { scratchResourceGroupId, scratchResourceGroupName } from "../drills/targets";
import { windowAt, type DrillWindow } from "../drills/windows";
import { KINDS } from "../kinds";
import { need } from "../kinds/access";
import { resolveBackupInstance } from "../language/backup-instance";
import { RestoreDrill } from "./drill-resource";
import { declareGrants } from "./grant-resources";

type Resources = typeof import("@pulumi/azure-native/resources");
type AzureNativeProvider = typeof import("@pulumi/azure-native/provider");

/** One drill as the program declares it: its window, the window's scratch group, the roles granted there. */
export interface ProgramDrill {
  drill: DrillSpec;
  specFile: string;
  window?: DrillWindow;
  /** The window's scratch group; `subscriptionId` when the drill names one (else azure-native's own). */
  scratchGroup?: { name: string; id: string; location: string; subscriptionId?: string };
  grants: PlannedGrant[];
}

/** The vaults whose identities restore a drill's instances. */
function drillVaults(drill: DrillSpec, defaultSubscriptionId?: string): VaultAddress[] {
  const select = drill.spec.select;
  if (select.vault) return [{ subscriptionId: select.vault.subscriptionId ?? defaultSubscriptionId ?? "", resourceGroup: select.vault.resourceGroup, vault: select.vault.name }];
  const byPath = new Map<string, VaultAddress>();
  for (const ref of select.backupInstances ?? []) {
    const address = resolveBackupInstance(ref, defaultSubscriptionId);
    if (address.ok) byPath.set(`${address.value.subscriptionId}/${address.value.resourceGroup}/${address.value.vault}`.toLowerCase(), address.value);
  }
  return [...byPath.values()];
}

/** The roles the kinds a drill may sample need on its scratch group (kinds' drillScratchRoles). */
function scratchRoles(drill: DrillSpec) {
  const type = drill.spec.select.datasourceType?.toLowerCase();
  const kinds = KINDS.filter((k) => !type || k.datasourceTypes.some((t) => t.toLowerCase() === type));
  return [...new Map(kinds.flatMap((k) => k.drillScratchRoles ?? []).map((r) => [r.id, r])).values()];
}

/**
 * Where each drill is at `nowMs`, and what the program declares for it: pure. A drill into scratch
 * groups gets this window's group (the previous window's is no longer declared, so Pulumi deletes it
 * and what the restores put in it), and, with `access: grant | keep`, the roles its restores need
 * there for each vault's identity (deleted with the group).
 */
export function planProgramDrills(drills: readonly CheckedDrill[], nowMs: number, defaultSubscriptionId?: string): ProgramDrill[] {
  return drills.map(({ file, drill }) => {
    const window = windowAt(drill.metadata.name, drill.spec.every, drill.spec.startingFrom, nowMs);
    const group = drill.spec.target.resourceGroup;
    const id = window && group ? scratchResourceGroupId(drill, window, defaultSubscriptionId) : undefined;
    if (!window || !group || !id) return { drill, specFile: file, ...(window ? { window } : {}), grants: [] };
    const scratchGroup = { name: scratchResourceGroupName(drill, window), id, location: group.location, ...(group.subscriptionId ? { subscriptionId: group.subscriptionId } : {}) };
    const granting = (drill.spec.access ?? "check") !== "check";
    const grants: PlannedGrant[] = !granting
      ? []
      : drillVaults(drill, defaultSubscriptionId).flatMap((vault) =>
          scratchRoles(drill).map((role) => ({
            ...grantOf(need(role, id, "the drill's scratch resource group", "drills: the scratch group's kinds (kinds/*.ts drillScratchRoles)"), vault),
            roleName: role.name,
            principalOf: { of: "vault" as const, vault },
            restores: [drill.metadata.name],
            keep: false,
          })),
        );
    return { drill, specFile: file, window, scratchGroup, grants };
  });
}

/** The program's resources for its drills: each window's scratch group and grants, and one RestoreDrill per drill. */
export function declareDrills(planned: readonly ProgramDrill[], policy?: PolicyRules): RestoreDrill[] {
  const providers = new Map<string, pulumi.ProviderResource>();
  // A scratch group in a named subscription is made by an azure-native provider for that subscription.
  const providerFor = (subscriptionId: string): pulumi.ProviderResource => {
    const { Provider }: AzureNativeProvider = require("@pulumi/azure-native/provider");
    if (!providers.has(subscriptionId)) providers.set(subscriptionId, new Provider(`drills-${subscriptionId}`, { subscriptionId }));
    return providers.get(subscriptionId)!;
  };
  return planned.map((p) => {
    const dependsOn: pulumi.Resource[] = [];
    if (p.scratchGroup) {
      const resources: Resources = require("@pulumi/azure-native/resources");
      const provider = p.scratchGroup.subscriptionId ? { provider: providerFor(p.scratchGroup.subscriptionId) } : {};
      const tags = { "azure-restores-drill": p.drill.metadata.name, "azure-restores-window": String(p.window?.index) };
      const group = new resources.ResourceGroup(p.scratchGroup.name, { resourceGroupName: p.scratchGroup.name, location: p.scratchGroup.location, tags }, provider);
      dependsOn.push(group, ...declareGrants(p.grants, { dependsOn: [group], ...provider }).values());
    }
    return new RestoreDrill(p.drill.metadata.name, { drill: p.drill, specFile: p.specFile, ...(p.window ? { window: p.window } : {}), ...(policy ? { policy } : {}), ...(p.grants.length > 0 ? { grants: p.grants } : {}) }, dependsOn.length > 0 ? { dependsOn } : {});
  });
}
