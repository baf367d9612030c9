import type { RoleAssignmentResource, RoleDefinitionResource, RolePermission } from "./types";

/**
 * Whether one role grants what another does, as Azure RBAC evaluates permissions: actions and data
 * actions are matched without regard to case, `*` anywhere in a pattern stands for any text, and what
 * a permission's notActions / notDataActions take away is not granted by it.
 * (learn.microsoft.com/azure/role-based-access-control/role-definitions: "Actions", "NotActions",
 * "Wildcard operations".) Pure.
 */

const cache = new Map<string, RegExp>();

function pattern(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) cache.set(glob, (re = new RegExp(`^${glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`, "i")));
  return re;
}

/** Whether `granted` matches every action `needed` names (a needed wildcard is read as its text). */
export function matches(granted: string, needed: string): boolean {
  return pattern(granted).test(needed);
}

/** Whether some action matches both patterns (`*` in either stands for any text). */
export function overlaps(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const memo = new Map<number, boolean>();
  const meet = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    else if (x[i] === "*") result = meet(i + 1, j) || (j < y.length && meet(i, j + 1));
    else if (y[j] === "*") result = meet(i, j + 1) || (i < x.length && meet(i + 1, j));
    else result = i < x.length && j < y.length && x[i] === y[j] && meet(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return meet(0, 0);
}

/** Whether one permission block grants `action` of a needed block, given what the needed block itself takes away. */
function grantsAction(granted: RolePermission, action: string, neededNot: string[], kind: "actions" | "dataActions"): boolean {
  const allowed = kind === "actions" ? granted.actions : granted.dataActions ?? [];
  const denied = kind === "actions" ? granted.notActions ?? [] : granted.notDataActions ?? [];
  if (!allowed.some((a) => matches(a, action))) return false;
  // What the granted role takes away must be taken away by the needed one too, where it touches `action`.
  return denied.every((n) => !overlaps(n, action) || neededNot.some((m) => matches(m, n)));
}

/** Whether `role` grants everything `needed` grants. */
export function covers(role: RoleDefinitionResource, needed: RoleDefinitionResource): boolean {
  return needed.properties.permissions.every((want) =>
    (["actions", "dataActions"] as const).every((kind) => {
      const actions = kind === "actions" ? want.actions : want.dataActions ?? [];
      const not = kind === "actions" ? want.notActions ?? [] : want.notDataActions ?? [];
      return actions.every((action) => role.properties.permissions.some((p) => grantsAction(p, action, not, kind)));
    }),
  );
}

/** Whether an assignment made at `assignedAt` applies at `scope`: the same scope or one above it. */
export function appliesAt(assignedAt: string, scope: string): boolean {
  const a = assignedAt.replace(/\/+$/, "").toLowerCase();
  const s = scope.replace(/\/+$/, "").toLowerCase();
  return a === "" || a === s || s.startsWith(`${a}/`);
}

/** The GUID of a role definition ID (`…/roleDefinitions/{guid}`). */
export function roleGuid(roleDefinitionId: string): string {
  return roleDefinitionId.split("/").pop()!.toLowerCase();
}

/**
 * The assignments (of one principal) that give it `needed` at `scope`: any role whose definition covers
 * the needed one's permissions, assigned at the scope or above it.
 */
export function grantingAssignments(
  assignments: RoleAssignmentResource[],
  definitions: ReadonlyMap<string, RoleDefinitionResource>,
  needed: RoleDefinitionResource,
  scope: string,
): RoleAssignmentResource[] {
  return assignments.filter((a) => {
    if (!appliesAt(a.properties.scope ?? "", scope)) return false;
    const role = definitions.get(roleGuid(a.properties.roleDefinitionId));
    return role !== undefined && covers(role, needed);
  });
}
