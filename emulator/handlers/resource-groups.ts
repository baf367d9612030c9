import { armErrors } from "../errors";
import { groupKey } from "../world/world";
import type { ResourceGroupSpec } from "../world/model";
import type { EngineState, ResourceHandler } from "./shared";

/**
 * Microsoft.Resources' resource groups (ResourceGroups_Get / _CreateOrUpdate / _Delete), as ARM answers
 * them, so a program that declares a group (a restore drill's scratch group, `@pulumi/azure-native`
 * `resources.ResourceGroup`) can create it and remove it with what restores put in it. Any api-version.
 * A deletion answers 200, which the definitions allow beside ARM's usual 202 + Location: the group is
 * gone at once (the emulator's simplification).
 */

function body(subscriptionId: string, group: ResourceGroupSpec) {
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${group.name}`,
    name: group.name,
    type: "Microsoft.Resources/resourceGroups",
    location: group.location,
    ...(group.tags ? { tags: group.tags } : {}),
    properties: { provisioningState: "Succeeded" },
  };
}

function subscriptionOf(state: EngineState, subscriptionId: string): void {
  if (!state.world.subscription(subscriptionId)) throw armErrors.subscriptionNotFound(subscriptionId);
}

export const getResourceGroup: ResourceHandler = (state, req) => {
  const { subscriptionId, resourceGroupName } = req.params;
  subscriptionOf(state, subscriptionId);
  const group = state.world.resourceGroup(subscriptionId, resourceGroupName);
  if (!group) throw armErrors.resourceGroupNotFound(resourceGroupName);
  return { status: 200, body: body(subscriptionId, group) };
};

export const putResourceGroup: ResourceHandler = (state, req) => {
  const { subscriptionId, resourceGroupName } = req.params;
  subscriptionOf(state, subscriptionId);
  const given = req.body as { location?: unknown; tags?: Record<string, string> } | undefined;
  if (typeof given?.location !== "string" || given.location === "") throw armErrors.invalidRequestContent("The 'location' property is required for a resource group.", [{ target: "location", message: "required" }]);
  const existing = state.world.resourceGroup(subscriptionId, resourceGroupName);
  if (existing && existing.location.toLowerCase() !== given.location.toLowerCase()) {
    throw armErrors.invalidRequestContent(`Invalid resource group location '${given.location}'. The Resource group already exists in location '${existing.location}'.`, [{ target: "location", message: "cannot change" }]);
  }
  const group: ResourceGroupSpec = { name: existing?.name ?? resourceGroupName, location: existing?.location ?? given.location, createdMs: existing?.createdMs ?? req.nowMs, ...(given.tags ? { tags: given.tags } : {}) };
  state.store.resourceGroups.set(groupKey(subscriptionId, resourceGroupName), { subscriptionId, group });
  state.changed();
  return { status: existing ? 200 : 201, body: body(subscriptionId, group) };
};

export const deleteResourceGroup: ResourceHandler = (state, req) => {
  const { subscriptionId, resourceGroupName } = req.params;
  subscriptionOf(state, subscriptionId);
  const group = state.world.resourceGroup(subscriptionId, resourceGroupName);
  if (!group) throw armErrors.resourceGroupNotFound(resourceGroupName);
  state.store.resourceGroups.set(groupKey(subscriptionId, resourceGroupName), { subscriptionId, group: { ...group, createdMs: req.nowMs }, deleted: true });
  state.changed();
  return { status: 200 };
};
