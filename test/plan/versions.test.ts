import { describe, expect, it } from "vitest";
import { loadDefinitions } from "../../api/definitions";
import {
  API_VERSIONS,
  FIRST_VERSION_WITH,
  supportsContainerRename,
  supportsCrossRegionRestore,
  supportsIdentityDetails,
  supportsDatasourceAuthCredentials,
  supportsGenericRestoreCriteria,
  supportsItemPathCriteria,
  supportsKubernetesRestoreCriteria,
  supportsKubernetesVaultTierCriteria,
  supportsTargetResourceArmId,
  type ApiVersion,
} from "../../api/versions";

/** What each version check of api/versions.ts stands for, read from the definitions of a version. */
const defines = (version: ApiVersion, definition: string, property?: string): boolean => {
  const schema = loadDefinitions(version).definitions[definition];
  return property === undefined ? schema !== undefined : schema?.properties?.[property] !== undefined;
};

const FEATURES: Array<[keyof typeof FIRST_VERSION_WITH, (v: ApiVersion) => boolean, (v: ApiVersion) => boolean]> = [
  ["itemPathCriteria", supportsItemPathCriteria, (v) => defines(v, "ItemPathBasedRestoreCriteria")],
  ["datasourceAuthCredentials", supportsDatasourceAuthCredentials, (v) => defines(v, "SecretStoreBasedAuthCredentials")],
  ["targetResourceArmId", supportsTargetResourceArmId, (v) => defines(v, "TargetDetails", "targetResourceArmId")],
  ["containerRename", supportsContainerRename, (v) => defines(v, "ItemPathBasedRestoreCriteria", "renameTo")],
  ["kubernetesCriteria", supportsKubernetesRestoreCriteria, (v) => defines(v, "KubernetesClusterRestoreCriteria")],
  ["kubernetesVaultTierCriteria", supportsKubernetesVaultTierCriteria, (v) => defines(v, "KubernetesClusterVaultTierRestoreCriteria")],
  ["identityDetails", supportsIdentityDetails, (v) => defines(v, "AzureBackupRestoreRequest", "identityDetails")],
  ["crossRegionRestore", supportsCrossRegionRestore, (v) => defines(v, "CrossRegionRestoreRequestObject")],
  ["genericCriteria", supportsGenericRestoreCriteria, (v) => defines(v, "GenericRestoreDatasourceCriteria") && defines(v, "ResourceListSelectionCriteria")],
];

describe("the definitions that ship", () => {
  it("are the api-versions API_VERSIONS lists, one folder each", () => {
    const fs = require("fs") as typeof import("fs");
    const path = require("path") as typeof import("path");
    const folders = fs.readdirSync(path.join(__dirname, "..", "..", "api", "definitions", "stable")).sort();
    expect(folders).toEqual([...API_VERSIONS]);
  });
});

describe("the api-version checks agree with the definitions of every version", () => {
  for (const [feature, supports, defined] of FEATURES) {
    it(feature, () => {
      for (const version of API_VERSIONS) expect(supports(version), version).toBe(defined(version));
      expect(API_VERSIONS.find((v) => defined(v))).toBe(FIRST_VERSION_WITH[feature]);
    });
  }
});
