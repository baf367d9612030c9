import { appliesAt, roleGuid } from "../api/rbac";
import type { BackupVaultResource, RoleAssignmentResource, RoleDefinitionResource } from "../api/types";
import { vaultPath, type DataProtectionClient, type VaultAddress } from "../client/client";
import { isDataProtectionError } from "../client/errors";
import type { AccessNeed, ResourceIdentity } from "../kinds/access";
import type { RestorePlan } from "../plan";
import { assess, type AccessReport, type Finding, type Principal, type ScopeReading } from "./assess";

/** The reads an access check makes; a test passes a fake. */
export type AccessApi = Pick<DataProtectionClient, "getBackupVault" | "getResource" | "listRoleAssignments" | "getRoleDefinition">;

export interface ReadOptions {
  /** Assignments to leave out (the program's own grants, so that it keeps declaring them). */
  ignore?(assignment: RoleAssignmentResource): boolean;
}

/** The principal of a managed identity, as ARM returns it on the resource (system-assigned first, else the first user-assigned). */
export function principalOf(resource: Pick<BackupVaultResource, "identity">): string | undefined {
  const identity = resource.identity;
  if (identity?.principalId) return identity.principalId;
  return Object.values(identity?.userAssignedIdentities ?? {}).find((u) => u.principalId)?.principalId;
}

/** The vault read, and the identity a restore runs under is not one of its own: a fact, not a doubt. */
interface NoIdentity {
  noIdentity: string;
}

/** A vault's identities, for a message: `system-assigned, drRestoreIdentity`, or `none`. */
function identitiesOf(resource: Pick<BackupVaultResource, "identity">): string {
  const names = [...(resource.identity?.principalId ? ["system-assigned"] : []), ...Object.keys(resource.identity?.userAssignedIdentities ?? {}).map((id) => id.split("/").pop() ?? id)];
  return names.length > 0 ? names.join(", ") : "none";
}

function denied(error: unknown): string | undefined {
  if (!isDataProtectionError(error) || (error.statusCode !== 401 && error.statusCode !== 403)) return undefined;
  return `${error.code}: ${error.serviceMessage}`;
}

const subscriptionOf = (id: string): string | undefined => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];

/**
 * Reads what decides whether a restore's identities hold the roles it needs, once per run: each vault's
 * and resource's principal, each principal's assignments at each scope, each role definition. One per
 * session (the provider's) or per program run; nothing in it outlives the run.
 */
export class AccessReader {
  private readonly principals = new Map<string, Promise<Principal | string | NoIdentity>>();
  private readonly readings = new Map<string, Promise<ScopeReading>>();
  private readonly definitions = new Map<string, Promise<RoleDefinitionResource | undefined>>();

  constructor(private readonly api: AccessApi) {}

  /** Every need of the plan, assessed. Errors other than "not allowed to read" propagate. */
  async report(plan: RestorePlan, options: ReadOptions = {}): Promise<AccessReport> {
    const findings = await Promise.all(plan.access.needs.map((need) => this.finding(plan, need, options)));
    return { findings, unchecked: plan.access.unchecked };
  }

  private async finding(plan: RestorePlan, need: AccessNeed, options: ReadOptions): Promise<Finding> {
    const principal = await this.principal(plan.backupInstance, need);
    if (typeof principal === "string") return { state: "unknown", need, reason: principal };
    if ("noIdentity" in principal) return { state: "noIdentity", need, reason: principal.noIdentity };
    const reading = await this.reading(principal.principalId, need.scope);
    const assignments = reading.assignments?.filter((a) => !options.ignore?.(a));
    const definitions = await this.definitionsFor(need, assignments ?? []);
    return assess(need, principal, { ...reading, ...(assignments ? { assignments } : {}) }, definitions);
  }

  /** The identity a need is for, or why it is not known. */
  private principal(vault: VaultAddress, need: AccessNeed): Promise<Principal | string | NoIdentity> {
    const identity = need.identity;
    const key = identity.of === "vault" ? `${vaultPath(vault)}|${identity.userAssigned ?? "system"}`.toLowerCase() : identity.resourceId.toLowerCase();
    let found = this.principals.get(key);
    if (!found) {
      found = identity.of === "vault" ? this.vaultPrincipal(vault, identity.userAssigned) : this.resourcePrincipal(identity);
      this.principals.set(key, found);
    }
    return found;
  }

  private async vaultPrincipal(vault: VaultAddress, userAssigned?: string): Promise<Principal | string | NoIdentity> {
    try {
      const resource = await this.api.getBackupVault(vault);
      if (userAssigned) {
        const entry = Object.entries(resource.identity?.userAssignedIdentities ?? {}).find(([id]) => id.toLowerCase() === userAssigned.toLowerCase());
        if (!entry) return { noIdentity: `the Backup vault ${vault.vault} has no user-assigned identity ${userAssigned} (its identities: ${identitiesOf(resource)})` };
        if (!entry[1].principalId) return `the Backup vault ${vault.vault} shows no principal for its user-assigned identity ${userAssigned}`;
        return { principalId: entry[1].principalId, name: `the Backup vault ${vault.vault}'s user-assigned identity ${userAssigned.split("/").pop()}` };
      }
      const principalId = resource.identity?.principalId;
      if (!principalId) return { noIdentity: `the Backup vault ${vault.vault} has no system-assigned identity to run the restore under (its identities: ${identitiesOf(resource)})` };
      return { principalId, name: `the Backup vault ${vault.vault}'s system identity` };
    } catch (error) {
      const why = denied(error);
      if (why) return `the vault ${vault.vault} could not be read (${why})`;
      throw error;
    }
  }

  private async resourcePrincipal(identity: ResourceIdentity): Promise<Principal | string> {
    try {
      const principalId = principalOf(await this.api.getResource<Pick<BackupVaultResource, "identity">>(identity.resourceId, identity.apiVersion));
      if (!principalId) return `${identity.resourceId} has no managed identity`;
      return { principalId, name: identity.name };
    } catch (error) {
      const why = denied(error);
      if (why) return `${identity.resourceId} could not be read for its identity (${why})`;
      throw error;
    }
  }

  /**
   * The principal's assignments that apply at `scope`. Listed once per subscription: at a subscription,
   * `$filter=principalId eq` returns the principal's assignments at, above and below it, which covers
   * every scope in it. A caller that may not read them there is asked at the scope itself.
   */
  private async reading(principalId: string, scope: string): Promise<ScopeReading> {
    const subscription = subscriptionOf(scope);
    if (subscription) {
      const wide = await this.list(principalId, `/subscriptions/${subscription}`);
      if (wide.assignments) return wide;
    }
    return this.list(principalId, scope);
  }

  private list(principalId: string, scope: string): Promise<ScopeReading> {
    const key = `${principalId}|${scope}`.toLowerCase();
    let reading = this.readings.get(key);
    if (!reading) {
      reading = this.api.listRoleAssignments(scope, principalId).then(
        (assignments) => ({ assignments }),
        (error) => {
          const why = denied(error);
          if (!why) throw error;
          return { unreadable: `the role assignments at ${scope} could not be read (${why}), so the roles were not checked` };
        },
      );
      this.readings.set(key, reading);
      reading.catch(() => this.readings.delete(key));
    }
    return reading;
  }

  /** The needed role's definition and those of the roles assigned, by GUID; unreadable ones are left out. */
  private async definitionsFor(need: AccessNeed, assignments: RoleAssignmentResource[]): Promise<Map<string, RoleDefinitionResource>> {
    const subscription = subscriptionOf(need.scope);
    const ids = new Map<string, string>();
    if (subscription) ids.set(need.role.id.toLowerCase(), `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${need.role.id}`);
    for (const a of assignments.filter((a) => appliesAt(a.properties.scope ?? "", need.scope))) ids.set(roleGuid(a.properties.roleDefinitionId), a.properties.roleDefinitionId);
    const out = new Map<string, RoleDefinitionResource>();
    await Promise.all(
      [...ids].map(async ([guid, id]) => {
        const definition = await this.definition(guid, id);
        if (definition) out.set(guid, definition);
      }),
    );
    return out;
  }

  private definition(guid: string, id: string): Promise<RoleDefinitionResource | undefined> {
    let found = this.definitions.get(guid);
    if (!found) {
      found = this.api.getRoleDefinition(id).catch((error) => {
        if (denied(error) || (isDataProtectionError(error) && error.statusCode === 404)) return undefined;
        throw error;
      });
      this.definitions.set(guid, found);
    }
    return found;
  }
}
