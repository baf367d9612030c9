/**
 * The roles a restore needs, read against what its identities hold: kinds/*.access says what is needed,
 * the reader reads the identities, assignments and role definitions, `assess` decides, and the
 * problems and grants follow. The provider checks in preview; the program plans the grants.
 */
export { assess, type AccessReport, type Finding, type Principal } from "./assess";
export { AccessReader, principalOf, type AccessApi, type ReadOptions } from "./reader";
export { accessProblems, roleAssignmentCommand } from "./problems";
export { grantCovers, grantName, grantOf, plannedGrants, type PlannedGrant, type RestoreGrant } from "./grants";
export { isPermissionError, PERMISSION_ERROR_CODES } from "./permission-errors";
