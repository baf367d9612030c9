/**
 * Microsoft.Authorization (api-version 2022-04-01), as `az role assignment` and the azure-native provider
 * send and read it (recordings update_msi_permissions_*).
 */
export interface RoleAssignmentResource {
  id?: string;
  name?: string;
  type?: string;
  properties: {
    roleDefinitionId: string;
    principalId: string;
    principalType?: "ServicePrincipal" | "User" | "Group" | "ForeignGroup" | "Device";
    scope?: string;
    condition?: string | null;
    conditionVersion?: string | null;
    createdOn?: string;
    updatedOn?: string;
    createdBy?: string | null;
    updatedBy?: string | null;
    delegatedManagedIdentityResourceId?: string | null;
    description?: string | null;
  };
}

export interface RolePermission {
  actions: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

export interface RoleDefinitionResource {
  id?: string;
  name?: string;
  type?: string;
  properties: {
    roleName: string;
    type?: string;
    description?: string;
    assignableScopes?: string[];
    permissions: RolePermission[];
  };
}
