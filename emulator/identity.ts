import type { AzureBackupRestoreRequest } from "../api/types";
import { hasSystemIdentity, userAssignedIdentities, vaultIdentity } from "./access";
import type { DpError } from "./errors";
import { sameArmId } from "./ids";
import { dpErrors } from "./service-errors";
import type { Vault } from "./world/model";

/**
 * The identity a restore runs as: `identityDetails` of the restore request (2023-05-01+). "If it is null,
 * default will be considered as System Assigned" (the definitions' description of the property). With
 * `useSystemAssignedIdentity: false` (or a `userAssignedIdentityArmUrl` alone) it is the user-assigned
 * identity the URL names, which must be one of the vault's; its principal is the vault's
 * `identity.userAssignedIdentities[id].principalId`, as Az.DataProtection's Set-AzDataProtectionMSIPermission
 * (Get-VaultIdentity) reads it. Role assignments to that principal are what the access check counts.
 */
export type IdentityDetails = NonNullable<AzureBackupRestoreRequest["identityDetails"]>;

export function restorePrincipal(vault: Vault, details: IdentityDetails | undefined): { principalId: string } | { refusal: DpError } {
  const url = details?.userAssignedIdentityArmUrl;
  const userAssigned = details?.useSystemAssignedIdentity === false || (details?.useSystemAssignedIdentity === undefined && url !== undefined);
  if (userAssigned) {
    const found = Object.entries(userAssignedIdentities(vault)).find(([id]) => sameArmId(id, url));
    return found ? { principalId: found[1].principalId } : { refusal: dpErrors.userAssignedIdentityNotAttached(url ?? "", vault.name) };
  }
  const principalId = hasSystemIdentity(vault) ? vaultIdentity(vault).principalId : undefined;
  return principalId ? { principalId } : { refusal: dpErrors.systemAssignedIdentityNotEnabled(vault.name) };
}
