import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { checkParsedSpecs, checkSpecFiles, parseSpecText } from "../../checks";
import type { Problem } from "../../errors/problem";

const NOW = new Date("2026-11-21T00:00:00Z");
const SUB = "00000000-0000-0000-0000-000000000000";
const BI = `/subscriptions/${SUB}/resourceGroups/clitest-dpp-rg/providers/Microsoft.DataProtection/backupVaults/clitest-bkp-vault-aks-donotdelete/backupInstances/clitest-cluster1-donotdelete-clitest-cluster1-donotdelete-faec6818-0720-11ec-bd1b-c8f750f92764`;
const STAGING = `{ resourceGroup: /subscriptions/${SUB}/resourceGroups/stagingrg, storageAccount: /subscriptions/${SUB}/resourceGroups/stagingrg/providers/Microsoft.Storage/storageAccounts/stagingsa }`;

const specText = (spec: string) => `apiVersion: azure-restores/v1
kind: KubernetesRestore
metadata:
  name: x
spec:
  backupInstance: ${BI}
  recoveryPoint: 53528d6e37a4490b80cdb5ef33808f8c
${spec}`;

function check(spec: string): Problem[] {
  const { parsed, problems } = parseSpecText("restores/x.yaml", specText(spec));
  if (!parsed) return problems;
  return checkParsedSpecs([parsed], { now: NOW }).problems.filter((p) => p.code !== "SpecNameMismatch");
}

/** `line:col field code severity`, the way a user reads a problem. */
const codes = (problems: Problem[]) => problems.map((p) => `${p.line}:${p.column} ${p.field ?? ""} ${p.code} ${p.severity}`);

describe("KubernetesRestore rules, positioned", () => {
  it("a namespace both included and excluded", () => {
    const problems = check("  include: { namespaces: [app1, app2] }\n  exclude: { namespaces: [app2] }");
    expect(codes(problems)).toEqual(["9:27 spec.exclude.namespaces[0] SpecNamespaceIncludedAndExcluded error"]);
    expect(problems[0].remedy).toBe("keep 'app2' in include or in exclude, not both");
  });

  it("a resource type both included and excluded", () => {
    expect(codes(check("  include: { resourceTypes: [secrets] }\n  exclude:\n    resourceTypes:\n      - secrets"))).toEqual(["11:9 spec.exclude.resourceTypes[0] SpecResourceTypeIncludedAndExcluded error"]);
  });

  it("a mapping from an excluded namespace: it is not restored", () => {
    const problems = check("  exclude: { namespaces: [app1] }\n  namespaceMappings:\n    app1: app1-restored");
    expect(codes(problems)).toEqual(["10:5 spec.namespaceMappings.app1 SpecMappingFromExcludedNamespace error"]);
  });

  it("a mapping from a namespace the include list leaves out", () => {
    const problems = check("  include: { namespaces: [app1] }\n  namespaceMappings:\n    app1: app1-restored\n    app2: app2-restored");
    expect(codes(problems)).toEqual(["11:5 spec.namespaceMappings.app2 SpecMappingFromUnrestoredNamespace error"]);
    expect(problems[0].remedy).toBe("add 'app2' to include.namespaces, or remove the mapping");
  });

  it("a mapping into an excluded namespace", () => {
    expect(codes(check("  exclude: { namespaces: [prod] }\n  namespaceMappings:\n    app1: prod"))).toEqual(["10:11 spec.namespaceMappings.app1 SpecMappingToExcludedNamespace error"]);
  });

  it("a mapping key that is no namespace name, at the key", () => {
    expect(codes(check("  namespaceMappings:\n    App_1: app1"))).toEqual(["9:5 spec.namespaceMappings.App_1 SpecInvalidValue error"]);
  });

  it("a mapping value that is no namespace name, at the value (schema)", () => {
    const problems = check("  namespaceMappings:\n    app1: App1");
    expect(codes(problems)).toEqual(["9:11 spec.namespaceMappings.app1 SpecInvalidValue error"]);
    expect(problems[0].message).toBe("'App1' is not a Kubernetes namespace name");
  });

  it("warns about a mapping to itself, and about two namespaces restored into one", () => {
    expect(codes(check("  namespaceMappings:\n    app1: app1\n    app2: shared\n    app3: shared"))).toEqual([
      "9:11 spec.namespaceMappings.app1 SpecMappingToSelf warning",
      "11:11 spec.namespaceMappings.app3 SpecMappingMergesNamespaces warning",
    ]);
    expect(codes(check("  include: { namespaces: [app1, app2] }\n  namespaceMappings: { app1: app2 }"))).toEqual(["9:30 spec.namespaceMappings.app1 SpecMappingMergesNamespaces warning"]);
  });

  it("staging is required for the vault tier, at sourceDataStore", () => {
    const problems = check("  sourceDataStore: VaultStore");
    expect(codes(problems)).toEqual(["8:20 spec.sourceDataStore SpecStagingMissing error"]);
    expect(problems[0].remedy).toContain("add staging: { resourceGroup:");
    expect(check(`  sourceDataStore: VaultStore\n  staging: ${STAGING}`)).toEqual([]);
  });

  it("staging given for the operational store, at its key", () => {
    expect(codes(check(`  staging: ${STAGING}`))).toEqual(["8:3 spec.staging SpecStagingNeedsVaultStore error"]);
    expect(codes(check(`  sourceDataStore: OperationalStore\n  staging: ${STAGING}`))).toEqual(["9:3 spec.staging SpecStagingNeedsVaultStore error"]);
  });

  it("staging needs both its resource group and its storage account (as the CLI does)", () => {
    expect(codes(check(`  sourceDataStore: VaultStore\n  staging: { resourceGroup: /subscriptions/${SUB}/resourceGroups/stagingrg }`))).toEqual(["9:3 spec.staging SpecMissingField error"]);
  });

  it("staging IDs must be ARM IDs of a resource group and a storage account", () => {
    const problems = check(`  sourceDataStore: VaultStore\n  staging: { resourceGroup: stagingrg, storageAccount: /subscriptions/${SUB}/resourceGroups/stagingrg }`);
    expect(codes(problems)).toEqual(["9:29 spec.staging.resourceGroup SpecInvalidValue error", "9:56 spec.staging.storageAccount SpecInvalidValue error"]);
    expect(problems[0].remedy).toBe("use /subscriptions/<guid>/resourceGroups/<rg>");
  });

  it("duplicate entries are warnings on the second", () => {
    expect(codes(check("  include: { namespaces: [app1, app1] }\n  labelSelectors: [app=web, app=web]\n  restoreHooks:\n    - { name: h, namespace: a }\n    - { name: h, namespace: a }"))).toEqual([
      "8:33 spec.include.namespaces[1] SpecDuplicateItem warning",
      "9:29 spec.labelSelectors[1] SpecDuplicateItem warning",
      "12:7 spec.restoreHooks[1] SpecDuplicateItem warning",
    ]);
  });

  it("label selectors in Kubernetes syntax; others at the value with the syntax as the fix", () => {
    expect(check('  labelSelectors: [app=web, "env in (prod, qa)", "tier!=cache,!canary", example.com/team=payments]')).toEqual([]);
    const problems = check("  labelSelectors: [app=web, 'app: web', =x]");
    expect(codes(problems)).toEqual(["8:29 spec.labelSelectors[1] SpecInvalidValue error", "8:41 spec.labelSelectors[2] SpecInvalidValue error"]);
    expect(problems[0].message).toBe("'app: web' is not a Kubernetes label selector");
    expect(problems[0].remedy).toContain("key=value, key!=value, key in (a,b)");
  });

  it("an empty include or exclude", () => {
    expect(codes(check("  include: {}"))).toEqual(["8:3 spec.include SpecEmptySelection error"]);
  });

  it("namespace names are Kubernetes names", () => {
    expect(codes(check("  include: { namespaces: [App1] }"))).toEqual(["8:27 spec.include.namespaces[0] SpecInvalidValue error"]);
  });

  it("enums say which values exist", () => {
    const problems = check("  conflictPolicy: skip\n  persistentVolumes: RestoreWithVolumeData");
    expect(codes(problems)).toEqual(["8:19 spec.conflictPolicy SpecInvalidValue error", "9:22 spec.persistentVolumes SpecInvalidValue error"]);
    expect(problems[0].remedy).toBe("did you mean 'Skip'? (values are case-sensitive)");
  });

  it("a CLI field name says where it belongs", () => {
    const problems = check("  includedNamespaces: [app1]");
    expect(codes(problems)).toEqual(["8:3 spec.includedNamespaces SpecUnknownField error"]);
    expect(problems[0].message).toBe("includedNamespaces is not a field of KubernetesRestore: write include: { namespaces: [...] }");
  });

  it("target.cluster must be the ARM ID of an AKS cluster", () => {
    expect(codes(check(`  target: { cluster: /subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1 }`))).toEqual(["8:22 spec.target.cluster SpecInvalidValue error"]);
  });
});

describe("KubernetesRestore and restore-policy.yaml", () => {
  it("the original cluster is the original location; the target cluster and the staging resources are checked against the allowed groups", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    try {
      fs.writeFileSync(path.join(dir, "restore-policy.yaml"), "apiVersion: azure-restores/v1\nkind: RestorePolicy\nrules:\n  allowOriginalLocation: false\n  allowedResourceGroups: [restored-rg]\n");
      fs.writeFileSync(path.join(dir, "x.yaml"), specText(""));
      const vault = `  target: { cluster: /subscriptions/${SUB}/resourceGroups/restored-rg/providers/Microsoft.ContainerService/managedClusters/c2 }\n  sourceDataStore: VaultStore\n  staging: ${STAGING}`;
      fs.writeFileSync(path.join(dir, "y.yaml"), specText(vault).replace("name: x", "name: y"));
      const found = checkSpecFiles([dir], { now: NOW }).problems.map((p) => `${path.basename(p.file!)}:${p.line}:${p.column} ${p.field} ${p.message.split(":")[0]}`);
      // staging.resourceGroup is named as a target too, but checks/policy.ts reads the resource group only from IDs of resources in one.
      expect(found.sort()).toEqual(["x.yaml:6:3 spec policy rule allowOriginalLocation", "y.yaml:10:123 spec.staging.storageAccount policy rule allowedResourceGroups"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
