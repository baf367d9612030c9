import type { BuiltInRole } from "../api/roles";
import type { BackupInstanceResource, RolePermission } from "../api/types";

/**
 * What a restore needs to be allowed to do: a built-in role (or any role granting as much), on a scope,
 * for an identity. Each kind module states its needs with the source of each (the CLI's and the
 * cmdlets' datasource manifests, the Azure Backup restore docs); checks/, the provider and the program
 * read them.
 */
export interface AccessNeed {
  role: BuiltInRole;
  /** ARM ID of the scope the role is needed on. */
  scope: string;
  /** What the scope is, for messages: "the target resource group". */
  scopeName: string;
  /** Whose identity needs it: the vault's (the one the restore runs under), or a resource's own (an AKS cluster's). */
  identity: VaultIdentity | ResourceIdentity;
  /** Where the need is documented. */
  source: string;
  /**
   * The operations the restore performs there, where a source names them (a service error that quotes
   * the action it was refused): a role granting these is enough. Without them, a role must grant all
   * the named role does.
   */
  actions?: RolePermission;
}

/** The Backup vault's identity a restore runs under: its system-assigned one, or the user-assigned one the spec names. */
export interface VaultIdentity {
  of: "vault";
  /** ARM ID of one of the vault's user-assigned identities (`spec.identity`). */
  userAssigned?: string;
}

/** The managed identity of another resource (an AKS cluster's), read with a GET of the resource at `apiVersion`. */
export interface ResourceIdentity {
  of: "resource";
  resourceId: string;
  /** For messages: "the target cluster's identity". */
  name: string;
  apiVersion: string;
}

/** A kind's needs for one restore, and what it cannot check (a scope the spec does not name). */
export interface RestoreAccess {
  needs: AccessNeed[];
  unchecked: string[];
}

export const VAULT = { of: "vault" } as const;

const RG = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+)(\/|$)/i;

/** `/subscriptions/s/resourceGroups/g/...` → `/subscriptions/s/resourceGroups/g`. */
export function resourceGroupOf(id: string): string | undefined {
  return RG.exec(id)?.[1];
}

/** A container's ARM ID (`…/storageAccounts/a/blobServices/default/containers/c`) → its storage account's. */
export function accountOfContainer(containerId: string): string | undefined {
  const at = containerId.search(/\/blobServices\//i);
  return at > 0 ? containerId.slice(0, at) : undefined;
}

/**
 * The resource group of the operational store's snapshots, as the backup instance's policy parameters
 * name it (`AzureOperationalStoreParameters.resourceGroupId`, set when protection was configured).
 */
export function snapshotResourceGroup(facts: { instance: BackupInstanceResource }): string | undefined {
  const parameters = facts.instance.properties?.policyInfo?.policyParameters as { dataStoreParametersList?: Array<{ dataStoreType?: string; resourceGroupId?: string }> } | undefined;
  return parameters?.dataStoreParametersList?.find((p) => p.dataStoreType === "OperationalStore" && p.resourceGroupId)?.resourceGroupId;
}

export function need(role: BuiltInRole, scope: string, scopeName: string, source: string, identity: AccessNeed["identity"] = VAULT, actions?: RolePermission): AccessNeed {
  return { role, scope, scopeName, identity, source, ...(actions ? { actions } : {}) };
}
