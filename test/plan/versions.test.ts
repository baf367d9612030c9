import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { definitionFile, definitionsRoot, loadDefinitions } from "../../api/definitions";
import {
  API_VERSIONS,
  FIRST_VERSION_WITH,
  PREVIEW_API_VERSIONS,
  STABLE_API_VERSIONS,
  VERSIONS_WITHOUT,
  supportsContainerRename,
  supportsCrossRegionRestore,
  supportsIdentityDetails,
  supportsDatasourceAuthCredentials,
  supportsGenericRestoreCriteria,
  supportsItemPathCriteria,
  supportsKubernetesRestoreCriteria,
  supportsKubernetesVaultTierCriteria,
  supportsTargetResourceArmId,
  versionsNamed,
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

const folders = (kind: "stable" | "preview"): string[] => fs.readdirSync(path.join(definitionsRoot(), kind)).sort();

describe("the definitions that ship", () => {
  it("are the api-versions the lists name, one folder each: every stable version under stable/, the preview under preview/", () => {
    expect(folders("stable")).toEqual([...STABLE_API_VERSIONS]);
    expect(folders("preview")).toEqual([...PREVIEW_API_VERSIONS]);
    expect([...API_VERSIONS]).toEqual([...STABLE_API_VERSIONS, ...PREVIEW_API_VERSIONS]);
    expect([...API_VERSIONS]).toEqual([...API_VERSIONS].sort());
  });

  it("are the nineteen stable versions Azure serves, 2021-01-01 to 2026-06-01, and the preview 2026-08-31-preview", () => {
    expect(STABLE_API_VERSIONS).toHaveLength(19);
    expect([STABLE_API_VERSIONS[0], STABLE_API_VERSIONS.at(-1)]).toEqual(["2021-01-01", "2026-06-01"]);
    expect(PREVIEW_API_VERSIONS).toEqual(["2026-08-31-preview"]);
  });

  it("each file states the api-version of its folder", () => {
    for (const version of API_VERSIONS) expect(loadDefinitions(version).info.version, version).toBe(version);
  });

  it("each $ref to another file resolves inside api/definitions (the common types are local)", () => {
    let checked = 0;
    for (const version of API_VERSIONS) {
      const file = definitionFile(version);
      const refs = new Set([...fs.readFileSync(file, "utf8").matchAll(/"\$ref":\s*"([^"#]+)#([^"]*)"/g)].map((m) => `${m[1]}#${m[2]}`));
      for (const ref of refs) {
        const [target, pointer] = ref.split("#");
        const resolved = path.resolve(path.dirname(file), target);
        expect(resolved.startsWith(definitionsRoot() + path.sep), `${version} ${ref}`).toBe(true);
        let node: unknown = JSON.parse(fs.readFileSync(resolved, "utf8"));
        for (const key of pointer.split("/").slice(1)) node = (node as Record<string, unknown> | undefined)?.[key];
        expect(node, `${version} ${ref}`).toBeDefined();
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("the api-version checks agree with the definitions of every version", () => {
  for (const [feature, supports, defined] of FEATURES) {
    it(feature, () => {
      for (const version of API_VERSIONS) expect(supports(version), version).toBe(defined(version));
      const first = API_VERSIONS.find((v) => defined(v));
      expect(first).toBe(FIRST_VERSION_WITH[feature]);
      expect(API_VERSIONS.filter((v) => first !== undefined && v > first && !defined(v))).toEqual(VERSIONS_WITHOUT[feature] ?? []);
    });
  }
});

describe("versionsNamed", () => {
  it("names a first version and 'or later' when every later version has the feature, else the versions that have it", () => {
    expect(versionsNamed(supportsItemPathCriteria)).toBe("2023-01-01 or later");
    expect(versionsNamed(supportsContainerRename)).toBe("2025-07-01 or later");
    expect(versionsNamed(supportsGenericRestoreCriteria)).toBe("2026-06-01");
  });
});
