/**
 * api-versions of Microsoft.DataProtection whose definitions ship in api/definitions/stable (copied
 * from Azure/azure-rest-api-specs; see api/definitions/README.md). A test checks this list against the
 * folders there.
 */
export const API_VERSIONS = ["2021-01-01", "2021-07-01", "2022-01-01", "2022-03-01", "2022-04-01", "2022-05-01", "2022-12-01", "2023-01-01", "2023-05-01", "2024-04-01", "2026-06-01"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

/** The newest stable version the project supports; what the client sends unless told otherwise. */
export const DEFAULT_API_VERSION: ApiVersion = "2026-06-01";

export function isApiVersion(value: unknown): value is ApiVersion {
  return typeof value === "string" && (API_VERSIONS as readonly string[]).includes(value);
}

/** Item-path criteria (vaulted blob items) and OperationalStore in the enum arrived with 2024-04-01. */
export function supportsItemPathCriteria(version: ApiVersion): boolean {
  return version >= "2024-04-01";
}

/** SecretStoreBasedAuthCredentials (PostgreSQL database credentials) arrived with 2021-07-01. */
export function supportsDatasourceAuthCredentials(version: ApiVersion): boolean {
  return version >= "2021-07-01";
}

/** KubernetesClusterRestoreCriteria and KubernetesClusterVaultTierRestoreCriteria (AKS) are in 2024-04-01 and later. */
export function supportsKubernetesRestoreCriteria(version: ApiVersion): boolean {
  return version >= "2024-04-01";
}

/** GenericRestoreDatasourceCriteria with ResourceListSelectionCriteria (Elastic SAN volumes) is in 2026-06-01 and later. */
export function supportsGenericRestoreCriteria(version: ApiVersion): boolean {
  return version >= "2026-06-01";
}

/** The oldest shipped api-version a check accepts: the one to name when a run's version is too old. */
export function earliestVersion(supports: (version: ApiVersion) => boolean): ApiVersion | undefined {
  return API_VERSIONS.find(supports);
}
