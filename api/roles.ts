/**
 * Azure's built-in roles a restore can need, by the GUID of their role definition (the same in every
 * subscription: `/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{id}`). Names and
 * IDs from learn.microsoft.com/azure/role-based-access-control/built-in-roles; what each grants is read
 * from the role definitions API at run time (Azure's, or the emulator's copy of Microsoft's JSON).
 */
export interface BuiltInRole {
  name: string;
  id: string;
}

export const ROLES = {
  owner: { name: "Owner", id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" },
  contributor: { name: "Contributor", id: "b24988ac-6180-42a0-ab88-20f7382dd24c" },
  reader: { name: "Reader", id: "acdd72a7-3385-48ef-bd42-f606fba81ae7" },
  diskRestoreOperator: { name: "Disk Restore Operator", id: "b50d9833-a0cb-478e-945f-707fcc997c13" },
  diskSnapshotContributor: { name: "Disk Snapshot Contributor", id: "7efff54f-a5b4-42b5-a1c5-5411624893ce" },
  storageAccountBackupContributor: { name: "Storage Account Backup Contributor", id: "e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1" },
  storageBlobDataContributor: { name: "Storage Blob Data Contributor", id: "ba92f5b4-2d11-453d-a403-e96b0029c9fe" },
  cosmosDbOperator: { name: "Cosmos DB Operator", id: "230815da-be43-4aae-9cb4-875f7bd000aa" },
  elasticSanVolumeImporter: { name: "Elastic SAN Volume Importer", id: "90e8b822-3e73-47b5-868a-787dc80c008f" },
} as const satisfies Record<string, BuiltInRole>;

/** The ARM ID of a role definition, in the subscription of a scope. */
export function roleDefinitionId(subscriptionId: string, role: BuiltInRole): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`;
}
