import type { ResourceRouteName, RouteName } from "../routes";
import { findRestorableTimeRanges, getBackupInstance, listBackupInstances } from "./backup-instances";
import { crossRegionRestore, fetchCrossRegionRestoreJob, fetchCrossRegionRestoreJobs, fetchSecondaryRecoveryPoints, validateCrossRegionRestore } from "./cross-region";
import { getJob, listJobs } from "./jobs";
import { operationResults, operationStatus } from "./operations";
import { getRecoveryPoint, listRecoveryPoints } from "./recovery-points";
import { deleteRoleAssignment, getRoleAssignment, getRoleDefinition, listRoleAssignments, listRoleDefinitions, putRoleAssignment, putRoleDefinition } from "./authorization";
import { deleteResourceGroup, getResourceGroup, putResourceGroup } from "./resource-groups";
import { getDisk, getPostgresDatabase } from "./resources";
import { getBackupVault } from "./vaults";
import { rehydrate, restore, validateRestore } from "./restores";
import type { Handler, ResourceHandler } from "./shared";

/** The route table: what each route of `routes.ts` does once the protocol layer lets the request through. */
export const HANDLERS: Readonly<Record<Exclude<RouteName, ResourceRouteName>, Handler>> = {
  getBackupVault,
  listBackupInstances,
  getBackupInstance,
  findRestorableTimeRanges,
  listRecoveryPoints,
  getRecoveryPoint,
  validateRestore,
  restore,
  rehydrate,
  operationStatus,
  operationResults,
  listJobs,
  getJob,
  crossRegionRestore,
  validateCrossRegionRestore,
  fetchSecondaryRecoveryPoints,
  fetchCrossRegionRestoreJob,
  fetchCrossRegionRestoreJobs,
};

/** The routes of other providers' resources (`RESOURCE_ROUTES`). */
export const RESOURCE_HANDLERS: Readonly<Record<ResourceRouteName, ResourceHandler>> = {
  getDisk,
  getPostgresDatabase,
  getResourceGroup,
  putResourceGroup,
  deleteResourceGroup,
  listRoleAssignments,
  getRoleAssignment,
  putRoleAssignment,
  deleteRoleAssignment,
  listRoleDefinitions,
  getRoleDefinition,
  putRoleDefinition,
};
