import { describe, expect, it } from "vitest";
import { loadDefinitions } from "../../api/definitions";
import { checkBody } from "../../api/schema";
import type { ItemLevelRestoreTargetInfo } from "../../api/types";
import { API_VERSIONS, supportsKubernetesRestoreCriteria, type ApiVersion } from "../../api/versions";
import { planRestore } from "../../plan";
import { instanceFixture, checkedSpec, recordedRestore } from "../helpers/recorded";
import { problemsOf, value } from "../helpers/result";

/**
 * KubernetesRestore against the CLI's recorded AKS restore (cassette test_dataprotection_backup_and_restore_aks.yaml
 * @010df219, api-version 2024-04-01): `initialize-for-item-recovery --backup-instance-id <BI>` with the default
 * restore configuration, i.e. the whole cluster back into itself. The fixture instance is built from that
 * request (the cassette's pages with the GET of the instance were not kept).
 */
const instance = instanceFixture("clitest-cluster1-donotdelete");
const recorded = recordedRestore("backup_and_restore_aks");
const SUB = "00000000-0000-0000-0000-000000000000";
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/oss-clitest-rg/providers/Microsoft.ContainerService/managedClusters/clitest-cluster1-donotdelete`;
const OTHER = `/subscriptions/${SUB}/resourceGroups/oss-clitest-rg/providers/Microsoft.ContainerService/managedClusters/clitest-cluster2-donotdelete`;

const aks = (spec: string, recoveryPoint = "53528d6e37a4490b80cdb5ef33808f8c") =>
  checkedSpec(`apiVersion: azure-restores/v1
kind: KubernetesRestore
metadata: { name: aks }
spec:
  backupInstance: ${instance.id}
  recoveryPoint: ${recoveryPoint}
${spec}`).spec;

/** The recorded body as the definitions spell it: that CLI build sent `resourceId`, the definitions (and the 2026 recordings) `resourceID`. */
function asDefined(body: unknown): unknown {
  const copy = structuredClone(body) as { restoreTargetInfo: Record<string, Record<string, unknown>> };
  for (const key of ["datasourceInfo", "datasourceSetInfo"]) {
    const ds = copy.restoreTargetInfo[key];
    ds.resourceID = ds.resourceId;
    delete ds.resourceId;
  }
  return copy;
}

describe("KubernetesRestore: the CLI's recorded restore", () => {
  const supported = API_VERSIONS.filter(supportsKubernetesRestoreCriteria);

  it("is expressible exactly at the versions whose definitions have KubernetesClusterRestoreCriteria", () => {
    expect(supported[0]).toBe("2023-01-01");
    for (const v of API_VERSIONS) expect(supportsKubernetesRestoreCriteria(v), v).toBe("KubernetesClusterRestoreCriteria" in loadDefinitions(v).definitions);
  });

  for (const version of supported) {
    it(`renders exactly the recorded body at ${version}, strictly valid there`, () => {
      const plan = value(planRestore(aks(""), { instance }, { apiVersion: version }));
      expect(plan.restoreRequest).toEqual(asDefined(recorded.requestBody));
      expect(checkBody(version, "AzureBackupRestoreRequest", plan.restoreRequest, { strict: true })).toEqual([]);
      expect(checkBody(version, "ValidateRestoreRequestObject", plan.validateRequest, { strict: true })).toEqual([]);
      expect(plan.target).toEqual({ kind: "other", id: CLUSTER, lockKey: `managedCluster:${CLUSTER.toLowerCase()}` });
      expect(plan.calls[1].path).toBe(`${instance.id}/restore?api-version=${version}`);
    });
  }

  it("differs from the recorded body only in the spelling of resourceID, which strict checking catches", () => {
    const problems = checkBody("2024-04-01", "AzureBackupRestoreRequest", recorded.requestBody, { strict: true }).map((p) => p.path);
    expect(problems.sort()).toEqual([
      "restoreTargetInfo.datasourceInfo.resourceID",
      "restoreTargetInfo.datasourceInfo.resourceId",
      "restoreTargetInfo.datasourceSetInfo.resourceID",
      "restoreTargetInfo.datasourceSetInfo.resourceId",
    ]);
  });

  for (const version of API_VERSIONS.filter((v) => !supportsKubernetesRestoreCriteria(v))) {
    it(`is refused at ${version}, naming the version that defines it`, () => {
      const problems = problemsOf(planRestore(aks(""), { instance }, { apiVersion: version }));
      expect(problems).toMatchObject([{ code: "PlanApiVersionTooOld", path: ["kind"] }]);
      expect(problems[0].message).toContain(`need api-version 2023-01-01 or later: ${version} defines no KubernetesClusterRestoreCriteria`);
    });
  }
});

describe("KubernetesRestore: the selection, as initialize-restoreconfig writes it", () => {
  const criteriaOf = (spec: string, version: ApiVersion = "2026-06-01") => {
    const plan = value(planRestore(aks(spec), { instance }, { apiVersion: version }));
    return { plan, info: plan.restoreRequest.restoreTargetInfo as ItemLevelRestoreTargetInfo };
  };

  it("two namespaces into another cluster under new names, skipping what exists", () => {
    const { plan, info } = criteriaOf(`  target:
    cluster: ${OTHER}
  include:
    namespaces: [app1, app2]
  namespaceMappings:
    app1: app1-restored
    app2: app2-restored`);
    expect(info.datasourceInfo).toEqual({
      datasourceType: "Microsoft.ContainerService/managedClusters",
      objectType: "Datasource",
      resourceID: OTHER,
      resourceLocation: "eastus2euap",
      resourceName: "clitest-cluster2-donotdelete",
      resourceType: "Microsoft.ContainerService/managedclusters",
      resourceUri: OTHER,
    });
    expect(info.datasourceSetInfo).toEqual({ ...info.datasourceInfo, objectType: "DatasourceSet" });
    expect(info.restoreCriteria).toEqual([
      {
        objectType: "KubernetesClusterRestoreCriteria",
        conflictPolicy: "Skip",
        excludedNamespaces: null,
        excludedResourceTypes: null,
        includeClusterScopeResources: true,
        includedNamespaces: ["app1", "app2"],
        includedResourceTypes: null,
        labelSelectors: null,
        namespaceMappings: { app1: "app1-restored", app2: "app2-restored" },
        persistentVolumeRestoreMode: "RestoreWithVolumeData",
        restoreHookReferences: null,
      },
    ]);
    expect(plan.target.id).toBe(OTHER);
  });

  it("every field of the spec lands in its field of the criteria", () => {
    const { info } = criteriaOf(`  include: { namespaces: [app1], resourceTypes: [deployments.apps] }
  exclude: { namespaces: [kube-system], resourceTypes: [secrets] }
  labelSelectors: [app=web, "tier in (front, back)"]
  clusterScopedResources: false
  conflictPolicy: Patch
  persistentVolumes: WithoutData
  restoreHooks: [{ name: pre-restore, namespace: app1 }]`);
    expect(info.restoreCriteria[0]).toEqual({
      objectType: "KubernetesClusterRestoreCriteria",
      conflictPolicy: "Patch",
      excludedNamespaces: ["kube-system"],
      excludedResourceTypes: ["secrets"],
      includeClusterScopeResources: false,
      includedNamespaces: ["app1"],
      includedResourceTypes: ["deployments.apps"],
      labelSelectors: ["app=web", "tier in (front, back)"],
      namespaceMappings: null,
      persistentVolumeRestoreMode: "RestoreWithoutVolumeData",
      restoreHookReferences: [{ name: "pre-restore", namespace: "app1" }],
    });
  });

  it("the vault tier: KubernetesClusterVaultTierRestoreCriteria with the staging resources (CLI: both or neither)", () => {
    const staging = {
      resourceGroup: `/subscriptions/${SUB}/resourceGroups/stagingrg`,
      storageAccount: `/subscriptions/${SUB}/resourceGroups/stagingrg/providers/Microsoft.Storage/storageAccounts/stagingsa`,
    };
    for (const version of ["2024-04-01", "2026-06-01"] as const) {
      const { plan, info } = criteriaOf(`  sourceDataStore: VaultStore
  staging: { resourceGroup: ${staging.resourceGroup}, storageAccount: ${staging.storageAccount} }`, version);
      expect(plan.restoreRequest.sourceDataStoreType).toBe("VaultStore");
      expect(info.restoreCriteria[0]).toMatchObject({ objectType: "KubernetesClusterVaultTierRestoreCriteria", stagingResourceGroupId: staging.resourceGroup, stagingStorageAccountId: staging.storageAccount });
      expect(checkBody(version, "AzureBackupRestoreRequest", plan.restoreRequest, { strict: true })).toEqual([]);
    }
  });

  it("resolves latest in the data store asked for", () => {
    const point = (id: string, time: string, store: string) => ({ name: id, properties: { objectType: "AzureBackupDiscreteRecoveryPoint", recoveryPointId: id, recoveryPointTime: time, recoveryPointDataStoresDetails: [{ type: store, visible: true }] } });
    const recoveryPoints = [point("op-1", "2024-05-08T10:37:25Z", "OperationalStore"), point("vault-1", "2024-05-09T00:00:00Z", "VaultStore")];
    const plan = value(planRestore(aks("", "latest"), { instance, recoveryPoints }, { apiVersion: "2024-04-01" }));
    expect(plan.source).toEqual({ dataStore: "OperationalStore", recoveryPointId: "op-1", recoveryPointTime: "2024-05-08T10:37:25Z" });
  });
});
