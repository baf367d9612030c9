import { parseArmId } from "../ids";
import { builtInRoles } from "../role-definitions";
import type { WorldFile } from "./model";

/** The access part of a world file: identities, role assignments, custom roles (see model.ts). */

const principal = { type: "string", pattern: "^[0-9a-fA-F-]{36}$" };

export const IDENTITY_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    type: { type: "string" },
    principalId: principal,
    tenantId: { type: "string" },
    userAssignedIdentities: { type: "object", additionalProperties: { type: "object", properties: { principalId: principal, clientId: { type: "string" } } } },
  },
};

export const ROLE_ASSIGNMENTS_SCHEMA = {
  type: "array",
  items: {
    type: "object",
    required: ["scope", "role", "principalId"],
    additionalProperties: false,
    properties: {
      name: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
      scope: { type: "string", pattern: "^/" },
      role: { type: "string", minLength: 1 },
      principalId: principal,
      principalType: { enum: ["ServicePrincipal", "User", "Group"] },
      condition: { type: "string" },
    },
  },
};

export const ROLE_DEFINITIONS_SCHEMA = {
  type: "array",
  items: {
    type: "object",
    required: ["name", "roleName", "permissions"],
    additionalProperties: false,
    properties: {
      name: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
      roleName: { type: "string" },
      description: { type: "string" },
      assignableScopes: { type: "array", items: { type: "string" } },
      permissions: { type: "array", items: { type: "object", required: ["actions"] } },
    },
  },
};

/** A role a world names: a built-in or custom role's GUID or name, without regard to case. */
export function resolveRole(file: WorldFile, role: string): string | undefined {
  const wanted = role.toLowerCase();
  const all = [...builtInRoles().map((r) => ({ name: r.name, roleName: r.roleName })), ...(file.roleDefinitions ?? [])];
  return all.find((r) => r.name.toLowerCase() === wanted || r.roleName.toLowerCase() === wanted)?.name.toLowerCase();
}

export function accessProblems(file: WorldFile): string[] {
  const problems: string[] = [];
  for (const a of file.roleAssignments ?? []) {
    if (!resolveRole(file, a.role)) problems.push(`role assignment of ${a.principalId} at ${a.scope}: no role '${a.role}' (emulator/roles, or the world's roleDefinitions)`);
    if (a.scope !== "/" && !parseArmId(a.scope)?.subscriptionId) problems.push(`role assignment of ${a.principalId}: scope '${a.scope}' is not '/' or an ARM ID under a subscription`);
  }
  return problems;
}
