import type { ApiVersion } from "../api/versions";

/** The emulator's route names and the shape of a route, apart so the route tables can share them. */

export type RouteName =
  | "getBackupVault"
  | "listBackupInstances"
  | "getBackupInstance"
  | "findRestorableTimeRanges"
  | "listRecoveryPoints"
  | "getRecoveryPoint"
  | "validateRestore"
  | "restore"
  | "rehydrate"
  | "operationStatus"
  | "operationResults"
  | "listJobs"
  | "getJob"
  | "crossRegionRestore"
  | "validateCrossRegionRestore"
  | "fetchSecondaryRecoveryPoints"
  | "fetchCrossRegionRestoreJob"
  | "fetchCrossRegionRestoreJobs"
  | ResourceRouteName;

/** Routes of other providers: resources that restores create (`RESOURCE_ROUTES`), and Microsoft.Authorization at any scope (authorization-routes.ts). */
export type ResourceRouteName = "getDisk" | "getPostgresDatabase" | "getResourceGroup" | "putResourceGroup" | "deleteResourceGroup" | AuthorizationRouteName;

export interface RouteDef {
  /** Operation name used in logs and fault rules. */
  name: RouteName;
  /** operationId in the definitions. */
  operationId: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  template: string;
  /** Definition of the request body, when the operation takes one. */
  bodyDefinition?: string;
  /** Definition of the 200 response. */
  responseDefinition?: string;
  /** Another provider's resource: served at any api-version (that provider's own), never checked against the Data Protection definitions. */
  anyApiVersion?: true;
  /** Another provider's api-versions this route serves (checked, but not against the Data Protection definitions). */
  apiVersions?: readonly string[];
  /** The body is JSON the handler reads itself (another provider's, with no definition here). */
  jsonBody?: true;
  /**
   * Top-level body properties the service accepts that the definitions do not declare, accepted even with
   * `--strict` (and dropped before the check): the `objectType` the Azure CLI sends on the cross-region
   * restore bodies (recording cross_region_restore #4), which no definition of 2023-11-01+ declares there.
   */
  undeclaredBodyProperties?: readonly string[];
}

export type AuthorizationRouteName =
  | "listRoleAssignments"
  | "getRoleAssignment"
  | "putRoleAssignment"
  | "deleteRoleAssignment"
  | "listRoleDefinitions"
  | "getRoleDefinition"
  | "putRoleDefinition";

export type RouteMatch =
  | { kind: "match"; route: RouteDef; params: Record<string, string>; versions: ApiVersion[] }
  | { kind: "method"; allowed: string[] }
  | { kind: "none" };
