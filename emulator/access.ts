import { appliesAt, matches, roleGuid } from "../api/rbac";
import type { RoleAssignmentResource, RoleDefinitionResource, RolePermission } from "../api/types";
import { nameUuid } from "../api/uuid";
import { parseDuration } from "./format";
import { sameArmId } from "./ids";
import type { Permission } from "./kinds/kind";
import { builtInRole, builtInRoles, roleDefinitionResource } from "./role-definitions";
import type { RoleAssignmentRecord, Store } from "./store";
import { resolveRole } from "./world/access-schema";
import type { IdentitySpec, Vault } from "./world/model";
import type { World } from "./world/world";

/**
 * Azure RBAC as the emulator keeps it: the identities of vaults and resources, the role assignments (the
 * world's and those made through the API, minus those deleted), the role definitions (Microsoft's
 * built-in ones from emulator/roles, the world's custom ones, and those made through the API), and
 * whether a principal may perform an action at a scope. An assignment made through the API is listed
 * at once and applies to restores `settings.roleAssignmentPropagation` later.
 */

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

/**
 * The vault's identity block: the world's, or a system-assigned one; a system-assigned principal the world
 * leaves out derives from the vault's ID.
 */
export function vaultIdentity(vault: Vault): IdentitySpec {
  const derived = nameUuid(`vault-principal|${vault.id.toLowerCase()}`);
  const given = vault.identity;
  if (!given) return { type: "SystemAssigned", principalId: derived, tenantId: TENANT };
  return /systemassigned/i.test(given.type ?? "") && !given.principalId ? { ...given, principalId: derived } : given;
}

/** The principal a managed identity block runs as: system-assigned first, else the first user-assigned. */
export function principalOfIdentity(identity: IdentitySpec | undefined): string | undefined {
  return identity?.principalId ?? Object.values(identity?.userAssignedIdentities ?? {}).find((u) => u.principalId)?.principalId;
}

/** Whether the vault has a system-assigned identity (`SystemAssigned`, `SystemAssigned,UserAssigned`; the default identity is one). */
export function hasSystemIdentity(vault: Vault): boolean {
  const identity = vaultIdentity(vault);
  return identity.type !== undefined ? /systemassigned/i.test(identity.type) : Boolean(identity.principalId);
}

/** The vault's user-assigned identities, ARM ID → principal and client ID; a principal the world leaves out derives from the identity's ID. */
export function userAssignedIdentities(vault: Vault): Record<string, { principalId: string; clientId: string }> {
  return Object.fromEntries(
    Object.entries(vaultIdentity(vault).userAssignedIdentities ?? {}).map(([id, u]) => [
      id,
      { principalId: u.principalId ?? nameUuid(`uami-principal|${id.toLowerCase()}`), clientId: u.clientId ?? nameUuid(`uami-client|${id.toLowerCase()}`) },
    ]),
  );
}

/** Every principal a vault's restores may run as: its system identity's, then each user-assigned one's. */
export function vaultPrincipals(vault: Vault): string[] {
  const system = hasSystemIdentity(vault) ? vaultIdentity(vault).principalId : undefined;
  return [...(system ? [system] : []), ...Object.values(userAssignedIdentities(vault)).map((u) => u.principalId)];
}

/** Every principal the world names: vaults' and resources' identities. */
function knownPrincipals(world: World): string[] {
  const ids = [...world.vaults.flatMap((v) => vaultPrincipals(v)), ...(world.file.resources ?? []).map((r) => principalOfIdentity(r.identity))];
  return [...new Set(ids.filter((id): id is string => Boolean(id)))];
}

const assignmentId = (scope: string, name: string) => `${scope === "/" ? "" : scope.replace(/\/+$/, "")}/providers/Microsoft.Authorization/roleAssignments/${name}`;
const definitionId = (scope: string, guid: string) => `${scope.startsWith("/subscriptions/") ? scope.split("/").slice(0, 3).join("/") : ""}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

/** A world never changes once loaded (a new one is a new object): its assignments are derived once. */
const assignmentsOfWorld = new WeakMap<World, RoleAssignmentRecord[]>();

/** The world's assignments as records; a world that lists none grants every known principal every built-in role at `/`. */
function worldAssignments(world: World): RoleAssignmentRecord[] {
  let records = assignmentsOfWorld.get(world);
  if (!records) assignmentsOfWorld.set(world, (records = deriveWorldAssignments(world)));
  return records;
}

function deriveWorldAssignments(world: World): RoleAssignmentRecord[] {
  const listed = world.file.roleAssignments;
  const specs =
    listed ??
    knownPrincipals(world).flatMap((principalId) => builtInRoles().map((r) => ({ scope: "/", role: r.name, principalId, principalType: "ServicePrincipal" as const, condition: undefined })));
  return specs.map((a) => {
    const guid = resolveRole(world.file, a.role) ?? a.role;
    const name = ("name" in a && a.name) || nameUuid(`world-assignment|${a.scope.toLowerCase()}|${guid}|${a.principalId.toLowerCase()}`);
    return {
      id: assignmentId(a.scope, name),
      name,
      scope: a.scope,
      roleDefinitionId: definitionId(a.scope, guid),
      principalId: a.principalId,
      principalType: a.principalType ?? "ServicePrincipal",
      ...(a.condition ? { condition: a.condition } : {}),
      createdMs: 0,
    };
  });
}

/** Every assignment that exists now: the world's not deleted, and those made through the API. */
export function roleAssignments(world: World, store: Store): RoleAssignmentRecord[] {
  const made = [...store.roleAssignments.values()];
  const gone = new Set(made.map((a) => a.name.toLowerCase()));
  return [...worldAssignments(world).filter((a) => !gone.has(a.name.toLowerCase())), ...made.filter((a) => !a.deleted)];
}

/** An assignment as Microsoft.Authorization returns it (2022-04-01; recording update_msi_permissions_disk_61faf6b #4). */
export function assignmentResource(a: RoleAssignmentRecord): RoleAssignmentResource {
  const at = new Date(a.createdMs).toISOString();
  return {
    properties: {
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType as RoleAssignmentResource["properties"]["principalType"],
      scope: a.scope,
      condition: a.condition ?? null,
      conditionVersion: a.condition ? "2.0" : null,
      createdOn: at,
      updatedOn: at,
      createdBy: null,
      updatedBy: null,
      delegatedManagedIdentityResourceId: null,
      description: a.description ?? null,
    },
    id: a.id,
    type: "Microsoft.Authorization/roleAssignments",
    name: a.name,
  };
}

/** A role definition by GUID, in the shape served at `scope` (built-in, the world's custom, or made through the API). */
export function roleDefinition(world: World, store: Store, guid: string, scope = "/"): RoleDefinitionResource | undefined {
  const key = guid.toLowerCase();
  const subscription = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  const builtIn = builtInRole(key);
  if (builtIn) return roleDefinitionResource(builtIn, subscription);
  const custom = (world.file.roleDefinitions ?? []).find((r) => r.name.toLowerCase() === key) ?? store.roleDefinitions.get(key);
  if (!custom) return undefined;
  return {
    id: definitionId(scope, custom.name),
    name: custom.name,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: { roleName: custom.roleName, type: "CustomRole", description: custom.description ?? "", assignableScopes: custom.assignableScopes ?? ["/"], permissions: custom.permissions },
  };
}

/** Every role definition: built-in, then custom. */
export function roleDefinitions(world: World, store: Store, scope: string): RoleDefinitionResource[] {
  const guids = [...builtInRoles().map((r) => r.name), ...(world.file.roleDefinitions ?? []).map((r) => r.name), ...store.roleDefinitions.keys()];
  return [...new Set(guids.map((g) => g.toLowerCase()))].map((g) => roleDefinition(world, store, g, scope)!).filter(Boolean);
}

export type { Permission };

function permissionGranted(permissions: RolePermission[], want: Permission): boolean {
  return permissions.some((p) => {
    const [allowed, denied, action] = "action" in want ? [p.actions, p.notActions ?? [], want.action] : [p.dataActions ?? [], p.notDataActions ?? [], want.dataAction];
    return allowed.some((a) => matches(a, action)) && !denied.some((n) => matches(n, action));
  });
}

/**
 * Whether `principalId` may do `want` at `scope` at virtual time `nowMs`: some unconditional assignment
 * at the scope or above, in effect (made through the API at least the propagation delay ago), of a role
 * that grants it.
 */
export function permits(world: World, store: Store, principalId: string, scope: string, want: Permission, nowMs: number): boolean {
  const delay = parseDuration(world.settings.roleAssignmentPropagation) ?? 0;
  const principal = principalId.toLowerCase();
  return roleAssignments(world, store).some((a) => {
    if (a.principalId.toLowerCase() !== principal || a.condition || !appliesAt(a.scope === "/" ? "" : a.scope, scope)) return false;
    if (a.createdMs > 0 && a.createdMs + delay > nowMs) return false;
    const role = roleDefinition(world, store, roleGuid(a.roleDefinitionId), a.scope);
    return role !== undefined && permissionGranted(role.properties.permissions, want);
  });
}

/** The identity of a resource the world lists (an AKS cluster), by its ARM ID. */
export function resourcePrincipal(world: World, id: string): string | undefined {
  return principalOfIdentity((world.file.resources ?? []).find((r) => sameArmId(r.id, id))?.identity);
}
