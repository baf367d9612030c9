import { describe, expect, test } from "vitest";
import type { AzureBackupRestoreRequest, BackupVaultResource, CloudError, OperationResource, RoleAssignmentResource, RoleDefinitionResource } from "../../api/types";
import type { RunningEmulator } from "../../emulator/server";
import { BV, call, pgDatabaseRestore, PG_BI, pollToEnd, SUB, TARGET_SERVER, useTestEmulator } from "./helpers";
import { DISK_BI, diskId, editedWorld, V } from "./kind-helpers";

/**
 * Access in the emulator: the vault's identity, Microsoft.Authorization at any scope (the requests `az
 * role assignment` and the azure-native provider send, recordings update_msi_permissions_*), and the
 * restore rules that refuse a restore whose identity lacks what its kind needs, with the service's code.
 */

const VAULT_PRINCIPAL = "3c6e8f1a-5b2d-4e7f-9a1c-2d4b6e8f0a13";
const TARGET_RG = `/subscriptions/${SUB}/resourceGroups/targetrg`;
const AUTH_V = "2022-04-01";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const DISK_RESTORE_OPERATOR = "b50d9833-a0cb-478e-945f-707fcc997c13";
const roleId = (guid: string) => `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const assignmentPath = (scope: string, name: string) => `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=${AUTH_V}`;

/** The body the CLI and azure-native PUT (update_msi_permissions_disk_61faf6b #4). */
const grant = (role: string, principalId = VAULT_PRINCIPAL) => ({ properties: { roleDefinitionId: roleId(role), principalId, principalType: "ServicePrincipal" } });


function diskRequest(): AzureBackupRestoreRequest {
  const target = diskId("granted-disk");
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    recoveryPointId: "6f1c2a3b4d5e4f60718293a4b5c6d7e8",
    sourceDataStoreType: "OperationalStore",
    restoreTargetInfo: {
      objectType: "RestoreTargetInfo",
      recoveryOption: "FailIfExists",
      restoreLocation: "westus",
      datasourceInfo: { datasourceType: "Microsoft.Compute/disks", objectType: "Datasource", resourceID: target, resourceLocation: "westus", resourceName: "granted-disk", resourceType: "Microsoft.Compute/disks", resourceUri: target },
    },
  };
}

/** validateRestore's verdict: Succeeded, or the operation's error. */
async function validate(emu: RunningEmulator, instance: string, request: AzureBackupRestoreRequest): Promise<OperationResource> {
  const res = await call(emu, "POST", `${instance}/validateRestore?api-version=${V}`, { body: { restoreRequestObject: request } });
  expect(res.status, res.text).toBe(202);
  return (await pollToEnd(emu, String(res.headers["azure-asyncoperation"]), 1)).body;
}

/** The default world without any role assignment. */
const withoutRoles = (settings: Record<string, string> = {}) => editedWorld((w) => {
  w.roleAssignments = [];
  w.settings = { ...w.settings, ...settings };
});

const emu = useTestEmulator();

describe("the vault and Microsoft.Authorization", () => {
  test("GET backupVaults/{vault} returns the vault with its system identity, as recorded", async () => {
    const vault = await call<BackupVaultResource>(emu, "GET", `${BV}?api-version=${V}`);
    expect(vault.status).toBe(200);
    expect(vault.body.identity).toMatchObject({ type: "SystemAssigned", principalId: VAULT_PRINCIPAL });
    expect(vault.body).toMatchObject({ id: BV, name: "testBkpVault", type: "Microsoft.DataProtection/backupVaults", location: "westus" });
  });

  test("a role assignment is PUT (201, the recorded shape), read, listed at, above and below a scope, and deleted", async () => {
    const name = "95a0f5e3-26b1-4737-82cf-ab1c8e974e48";
    const put = await call<RoleAssignmentResource>(emu, "PUT", assignmentPath(TARGET_RG, name), { body: grant(DISK_RESTORE_OPERATOR, "11111111-2222-4333-8444-555555555555") });
    expect(put.status, put.text).toBe(201);
    expect(Object.keys(put.body.properties)).toEqual(["roleDefinitionId", "principalId", "principalType", "scope", "condition", "conditionVersion", "createdOn", "updatedOn", "createdBy", "updatedBy", "delegatedManagedIdentityResourceId", "description"]);
    expect(put.body).toMatchObject({ id: `${TARGET_RG}/providers/Microsoft.Authorization/roleAssignments/${name}`, type: "Microsoft.Authorization/roleAssignments", name, properties: { scope: TARGET_RG, condition: null } });
    expect((await call(emu, "GET", assignmentPath(TARGET_RG, name))).status).toBe(200);

    const list = (scope: string, filter: string) => call<{ value: RoleAssignmentResource[] }>(emu, "GET", `${scope}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(filter)}&api-version=${AUTH_V}`);
    const below = await list(`/subscriptions/${SUB}`, "principalId eq '11111111-2222-4333-8444-555555555555'");
    expect(below.body.value.map((a) => a.name)).toEqual([name]);
    const atDisk = await list(diskId("x"), "atScope()");
    expect(atDisk.body.value.map((a) => a.name)).toContain(name);
    expect((await list(`/subscriptions/${SUB}`, "atScope()")).body.value.map((a) => a.name)).not.toContain(name);

    const twin = await call<CloudError>(emu, "PUT", assignmentPath(TARGET_RG, "0a0a0a0a-0000-4000-8000-000000000001"), { body: grant(DISK_RESTORE_OPERATOR, "11111111-2222-4333-8444-555555555555") });
    expect([twin.status, twin.body.error?.code]).toEqual([409, "RoleAssignmentExists"]);
    const unknownRole = await call<CloudError>(emu, "PUT", assignmentPath(TARGET_RG, "0a0a0a0a-0000-4000-8000-000000000002"), { body: grant("00000000-0000-4000-8000-00000000dead") });
    expect(unknownRole.body.error?.code).toBe("RoleDefinitionDoesNotExist");

    expect((await call(emu, "DELETE", assignmentPath(TARGET_RG, name))).status).toBe(200);
    expect((await call(emu, "DELETE", assignmentPath(TARGET_RG, name))).status).toBe(204);
    expect((await call<CloudError>(emu, "GET", assignmentPath(TARGET_RG, name))).body.error?.code).toBe("RoleAssignmentNotFound");
  });

  test("built-in role definitions are Microsoft's, at any subscription; listed by name as the CLI asks", async () => {
    const reader = await call<RoleDefinitionResource>(emu, "GET", `${roleId(READER)}?api-version=${AUTH_V}`);
    expect(reader.body).toMatchObject({ id: roleId(READER), name: READER, properties: { roleName: "Reader", type: "BuiltInRole", permissions: [{ actions: ["*/read"] }] } });
    const byName = await call<{ value: RoleDefinitionResource[] }>(emu, "GET", `${TARGET_RG}/providers/Microsoft.Authorization/roleDefinitions?$filter=${encodeURIComponent("roleName eq 'Disk Restore Operator'")}&api-version=2022-05-01-preview`);
    expect(byName.body.value.map((d) => d.name)).toEqual([DISK_RESTORE_OPERATOR]);
    const badVersion = await call<CloudError>(emu, "GET", `${roleId(READER)}?api-version=2021-01-01`);
    expect(badVersion.body.error?.code).toBe("NoRegisteredProviderFound");
  });

  test("a tenant-level read (a role definition at /) is served, and counted apart, under ARM's rate limits", async () => {
    emu.control.setFaults([{ kind: "rateLimit", reads: 100, windowSeconds: 60 }]);
    const root = await call<RoleDefinitionResource>(emu, "GET", `/providers/Microsoft.Authorization/roleDefinitions/${READER}?api-version=${AUTH_V}`);
    expect([root.status, root.body.id]).toEqual([200, `/providers/Microsoft.Authorization/roleDefinitions/${READER}`]);
    emu.control.clearFaults();
  });
});

describe("restores whose identity lacks a role", () => {
  test("fail with the kind's code (PostgreSQL as recorded: inner AuthorizationFailed naming action and scope), and pass once the role is assigned", async () => {
    emu.control.loadWorld(withoutRoles());
    const pg = await validate(emu, PG_BI, pgDatabaseRestore("granted"));
    expect(pg.status).toBe("Failed");
    expect(pg.error?.code).toBe("UserErrorMSIMissingPermissions");
    expect(JSON.stringify(pg.error)).toContain(`does not have authorization to perform action 'Microsoft.DBforPostgreSQL/servers/read' over scope '${TARGET_SERVER}'`);
    expect((await validate(emu, DISK_BI, diskRequest())).error?.code).toBe("UserErrorNotEnoughPermissionOnTargetRG");

    await call(emu, "PUT", assignmentPath(TARGET_SERVER, "1b1b1b1b-0000-4000-8000-000000000001"), { body: grant(READER) });
    await call(emu, "PUT", assignmentPath(TARGET_RG, "1b1b1b1b-0000-4000-8000-000000000002"), { body: grant(DISK_RESTORE_OPERATOR) });
    expect((await validate(emu, PG_BI, pgDatabaseRestore("granted"))).status).toBe("Succeeded");
    expect((await validate(emu, DISK_BI, diskRequest())).status).toBe("Succeeded");
  });

  test("an assignment made through the API applies once the world's propagation delay has passed", async () => {
    emu.control.loadWorld(withoutRoles({ roleAssignmentPropagation: "PT2M" }));
    await call(emu, "PUT", assignmentPath(TARGET_RG, "2c2c2c2c-0000-4000-8000-000000000001"), { body: grant(DISK_RESTORE_OPERATOR) });
    // listed at once, as Azure lists it
    expect((await call<{ value: unknown[] }>(emu, "GET", `${TARGET_RG}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()&api-version=${AUTH_V}`)).body.value).toHaveLength(1);
    expect((await validate(emu, DISK_BI, diskRequest())).error?.code).toBe("UserErrorNotEnoughPermissionOnTargetRG");
    emu.control.advance(120);
    expect((await validate(emu, DISK_BI, diskRequest())).status).toBe("Succeeded");
  });

  test("a custom role with the action passes; one that takes it away, or a conditional assignment, does not", async () => {
    const custom = (name: string, notActions: string[]) => ({ name, roleName: `custom ${name}`, permissions: [{ actions: ["Microsoft.Compute/*"], notActions }] });
    emu.control.loadWorld(
      editedWorld((w) => {
        w.roleDefinitions = [custom("3d3d3d3d-0000-4000-8000-000000000001", []), custom("3d3d3d3d-0000-4000-8000-000000000002", ["Microsoft.Compute/disks/write"])];
        w.roleAssignments = [{ scope: TARGET_RG, role: "3d3d3d3d-0000-4000-8000-000000000002", principalId: VAULT_PRINCIPAL }, { scope: TARGET_RG, role: "Disk Restore Operator", principalId: VAULT_PRINCIPAL, condition: "@Resource[x] StringEquals 'y'" }];
      }),
    );
    expect((await validate(emu, DISK_BI, diskRequest())).error?.code).toBe("UserErrorNotEnoughPermissionOnTargetRG");
    emu.control.loadWorld(editedWorld((w) => {
      w.roleDefinitions = [custom("3d3d3d3d-0000-4000-8000-000000000001", [])];
      w.roleAssignments = [{ scope: `/subscriptions/${SUB}`, role: "custom 3d3d3d3d-0000-4000-8000-000000000001", principalId: VAULT_PRINCIPAL }];
    }));
    expect((await validate(emu, DISK_BI, diskRequest())).status).toBe("Succeeded");
  });
});
