import * as fs from "fs";
import * as path from "path";
import type { RoleDefinitionResource, RolePermission } from "../api/types";

/** A role as Microsoft's docs publish it (emulator/roles/<guid>.json, see its README). */
interface PublishedRole {
  id: string;
  name: string;
  roleName: string;
  roleType: string;
  description: string;
  assignableScopes: string[];
  permissions: RolePermission[];
}

const dir = path.join(__dirname, "roles");
let published: PublishedRole[] | undefined;

/** The built-in roles the emulator serves, read once from emulator/roles (next to the compiled file or the source). */
export function builtInRoles(): PublishedRole[] {
  if (!published) {
    const from = fs.existsSync(dir) ? dir : path.join(__dirname, "..", "..", "emulator", "roles");
    published = fs.readdirSync(from).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(fs.readFileSync(path.join(from, f), "utf8")) as PublishedRole);
  }
  return published;
}

let byName: Map<string, PublishedRole> | undefined;

/** A built-in role by its GUID (lower case). */
export function builtInRole(guid: string): PublishedRole | undefined {
  byName ??= new Map(builtInRoles().map((r) => [r.name.toLowerCase(), r]));
  return byName.get(guid);
}

/**
 * A role in the shape `GET {scope}/providers/Microsoft.Authorization/roleDefinitions/{guid}` returns
 * (api-version 2022-04-01): built-in roles are served under any subscription, with that subscription's ID.
 */
export function roleDefinitionResource(role: PublishedRole, subscriptionId?: string): RoleDefinitionResource {
  return {
    id: `${subscriptionId ? `/subscriptions/${subscriptionId}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${role.name}`,
    name: role.name,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: { roleName: role.roleName, type: role.roleType, description: role.description, assignableScopes: role.assignableScopes, permissions: role.permissions },
  };
}
