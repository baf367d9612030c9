/**
 * api-versions of Microsoft.DataProtection whose definitions ship in api/definitions (copied from
 * Azure/azure-rest-api-specs; see api/definitions/README.md): every stable version Azure serves, one
 * folder each under stable/, and the newest preview under preview/. test/plan/versions.test.ts checks
 * these lists against the folders.
 */
export const STABLE_API_VERSIONS = [
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
  "2025-09-01",
  "2026-03-01",
  "2026-06-01",
] as const;

/** The newest preview version (api/definitions/preview). */
export const PREVIEW_API_VERSIONS = ["2026-08-31-preview"] as const;

/** Every api-version the project sends and the emulator answers, oldest first (a preview sorts after the stable versions of its date). */
export const API_VERSIONS = [...STABLE_API_VERSIONS, ...PREVIEW_API_VERSIONS] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

export function isPreviewVersion(version: ApiVersion): version is (typeof PREVIEW_API_VERSIONS)[number] {
  return version.endsWith("-preview");
}

/** The newest stable version the project supports; what the client sends unless told otherwise. */
export const DEFAULT_API_VERSION: ApiVersion = "2026-06-01";

export function isApiVersion(value: unknown): value is ApiVersion {
  return typeof value === "string" && (API_VERSIONS as readonly string[]).includes(value);
}

/**
 * The first api-version of API_VERSIONS whose definitions define a part of a restore body, for the
 * checks below and for messages that name the version to use; later versions define it too unless
 * VERSIONS_WITHOUT names them. test/plan/versions.test.ts holds each
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

export type VersionedFeature = keyof typeof FIRST_VERSION_WITH;

/**
 * Versions after a feature's first whose definitions lack it all the same, read from the definitions
 * like FIRST_VERSION_WITH and held to them by the same test. The preview 2026-08-31-preview defines
 * neither `GenericRestoreDatasourceCriteria` nor `ResourceListSelectionCriteria`: its restore side is
 * 2026-03-01's (it adds cross-tenant calls), not 2026-06-01's.
 */
export const VERSIONS_WITHOUT: { readonly [F in VersionedFeature]?: readonly ApiVersion[] } = {
  genericCriteria: ["2026-08-31-preview"],
};

/** Whether the definitions of `version` define `feature`. */
export function supports(feature: VersionedFeature, version: ApiVersion): boolean {
  return version >= FIRST_VERSION_WITH[feature] && !(VERSIONS_WITHOUT[feature] ?? []).includes(version);
}

export function supportsItemPathCriteria(version: ApiVersion): boolean {
  return supports("itemPathCriteria", version);
}

export function supportsDatasourceAuthCredentials(version: ApiVersion): boolean {
  return supports("datasourceAuthCredentials", version);
}

export function supportsTargetResourceArmId(version: ApiVersion): boolean {
  return supports("targetResourceArmId", version);
}

export function supportsContainerRename(version: ApiVersion): boolean {
  return supports("containerRename", version);
}

export function supportsKubernetesRestoreCriteria(version: ApiVersion): boolean {
  return supports("kubernetesCriteria", version);
}

export function supportsKubernetesVaultTierCriteria(version: ApiVersion): boolean {
  return supports("kubernetesVaultTierCriteria", version);
}

export function supportsIdentityDetails(version: ApiVersion): boolean {
  return supports("identityDetails", version);
}

export function supportsCrossRegionRestore(version: ApiVersion): boolean {
  return supports("crossRegionRestore", version);
}

export function supportsGenericRestoreCriteria(version: ApiVersion): boolean {
  return supports("genericCriteria", version);
}

/** The oldest shipped api-version a check accepts: the one to name when a run's version is too old. */
export function earliestVersion(check: (version: ApiVersion) => boolean): ApiVersion | undefined {
  return API_VERSIONS.find(check);
}

/**
 * The api-versions a check accepts, as a message names them: `2023-01-01 or later` when every later
 * version has it too, else the versions themselves (`2026-06-01`: the preview lacks the generic criteria).
 */
export function versionsNamed(check: (version: ApiVersion) => boolean): string {
  const accepted = API_VERSIONS.filter(check);
  if (accepted.length === 0) return "none";
  const first = API_VERSIONS.indexOf(accepted[0]);
  return accepted.length === API_VERSIONS.length - first ? `${accepted[0]} or later` : accepted.join(", ");
}
