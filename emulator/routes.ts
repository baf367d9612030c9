import { loadDefinitions } from "../api/definitions";
import { API_VERSIONS, type ApiVersion } from "../api/versions";
import { AUTHORIZATION_ROUTES, matchAuthorizationRoute } from "./authorization-routes";

/**
 * The routing table: each emulated operation with its path template written exactly as in the
 * definitions. Which api-versions serve a route is read from the definitions themselves (a route exists
 * in a version when that version's `paths` has the template and method), so the table cannot drift from
 * them. Literal segments match without regard to case, as ARM matches them.
 */
export type { AuthorizationRouteName, ResourceRouteName, RouteDef, RouteMatch, RouteName } from "./route-types";
import type { ResourceRouteName, RouteDef, RouteMatch, RouteName } from "./route-types";

const SUB = "/subscriptions/{subscriptionId}";
const RG = `${SUB}/resourceGroups/{resourceGroupName}`;
const BV = `${RG}/providers/Microsoft.DataProtection/backupVaults/{vaultName}`;
const BI = `${BV}/backupInstances/{backupInstanceName}`;
const LOC_RG = `${RG}/providers/Microsoft.DataProtection/locations/{location}`;

export const ROUTES: readonly RouteDef[] = [
  { name: "getBackupVault", operationId: "BackupVaults_Get", method: "GET", template: BV, responseDefinition: "BackupVaultResource" },
  { name: "listBackupInstances", operationId: "BackupInstances_List", method: "GET", template: `${BV}/backupInstances`, responseDefinition: "BackupInstanceResourceList" },
  { name: "getBackupInstance", operationId: "BackupInstances_Get", method: "GET", template: BI, responseDefinition: "BackupInstanceResource" },
  {
    name: "findRestorableTimeRanges",
    operationId: "RestorableTimeRanges_Find",
    method: "POST",
    template: `${BI}/findRestorableTimeRanges`,
    bodyDefinition: "AzureBackupFindRestorableTimeRangesRequest",
    responseDefinition: "AzureBackupFindRestorableTimeRangesResponseResource",
  },
  { name: "listRecoveryPoints", operationId: "RecoveryPoints_List", method: "GET", template: `${BI}/recoveryPoints`, responseDefinition: "AzureBackupRecoveryPointResourceList" },
  { name: "getRecoveryPoint", operationId: "RecoveryPoints_Get", method: "GET", template: `${BI}/recoveryPoints/{recoveryPointId}`, responseDefinition: "AzureBackupRecoveryPointResource" },
  { name: "validateRestore", operationId: "BackupInstances_ValidateForRestore", method: "POST", template: `${BI}/validateRestore`, bodyDefinition: "ValidateRestoreRequestObject" },
  { name: "restore", operationId: "BackupInstances_TriggerRestore", method: "POST", template: `${BI}/restore`, bodyDefinition: "AzureBackupRestoreRequest" },
  { name: "rehydrate", operationId: "BackupInstances_TriggerRehydrate", method: "POST", template: `${BI}/rehydrate`, bodyDefinition: "AzureBackupRehydrationRequest" },
  {
    name: "operationStatus",
    operationId: "OperationStatus_Get",
    method: "GET",
    template: `${SUB}/providers/Microsoft.DataProtection/locations/{location}/operationStatus/{operationId}`,
    responseDefinition: "OperationResource",
  },
  { name: "operationStatus", operationId: "OperationStatusBackupVaultContext_Get", method: "GET", template: `${BV}/operationStatus/{operationId}`, responseDefinition: "OperationResource" },
  {
    name: "operationStatus",
    operationId: "OperationStatusResourceGroupContext_Get",
    method: "GET",
    template: `${RG}/providers/Microsoft.DataProtection/operationStatus/{operationId}`,
    responseDefinition: "OperationResource",
  },
  {
    name: "operationResults",
    operationId: "OperationResult_Get",
    method: "GET",
    template: `${SUB}/providers/Microsoft.DataProtection/locations/{location}/operationResults/{operationId}`,
    responseDefinition: "OperationJobExtendedInfo",
  },
  { name: "operationResults", operationId: "BackupInstances_GetBackupInstanceOperationResult", method: "GET", template: `${BI}/operationResults/{operationId}` },
  { name: "listJobs", operationId: "Jobs_List", method: "GET", template: `${BV}/backupJobs`, responseDefinition: "AzureBackupJobResourceList" },
  { name: "getJob", operationId: "Jobs_Get", method: "GET", template: `${BV}/backupJobs/{jobId}`, responseDefinition: "AzureBackupJobResource" },
  {
    name: "crossRegionRestore",
    operationId: "BackupInstances_TriggerCrossRegionRestore",
    method: "POST",
    template: `${LOC_RG}/crossRegionRestore`,
    bodyDefinition: "CrossRegionRestoreRequestObject",
    undeclaredBodyProperties: ["objectType"],
  },
  {
    name: "validateCrossRegionRestore",
    operationId: "BackupInstances_ValidateCrossRegionRestore",
    method: "POST",
    template: `${LOC_RG}/validateCrossRegionRestore`,
    bodyDefinition: "ValidateCrossRegionRestoreRequestObject",
    undeclaredBodyProperties: ["objectType"],
  },
  {
    name: "fetchSecondaryRecoveryPoints",
    operationId: "FetchSecondaryRecoveryPoints_List",
    method: "POST",
    template: `${LOC_RG}/fetchSecondaryRecoveryPoints`,
    bodyDefinition: "FetchSecondaryRPsRequestParameters",
    responseDefinition: "AzureBackupRecoveryPointResourceList",
  },
  {
    name: "fetchCrossRegionRestoreJob",
    operationId: "FetchCrossRegionRestoreJob_Get",
    method: "POST",
    template: `${LOC_RG}/fetchCrossRegionRestoreJob`,
    bodyDefinition: "CrossRegionRestoreJobRequest",
    responseDefinition: "AzureBackupJobResource",
  },
  {
    name: "fetchCrossRegionRestoreJobs",
    operationId: "FetchCrossRegionRestoreJobs_List",
    method: "POST",
    template: `${LOC_RG}/fetchCrossRegionRestoreJobs`,
    bodyDefinition: "CrossRegionRestoreJobsRequest",
    responseDefinition: "AzureBackupJobResourceList",
  },
];

/**
 * Other providers' resources that restores create, served so a client can look at what a restore made
 * (a later restore drill reads a restored disk): Microsoft.Compute's `Disks_Get`, at Compute's api-versions
 * (the disk recording calls 2022-07-02).
 */
export const RESOURCE_ROUTES: readonly RouteDef[] = [
  { name: "getDisk", operationId: "Disks_Get", method: "GET", template: `${RG}/providers/Microsoft.Compute/disks/{diskName}`, anyApiVersion: true },
  { name: "getPostgresDatabase", operationId: "Databases_Get", method: "GET", template: `${RG}/providers/Microsoft.DBforPostgreSQL/servers/{serverName}/databases/{databaseName}`, anyApiVersion: true },
  // Microsoft.Resources' resource groups: a drill's scratch group is created and removed through them.
  { name: "getResourceGroup", operationId: "ResourceGroups_Get", method: "GET", template: RG, anyApiVersion: true },
  { name: "putResourceGroup", operationId: "ResourceGroups_CreateOrUpdate", method: "PUT", template: RG, anyApiVersion: true, jsonBody: true },
  { name: "deleteResourceGroup", operationId: "ResourceGroups_Delete", method: "DELETE", template: RG, anyApiVersion: true },
];

export function isResourceRoute(name: RouteName): name is ResourceRouteName {
  return RESOURCE_ROUTES.some((r) => r.name === name) || AUTHORIZATION_ROUTES.some((r) => r.name === name);
}

interface CompiledRoute {
  def: RouteDef;
  segments: Array<{ literal: string } | { param: string }>;
  versions: ApiVersion[];
}

let compiled: CompiledRoute[] | undefined;

function compile(): CompiledRoute[] {
  compiled ??= [...ROUTES, ...RESOURCE_ROUTES].map((def) => ({
    def,
    segments: def.template
      .split("/")
      .filter((s) => s !== "")
      .map((s) => (/^\{.+\}$/.test(s) ? { param: s.slice(1, -1) } : { literal: s.toLowerCase() })),
    versions: API_VERSIONS.filter((v) => {
      if (def.anyApiVersion) return false;
      const ops = loadDefinitions(v).paths[def.template] as Record<string, unknown> | undefined;
      return Boolean(ops?.[def.method.toLowerCase()]);
    }),
  }));
  return compiled;
}

/** The api-versions whose definitions define `def`. */
export function routeVersions(def: RouteDef): ApiVersion[] {
  return compile().find((c) => c.def === def)?.versions ?? [];
}


/** Matches decoded path segments against the table (case-insensitive literals). */
export function matchRoute(method: string, segments: string[]): RouteMatch {
  const authorization = matchAuthorizationRoute(method, segments);
  if (authorization) return authorization;
  const allowed = new Set<string>();
  for (const route of compile()) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const seg = route.segments[i];
      if ("literal" in seg) ok = seg.literal === segments[i].toLowerCase();
      else params[seg.param] = segments[i];
    }
    if (!ok) continue;
    if (route.def.method === method.toUpperCase()) return { kind: "match", route: route.def, params, versions: route.versions };
    allowed.add(route.def.method);
  }
  return allowed.size ? { kind: "method", allowed: [...allowed] } : { kind: "none" };
}

/** The ARM resource type a route serves, for error messages (`backupVaults/backupInstances`, `locations/operationStatus`). */
export function routeResourceType(def: RouteDef): string {
  const afterProvider = def.template.split(/\/providers\/Microsoft\.(?:DataProtection|Authorization)\//)[1] ?? "";
  const literals = afterProvider.split("/").filter((s) => s !== "" && !/^\{.+\}$/.test(s));
  return literals.join("/");
}
