import { roleGuid } from "../../api/rbac";
import { nameUuid } from "../../api/uuid";
import { assignmentResource, roleAssignments, roleDefinition, roleDefinitions } from "../access";
import { authorizationErrors } from "../authorization-errors";
import { GUID } from "../ids";
import type { RoleAssignmentRecord } from "../store";
import type { ResourceHandler, ResourceRequest } from "./shared";

/**
 * Microsoft.Authorization at any scope, as `az role assignment`, `az role definition` and the
 * azure-native provider call it (api-version 2022-04-01; shapes from the CLI's recordings
 * update_msi_permissions_disk_61faf6b and update_msi_permissions_aks_e91e90f): role assignments listed
 * (`$filter=atScope()`, `principalId eq '…'`, `assignedTo('…')`), read, created and deleted; role
 * definitions read, listed (`$filter=roleName eq '…'`) and created. `params.scope` is the scope's path
 * ("" for the root).
 */

const scopeOf = (req: ResourceRequest): string => req.params.scope || "/";
const norm = (scope: string): string => (scope === "/" ? "" : scope.replace(/\/+$/, "").toLowerCase());
/** `a` is `b` or above it. */
const atOrAbove = (a: string, b: string): boolean => norm(a) === "" || norm(a) === norm(b) || norm(b).startsWith(`${norm(a)}/`);

type AssignmentFilter = (a: RoleAssignmentRecord, scope: string) => boolean;

/** The filters Azure documents for role assignments at a scope (learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope). */
function assignmentFilter(filter: string | undefined): AssignmentFilter | undefined {
  const text = (filter ?? "").trim();
  if (text === "") return (a, scope) => atOrAbove(a.scope, scope) || atOrAbove(scope, a.scope);
  if (/^atScope\(\)$/i.test(text)) return (a, scope) => atOrAbove(a.scope, scope);
  const principal = /^principalId\s+eq\s+'([^']+)'$/i.exec(text);
  if (principal) return (a, scope) => a.principalId.toLowerCase() === principal[1].toLowerCase() && (atOrAbove(a.scope, scope) || atOrAbove(scope, a.scope));
  const assigned = /^assignedTo\('([^']+)'\)$/i.exec(text);
  if (assigned) return (a, scope) => a.principalId.toLowerCase() === assigned[1].toLowerCase() && atOrAbove(a.scope, scope);
  return undefined;
}

export const listRoleAssignments: ResourceHandler = (state, req) => {
  const filter = assignmentFilter(req.query.get("$filter"));
  if (!filter) throw authorizationErrors.unsupportedFilter(req.query.get("$filter") ?? "");
  const scope = scopeOf(req);
  return { status: 200, body: { value: roleAssignments(state.world, state.store).filter((a) => filter(a, scope)).map(assignmentResource) } };
};

function findAssignment(req: ResourceRequest, all: RoleAssignmentRecord[]): RoleAssignmentRecord | undefined {
  const name = req.params.roleAssignmentName.toLowerCase();
  return all.find((a) => a.name.toLowerCase() === name && norm(a.scope) === norm(scopeOf(req)));
}

export const getRoleAssignment: ResourceHandler = (state, req) => {
  const found = findAssignment(req, roleAssignments(state.world, state.store));
  if (!found) throw authorizationErrors.assignmentNotFound(req.params.roleAssignmentName);
  return { status: 200, body: assignmentResource(found) };
};

interface AssignmentBody {
  properties?: { roleDefinitionId?: string; principalId?: string; principalType?: string; description?: string; condition?: string };
}

/** PUT: 201 with the assignment; the same one again 201 as well; another with the same principal, role and scope 409. */
export const putRoleAssignment: ResourceHandler = (state, req) => {
  const name = req.params.roleAssignmentName;
  if (!GUID.test(name)) throw authorizationErrors.invalidAssignmentId(name);
  const p = (req.body as AssignmentBody | undefined)?.properties;
  if (!p?.roleDefinitionId || !p.principalId) throw authorizationErrors.invalidAssignment("properties.roleDefinitionId and properties.principalId are required");
  const scope = scopeOf(req);
  const guid = roleGuid(p.roleDefinitionId);
  if (!roleDefinition(state.world, state.store, guid, scope)) throw authorizationErrors.roleDefinitionDoesNotExist(guid);
  const all = roleAssignments(state.world, state.store);
  const same = findAssignment(req, all);
  if (same) {
    if (roleGuid(same.roleDefinitionId) !== guid || same.principalId.toLowerCase() !== p.principalId.toLowerCase()) throw authorizationErrors.updateNotPermitted();
    return { status: 201, body: assignmentResource(same) };
  }
  const twin = all.find((a) => norm(a.scope) === norm(scope) && roleGuid(a.roleDefinitionId) === guid && a.principalId.toLowerCase() === p.principalId!.toLowerCase() && !a.condition && !p.condition);
  if (twin) throw authorizationErrors.assignmentExists();
  const record: RoleAssignmentRecord = {
    id: `${scope === "/" ? "" : scope.replace(/\/+$/, "")}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope,
    roleDefinitionId: p.roleDefinitionId,
    principalId: p.principalId,
    principalType: p.principalType ?? "ServicePrincipal",
    ...(p.description ? { description: p.description } : {}),
    ...(p.condition ? { condition: p.condition } : {}),
    createdMs: req.nowMs,
  };
  state.store.roleAssignments.set(name.toLowerCase(), record);
  state.changed();
  return { status: 201, body: assignmentResource(record) };
};

/** DELETE: 200 with the assignment removed, 204 when there is none. */
export const deleteRoleAssignment: ResourceHandler = (state, req) => {
  const found = findAssignment(req, roleAssignments(state.world, state.store));
  if (!found) return { status: 204 };
  state.store.roleAssignments.set(found.name.toLowerCase(), { ...found, deleted: true });
  state.changed();
  return { status: 200, body: assignmentResource(found) };
};

export const getRoleDefinition: ResourceHandler = (state, req) => {
  const found = roleDefinition(state.world, state.store, req.params.roleDefinitionId, scopeOf(req));
  if (!found) throw authorizationErrors.roleDefinitionDoesNotExist(req.params.roleDefinitionId);
  return { status: 200, body: found };
};

export const listRoleDefinitions: ResourceHandler = (state, req) => {
  const filter = (req.query.get("$filter") ?? "").trim();
  const byName = /^roleName\s+eq\s+'([^']+)'$/i.exec(filter);
  if (filter !== "" && !byName) throw authorizationErrors.unsupportedFilter(filter);
  const all = roleDefinitions(state.world, state.store, scopeOf(req));
  return { status: 200, body: { value: byName ? all.filter((d) => d.properties.roleName.toLowerCase() === byName[1].toLowerCase()) : all } };
};

interface DefinitionBody {
  properties?: { roleName?: string; description?: string; assignableScopes?: string[]; permissions?: Array<{ actions: string[]; notActions?: string[]; dataActions?: string[]; notDataActions?: string[] }> };
}

/** PUT of a custom role (`az role definition create`): 201 with the definition. */
export const putRoleDefinition: ResourceHandler = (state, req) => {
  const p = (req.body as DefinitionBody | undefined)?.properties;
  if (!p?.roleName || !p.permissions?.length) throw authorizationErrors.invalidAssignment("properties.roleName and properties.permissions are required");
  const name = GUID.test(req.params.roleDefinitionId) ? req.params.roleDefinitionId.toLowerCase() : nameUuid(req.params.roleDefinitionId);
  state.store.roleDefinitions.set(name, { name, scope: scopeOf(req), roleName: p.roleName, description: p.description, assignableScopes: p.assignableScopes ?? [scopeOf(req)], permissions: p.permissions, createdMs: req.nowMs });
  state.changed();
  return { status: 201, body: roleDefinition(state.world, state.store, name, scopeOf(req)) };
};
