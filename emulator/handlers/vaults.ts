import { userAssignedIdentities, vaultIdentity } from "../access";
import { secondaryRegionOf } from "../regions";
import { definesProperty } from "../shape";
import { findVault, type Handler } from "./shared";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

/**
 * `BackupVaults_Get`: the vault with its identity, as recorded (update_msi_permissions_disk #4,
 * backup_and_restore_pgflex #0): location, identity, properties (provisioning, storage settings,
 * security settings, secure score), id, name and type. A vault with user-assigned identities shows them
 * with their principal and client IDs, and a geo-redundant vault its secondary region as
 * `replicatedRegions`, as backup_vault_create_with_uami_update_and_delete records (2023-05-01+ define
 * `userAssignedIdentities`, 2023-11-01+ `replicatedRegions`).
 */
export const getBackupVault: Handler = (state, req) => {
  const vault = findVault(state.world, req.params);
  const { userAssignedIdentities: _given, ...identity } = vaultIdentity(vault);
  const uamis = userAssignedIdentities(vault);
  const showUamis = Object.keys(uamis).length > 0 && definesProperty(req.version, "DppIdentityDetails", "userAssignedIdentities");
  const secondary = vault.crossRegionRestore ? secondaryRegionOf(vault) : undefined;
  return {
    status: 200,
    body: {
      location: vault.location,
      identity: { ...identity, ...(showUamis ? { userAssignedIdentities: uamis } : {}), ...(!identity.tenantId && !/^none$/i.test(identity.type ?? "") ? { tenantId: TENANT } : {}) },
      properties: {
        provisioningState: "Succeeded",
        storageSettings: [{ datastoreType: "VaultStore", type: vault.crossRegionRestore ? "GeoRedundant" : "LocallyRedundant" }],
        isVaultProtectedByResourceGuard: false,
        securitySettings: { softDeleteSettings: { state: "Off", retentionDurationInDays: 14 } },
        ...(vault.crossRegionRestore ? { featureSettings: { crossRegionRestoreSettings: { state: "Enabled" } } } : {}),
        secureScore: "None",
        bcdrSecurityLevel: "Poor",
        ...(definesProperty(req.version, "BackupVault", "replicatedRegions") ? { replicatedRegions: secondary ? [secondary] : [] } : {}),
      },
      id: vault.id,
      name: vault.name,
      type: "Microsoft.DataProtection/backupVaults",
    },
  };
};
