import { appliesAt, covers, roleGuid } from "../api/rbac";
import type { RoleAssignmentResource, RoleDefinitionResource } from "../api/types";
import type { AccessNeed } from "../kinds/access";

/** An identity as the service knows it: its object ID, and how messages name it. */
export interface Principal {
  principalId: string;
  name: string;
}

/** What was found for one need. */
export type Finding =
  | { state: "granted"; need: AccessNeed; principal: Principal; by: string[] }
  | { state: "missing"; need: AccessNeed; principal: Principal }
  | { state: "unknown"; need: AccessNeed; principal?: Principal; reason: string }
  /** The vault, read, does not have the identity the restore runs under: no role can help. */
  | { state: "noIdentity"; need: AccessNeed; principal?: undefined; reason: string };

export interface AccessReport {
  findings: Finding[];
  /** Scopes the kind cannot name, from the plan (kinds/*.access). */
  unchecked: string[];
}

/** What is known about one principal at one scope. */
export interface ScopeReading {
  /** Its assignments that apply at the scope (inherited ones included); absent when they could not be read. */
  assignments?: RoleAssignmentResource[];
  /** Why the assignments could not be read. */
  unreadable?: string;
}

/**
 * Whether `principal` has `need`: an unconditional assignment, at the need's scope or above it, of the
 * needed role or of any role whose definition grants at least its permissions (Owner, Contributor, a
 * custom role). An assignment with an ABAC condition, or of a role whose definition could not be read,
 * decides nothing: when nothing else grants, the need is `unknown`, not missing. Pure.
 */
export function assess(
  need: AccessNeed,
  principal: Principal,
  reading: ScopeReading,
  definitions: ReadonlyMap<string, RoleDefinitionResource>,
): Finding {
  if (!reading.assignments) return { state: "unknown", need, principal, reason: reading.unreadable ?? "the role assignments could not be read" };
  const applying = reading.assignments.filter(
    (a) => a.properties.principalId.toLowerCase() === principal.principalId.toLowerCase() && appliesAt(a.properties.scope ?? "", need.scope),
  );
  const needed: RoleDefinitionResource | undefined = need.actions
    ? { properties: { roleName: need.role.name, permissions: [need.actions] } }
    : definitions.get(need.role.id.toLowerCase());
  const grants = (a: RoleAssignmentResource): boolean | undefined => {
    const guid = roleGuid(a.properties.roleDefinitionId);
    if (guid === need.role.id.toLowerCase()) return true;
    const role = definitions.get(guid);
    return role && needed ? covers(role, needed) : undefined;
  };
  const by = applying.filter((a) => !a.properties.condition && grants(a) === true);
  if (by.length > 0) return { state: "granted", need, principal, by: by.map((a) => a.id ?? a.name ?? "") };
  const conditional = applying.filter((a) => a.properties.condition && grants(a) === true);
  if (conditional.length > 0) {
    return { state: "unknown", need, principal, reason: `${principal.name} has ${need.role.name} on ${need.scopeName} only under a condition (${conditional[0].properties.condition}), which is not evaluated here` };
  }
  const undecided = applying.filter((a) => grants(a) === undefined);
  if (undecided.length > 0) {
    const roles = [...new Set(undecided.map((a) => roleGuid(a.properties.roleDefinitionId)))].join(", ");
    return { state: "unknown", need, principal, reason: `the definitions of roles ${principal.name} holds there (${roles}) could not be read, so whether they grant ${need.role.name} is not known` };
  }
  return { state: "missing", need, principal };
}
