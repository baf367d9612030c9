import { armErrors } from "../errors";
import { parseArmId, sameArmId } from "../ids";
import { kindOf } from "../kinds";
import { jobState } from "../views";
import type { ResourceSpec } from "../world/model";
import type { EngineState, ResourceHandler } from "./shared";

/**
 * Other providers' resources, as ARM returns them: those the world lists (`resources`), and those that
 * completed restores created (a kind's `createdResource`: a restored disk). The body is a plain ARM
 * resource: id, name, type, location and properties (the world's, or what the restore made).
 */

/** A resource of another provider as ARM returns it. */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  properties: Record<string, unknown>;
}

/**
 * What restore jobs that completed by `nowMs` (and since `sinceMs`) created, besides what they restored
 * into the world's resources; not what a job accepted under the bad-data switch `missing` left out (data-planes/).
 */
export function createdResources(state: EngineState, nowMs: number, sinceMs = 0): ResourceSpec[] {
  return [...state.store.jobs.values()].flatMap((job) => {
    const { done, status, endMs } = jobState(job, nowMs);
    if (!done || status === "Failed" || job.restoredData === "missing" || (endMs ?? 0) < sinceMs) return [];
    const instance = state.world.backupInstanceById(job.base.backupInstanceId ?? "");
    const created = instance ? kindOf(instance.datasourceType)?.createdResource?.({ target: job.target, instance, world: state.world, endMs }) : undefined;
    return created ? [created] : [];
  });
}

/** A resource in a group that exists: a deleted group took its resources with it, a group created again starts empty. */
function resourceById(state: EngineState, id: string, nowMs: number): ResourceSpec | undefined {
  const parsed = parseArmId(id);
  const group = parsed?.resourceGroup ? state.world.resourceGroup(parsed.subscriptionId, parsed.resourceGroup) : undefined;
  if (!group) return undefined;
  return (group.createdMs === undefined ? state.world.resource(id) : undefined) ?? createdResources(state, nowMs, group.createdMs).find((r) => sameArmId(r.id, id));
}

function armResource(spec: ResourceSpec, type: string, resourceGroupLocation: string | undefined): ArmResource {
  const location = spec.location ?? resourceGroupLocation;
  return {
    id: spec.id,
    name: parseArmId(spec.id)?.resources.at(-1)?.name ?? spec.id,
    type,
    ...(location !== undefined ? { location } : {}),
    properties: { provisioningState: "Succeeded", ...spec.properties },
  };
}

/** `Disks_Get`: a disk the world lists or a completed restore created; ARM's 404 otherwise. */
export const getDisk: ResourceHandler = (state, req) => {
  const { subscriptionId, resourceGroupName, diskName } = req.params;
  const type = "Microsoft.Compute/disks";
  const disk = resourceById(state, `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/${type}/${diskName}`, req.nowMs);
  if (!disk) throw armErrors.resourceNotFound(type, diskName, resourceGroupName);
  return { status: 200, body: armResource(disk, type, state.world.resourceGroup(subscriptionId, resourceGroupName)?.location) };
};

/** `Databases_Get` of a PostgreSQL single server: a database the world's server has, or one a completed restore created. */
export const getPostgresDatabase: ResourceHandler = (state, req) => {
  const { subscriptionId, resourceGroupName, serverName, databaseName } = req.params;
  const type = "Microsoft.DBforPostgreSQL/servers/databases";
  const serverId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.DBforPostgreSQL/servers/${serverName}`;
  const id = `${serverId}/databases/${databaseName}`;
  const listed = state.world.postgresqlServer(serverId)?.databases?.some((d) => d.toLowerCase() === databaseName.toLowerCase());
  const database = listed ? { id, properties: { charset: "UTF8", collation: "English_United States.1252" } } : resourceById(state, id, req.nowMs);
  if (!database) throw armErrors.resourceNotFound(type, `${serverName}/${databaseName}`, resourceGroupName);
  const body = armResource(database, type, undefined);
  delete body.location;
  return { status: 200, body };
};
