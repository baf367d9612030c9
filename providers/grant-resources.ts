import * as pulumi from "@pulumi/pulumi";
import type { PlannedGrant } from "../access";

type Authorization = typeof import("@pulumi/azure-native/authorization");
type DataProtection = typeof import("@pulumi/azure-native/dataprotection");
type ContainerService = typeof import("@pulumi/azure-native/containerservice");

const ARM = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)/i;

/**
 * The principal a grant is for, as `@pulumi/azure-native` reads it: the vault's system identity from
 * `dataprotection.getBackupVaultOutput`, a cluster's from `containerservice.getManagedClusterOutput`
 * (system-assigned, else its user-assigned control-plane identity, as Set-AzDataProtectionMSIPermission
 * takes it). Modules are loaded here, so a stack that grants nothing never loads them.
 */
function principalId(grant: PlannedGrant): pulumi.Output<string> {
  const who = grant.principalOf;
  if (who.of === "vault") {
    const dataprotection: DataProtection = require("@pulumi/azure-native/dataprotection");
    const vault = dataprotection.getBackupVaultOutput({ resourceGroupName: who.vault.resourceGroup, vaultName: who.vault.vault });
    return vault.apply((v) => {
      const identity = v.identity;
      if (who.userAssigned) {
        const entry = Object.entries(identity?.userAssignedIdentities ?? {}).find(([id]) => id.toLowerCase() === who.userAssigned!.toLowerCase());
        if (!entry?.[1].principalId) throw new pulumi.RunError(`the Backup vault ${who.vault.vault} has no user-assigned identity ${who.userAssigned} to grant ${grant.roleName} to`);
        return entry[1].principalId;
      }
      if (!identity?.principalId) throw new pulumi.RunError(`the Backup vault ${who.vault.vault} has no system-assigned identity to grant ${grant.roleName} to; enable it on the vault`);
      return identity.principalId;
    });
  }
  const [, resourceGroupName, resourceName] = ARM.exec(who.resourceId) ?? [];
  if (!/\/Microsoft\.ContainerService\/managedClusters\//i.test(who.resourceId) || !resourceName) {
    throw new pulumi.RunError(`azure-restores cannot read the identity of ${who.resourceId} to grant ${grant.roleName}: only AKS clusters are known`);
  }
  const containerservice: ContainerService = require("@pulumi/azure-native/containerservice");
  const cluster = containerservice.getManagedClusterOutput({ resourceGroupName, resourceName });
  return cluster.apply((c) => {
    const identity = c.identity;
    const id = identity?.principalId || Object.values(identity?.userAssignedIdentities ?? {})[0]?.principalId;
    if (!id) throw new pulumi.RunError(`the cluster ${resourceName} has no managed identity to grant ${grant.roleName} to`);
    return id;
  });
}

/** The Pulumi name of a grant: readable, and unique by the assignment's GUID. */
export function grantResourceName(grant: PlannedGrant): string {
  return `grant-${grant.roleName.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${grant.roleAssignmentName.slice(0, 8)}`;
}

/**
 * One `azure-native:authorization:RoleAssignment` per planned grant: at the need's scope, for the
 * identity's principal (type ServicePrincipal, so Azure does not look the principal up in a directory
 * that may not have replicated it yet), named by the grant's GUID. `keep` grants outlive their restore
 * and the stack (retainOnDelete); the others are deleted by the first run after their restores ended.
 */
export function declareGrants(grants: readonly PlannedGrant[], opts: pulumi.CustomResourceOptions = {}): Map<string, pulumi.CustomResource> {
  const out = new Map<string, pulumi.CustomResource>();
  if (grants.length === 0) return out;
  const authorization: Authorization = require("@pulumi/azure-native/authorization");
  for (const grant of grants) {
    const assignment = new authorization.RoleAssignment(
      grantResourceName(grant),
      {
        scope: grant.scope,
        roleAssignmentName: grant.roleAssignmentName,
        roleDefinitionId: grant.roleDefinitionId,
        principalId: principalId(grant),
        principalType: "ServicePrincipal",
        description: "Granted by azure-restores for a restore; revoked after it ends unless a spec keeps it (spec.access).",
      },
      { ...opts, ...(grant.keep ? { retainOnDelete: true } : {}), deleteBeforeReplace: true },
    );
    out.set(grant.roleAssignmentName, assignment);
  }
  return out;
}
