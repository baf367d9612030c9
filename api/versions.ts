/**
 * api-versions of Microsoft.DataProtection whose definitions ship in api/definitions/stable (copied
 * from Azure/azure-rest-api-specs; see api/definitions/README.md). A test checks this list against the
 * folders there.
 */
export const API_VERSIONS = [
  "2021-01-01",
  "2021-07-01",
  "2022-01-01",
  "2022-03-01",
  "2022-04-01",
  "2022-05-01",
  "2022-12-01",
  "2023-01-01",
  "2023-05-01",
  "2023-11-01",
  "2023-12-01",
  "2024-03-01",
  "2024-04-01",
  "2025-01-01",
  "2025-02-01",
  "2025-07-01",
  "2026-06-01",
] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The newest stable version the project supports; what the client sends unless told otherwise. */
export const DEFAULT_API_VERSION: ApiVersion = "2026-06-01";

export function isApiVersion(value: unknown): value is ApiVersion {
  return typeof value === "string" && (API_VERSIONS as readonly string[]).includes(value);
}

/**
 * The first api-version of API_VERSIONS whose definitions define a part of a restore body, for the
 * checks below and for messages that name the version to use. test/plan/versions.test.ts holds each
 * to the definitions: when a version is added, a wrong entry fails there.
 */
export const FIRST_VERSION_WITH = {
  /** `ItemPathBasedRestoreCriteria` (vaulted blob and Data Lake items). */
  itemPathCriteria: "2023-01-01",
  /** `SecretStoreBasedAuthCredentials` (PostgreSQL database credentials). */
  datasourceAuthCredentials: "2021-07-01",
  /** `TargetDetails.targetResourceArmId` (the container's ARM ID of a restore as files). */
  targetResourceArmId: "2022-12-01",
  /** `ItemPathBasedRestoreCriteria.renameTo` (restore a container under another name). */
  containerRename: "2025-07-01",
  /** `KubernetesClusterRestoreCriteria` (AKS restores from the operational store). */
  kubernetesCriteria: "2023-01-01",
  /** `KubernetesClusterVaultTierRestoreCriteria` (AKS restores from the vault store). */
  kubernetesVaultTierCriteria: "2023-11-01",
  /** `GenericRestoreDatasourceCriteria` with `ResourceListSelectionCriteria` (Elastic SAN volumes). */
  genericCriteria: "2026-06-01",
  /** `AzureBackupRestoreRequest.identityDetails` (a restore under a user-assigned identity). */
  identityDetails: "2023-05-01",
  /** The cross-region restore calls (`CrossRegionRestoreRequestObject`, `locations/{region}/crossRegionRestore`). */
  crossRegionRestore: "2023-11-01",
} as const satisfies Record<string, ApiVersion>;

export function supportsItemPathCriteria(version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH.itemPathCriteria;
}

export function supportsDatasourceAuthCredentials(version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH.datasourceAuthCredentials;
}

export function supportsTargetResourceArmId(version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH.targetResourceArmId;
}

export function supportsContainerRename(version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH.containerRename;
}

export function supportsKubernetesRestoreCriteria(version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH.kubernetesCriteria;
}

export function supportsKubernetesVaultTierCriteria(version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH.kubernetesVaultTierCriteria;
}

export function supportsIdentityDetails(version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH.identityDetails;
}

export function supportsCrossRegionRestore(version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH.crossRegionRestore;
}

export function supportsGenericRestoreCriteria(version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH.genericCriteria;
}

/** The oldest shipped api-version a check accepts: the one to name when a run's version is too old. */
export function earliestVersion(supports: (version: ApiVersion) => boolean): ApiVersion | undefined {
  return API_VERSIONS.find(supports);
}
