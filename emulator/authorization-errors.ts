import { ServiceError } from "./errors";

/**
 * Microsoft.Authorization's errors. `RoleAssignmentExists` is the service's (learn.microsoft.com/rest/api/authorization,
 * "common errors": "The role assignment already exists."); the others are named as the emulator's in
 * emulator/README.md (no source read gives their code).
 */
const error = (status: number, code: string, message: string) => new ServiceError(status, { code, message });

export const authorizationErrors = {
  assignmentExists: () => error(409, "RoleAssignmentExists", "The role assignment already exists."),
  assignmentNotFound: (name: string) => error(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`),
  roleDefinitionDoesNotExist: (guid: string) => error(400, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${guid}' does not exist.`),
  updateNotPermitted: () => error(409, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated."),
  invalidAssignmentId: (name: string) => error(400, "InvalidRoleAssignmentId", `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`),
  invalidAssignment: (detail: string) => error(400, "InvalidRoleAssignmentRequest", `The request is invalid: ${detail}.`),
  unsupportedFilter: (filter: string) => error(400, "EmulatorUnsupportedFilter", `The emulator does not support the filter '${filter}'.`),
};
