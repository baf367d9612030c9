import { vaultIdentity } from "../access";
import { findVault, type Handler } from "./shared";

/**
 * `BackupVaults_Get`: the vault with its identity, as recorded (update_msi_permissions_disk #4,
 * backup_and_restore_pgflex #0): location, identity, properties (provisioning, storage settings,
 * security settings, secure score), id, name and type.
 */
export const getBackupVault: Handler = (state, req) => {
  const vault = findVault(state.world, req.params);
  const identity = vaultIdentity(vault);
  return {
    status: 200,
    body: {
      location: vault.location,
      identity: { ...identity, ...(identity.principalId && !identity.tenantId ? { tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47" } : {}) },
      properties: {
        provisioningState: "Succeeded",
        storageSettings: [{ datastoreType: "VaultStore", type: vault.crossRegionRestore ? "GeoRedundant" : "LocallyRedundant" }],
        isVaultProtectedByResourceGuard: false,
        securitySettings: { softDeleteSettings: { state: "Off", retentionDurationInDays: 14 } },
        ...(vault.crossRegionRestore ? { featureSettings: { crossRegionRestoreSettings: { state: "Enabled" } } } : {}),
        secureScore: "None",
        bcdrSecurityLevel: "Poor",
        replicatedRegions: [],
      },
      id: vault.id,
      name: vault.name,
      type: "Microsoft.DataProtection/backupVaults",
    },
  };
};
