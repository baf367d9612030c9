import { roleDefinitionId } from "../api/roles";
import { nameUuid } from "../api/uuid";
import { vaultPath, type VaultAddress } from "../client/client";
import type { AccessNeed } from "../kinds/access";
import type { Finding } from "./assess";

/**
 * A role assignment a run makes for its restores (`spec.access: grant | keep`), and the record of it the
 * Restore resource carries as input. The assignment's name is a GUID derived from what it grants
 * (identity, role, scope): the same grant has the same name in every run, so the program recognizes its
 * own assignments, and two restores that need the same grant share one.
 */
export interface RestoreGrant {
  /** The role assignment's name (a GUID). */
  roleAssignmentName: string;
  roleDefinitionId: string;
  scope: string;
  /** `vault`, or the ARM ID of the resource whose identity it is for. */
  identity: string;
}

/** A grant the program declares, with who needs it. */
export interface PlannedGrant extends RestoreGrant {
  roleName: string;
  /** The identity, for the program's lookup of its principal. */
  principalOf: { of: "vault"; vault: VaultAddress; userAssigned?: string } | { of: "resource"; resourceId: string; apiVersion: string };
  /** Names of the restores that need it. */
  restores: string[];
  /** Some restore keeps it after it ended (`access: keep`). */
  keep: boolean;
}

function identityKey(need: AccessNeed, vault: VaultAddress): string {
  const identity = need.identity;
  if (identity.of === "resource") return identity.resourceId.toLowerCase();
  return identity.userAssigned ? identity.userAssigned.toLowerCase() : vaultPath(vault).toLowerCase();
}

/** The role assignment name of the grant of `need` to the identity it is for. */
export function grantName(need: AccessNeed, vault: VaultAddress): string {
  return nameUuid(`azure-restores|${identityKey(need, vault)}|${need.role.id.toLowerCase()}|${need.scope.toLowerCase()}`);
}

const subscriptionOf = (id: string): string => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? "";

/** The grant of one need. */
export function grantOf(need: AccessNeed, vault: VaultAddress): RestoreGrant {
  return {
    roleAssignmentName: grantName(need, vault),
    roleDefinitionId: roleDefinitionId(subscriptionOf(need.scope), need.role),
    scope: need.scope,
    identity: need.identity.of === "vault" ? (need.identity.userAssigned ?? "vault") : need.identity.resourceId,
  };
}

/** Whether the run's grants cover a finding (the session's check lets a missing role pass when they do). */
export function grantCovers(grants: readonly RestoreGrant[], finding: Finding, vault: VaultAddress): boolean {
  const name = grantName(finding.need, vault);
  return grants.some((g) => g.roleAssignmentName === name);
}

/**
 * The grants the program declares for the restores that have not ended: per missing need, one grant,
 * shared by every restore that needs it. Pure.
 */
export function plannedGrants(restores: ReadonlyArray<{ name: string; vault: VaultAddress; keep: boolean; findings: Finding[] }>): PlannedGrant[] {
  const byName = new Map<string, PlannedGrant>();
  for (const restore of restores) {
    for (const finding of restore.findings) {
      if (finding.state !== "missing") continue;
      const grant = grantOf(finding.need, restore.vault);
      const existing = byName.get(grant.roleAssignmentName);
      if (existing) {
        if (!existing.restores.includes(restore.name)) existing.restores.push(restore.name);
        existing.keep ||= restore.keep;
        continue;
      }
      const identity = finding.need.identity;
      byName.set(grant.roleAssignmentName, {
        ...grant,
        roleName: finding.need.role.name,
        principalOf:
          identity.of === "vault"
            ? { of: "vault", vault: restore.vault, ...(identity.userAssigned ? { userAssigned: identity.userAssigned } : {}) }
            : { of: "resource", resourceId: identity.resourceId, apiVersion: identity.apiVersion },
        restores: [restore.name],
        keep: restore.keep,
      });
    }
  }
  return [...byName.values()];
}
