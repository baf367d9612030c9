import type { AuthorizationRouteName, RouteDef, RouteMatch } from "./route-types";

/**
 * Microsoft.Authorization's routes, which live under any scope (`/`, a subscription, a resource group,
 * a resource): matched on the path's end, the scope in `params.scope`, and its subscription and resource
 * group in `subscriptionId` / `resourceGroupName` when it has them (so ARM's scope checks apply).
 * Api-versions: 2022-04-01 (what `az role assignment` and azure-native 3.x send, recordings
 * update_msi_permissions_*), 2022-05-01-preview (the CLI's role definition reads, same recordings), and
 * the two earlier previews azure-native lists for RoleAssignment.
 */

export const AUTHORIZATION_API_VERSIONS = ["2020-08-01-preview", "2020-10-01-preview", "2022-04-01", "2022-05-01-preview"] as const;

const AUTH = "{scope}/providers/Microsoft.Authorization";
const route = (name: AuthorizationRouteName, operationId: string, method: RouteDef["method"], tail: string, jsonBody = false): RouteDef => ({
  name,
  operationId,
  method,
  template: `${AUTH}/${tail}`,
  apiVersions: AUTHORIZATION_API_VERSIONS,
  ...(jsonBody ? { jsonBody: true as const } : {}),
});

export const AUTHORIZATION_ROUTES: readonly RouteDef[] = [
  route("listRoleAssignments", "RoleAssignments_ListForScope", "GET", "roleAssignments"),
  route("getRoleAssignment", "RoleAssignments_Get", "GET", "roleAssignments/{roleAssignmentName}"),
  route("putRoleAssignment", "RoleAssignments_Create", "PUT", "roleAssignments/{roleAssignmentName}", true),
  route("deleteRoleAssignment", "RoleAssignments_Delete", "DELETE", "roleAssignments/{roleAssignmentName}"),
  route("listRoleDefinitions", "RoleDefinitions_List", "GET", "roleDefinitions"),
  route("getRoleDefinition", "RoleDefinitions_Get", "GET", "roleDefinitions/{roleDefinitionId}"),
  route("putRoleDefinition", "RoleDefinitions_CreateOrUpdate", "PUT", "roleDefinitions/{roleDefinitionId}", true),
];

/** A Microsoft.Authorization request, or undefined for any other path. */
export function matchAuthorizationRoute(method: string, segments: string[]): RouteMatch | undefined {
  const at = segments.findIndex((s, i) => s.toLowerCase() === "providers" && segments[i + 1]?.toLowerCase() === "microsoft.authorization");
  if (at < 0) return undefined;
  const [collection, name, ...rest] = segments.slice(at + 2);
  const kind = collection?.toLowerCase();
  if ((kind !== "roleassignments" && kind !== "roledefinitions") || rest.length > 0) return undefined;
  const scopeParts = segments.slice(0, at);
  const params: Record<string, string> = { scope: scopeParts.length ? `/${scopeParts.join("/")}` : "" };
  if (scopeParts[0]?.toLowerCase() === "subscriptions" && scopeParts[1]) params.subscriptionId = scopeParts[1];
  if (scopeParts[2]?.toLowerCase() === "resourcegroups" && scopeParts[3]) params.resourceGroupName = scopeParts[3];
  if (name !== undefined) params[kind === "roleassignments" ? "roleAssignmentName" : "roleDefinitionId"] = name;
  const candidates = AUTHORIZATION_ROUTES.filter((r) => r.template.toLowerCase().includes(`/${kind}`) && r.template.includes("{") === true && (name === undefined) === !/\{role(AssignmentName|DefinitionId)\}$/.test(r.template));
  const hit = candidates.find((r) => r.method === method.toUpperCase());
  if (hit) return { kind: "match", route: hit, params, versions: [] };
  return { kind: "method", allowed: candidates.map((r) => r.method) };
}
