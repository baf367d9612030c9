import type { Registration } from "./engine";
import { call, type EmulatorEndpoint } from "./arm-call";

/**
 * What the azure-native provider does, against the emulator, for the resources the program declares
 * besides its restores and drills: a drill's scratch group (PUT resourceGroups at 2024-03-01) and the
 * role assignments on it (PUT roleAssignments at 2022-04-01, as azure-native 3.x sends them). The
 * principal is the one the program read from the vault (its mocks' answer). Without the plugin, this is
 * how the demo and the tests create them.
 */
export async function createDeclared(emulator: EmulatorEndpoint, registrations: readonly Registration[], subscriptionId: string, principalId: string): Promise<void> {
  for (const reg of registrations.filter((r) => r.type === "azure-native:resources:ResourceGroup")) {
    const sub = subscriptionId;
    const put = await call(emulator, "PUT", `/subscriptions/${sub}/resourceGroups/${reg.inputs.resourceGroupName}?api-version=2024-03-01`, { body: { location: reg.inputs.location, tags: reg.inputs.tags } });
    if (put.status !== 200 && put.status !== 201) throw new Error(`PUT resource group ${reg.inputs.resourceGroupName}: ${put.status} ${put.text}`);
  }
  for (const reg of registrations.filter((r) => r.type === "azure-native:authorization:RoleAssignment")) {
    const put = await call(emulator, "PUT", `${reg.inputs.scope}/providers/Microsoft.Authorization/roleAssignments/${reg.inputs.roleAssignmentName}?api-version=2022-04-01`, {
      body: { properties: { principalId, principalType: "ServicePrincipal", roleDefinitionId: reg.inputs.roleDefinitionId } },
    });
    if (put.status !== 200 && put.status !== 201) throw new Error(`PUT role assignment at ${reg.inputs.scope}: ${put.status} ${put.text}`);
  }
}
