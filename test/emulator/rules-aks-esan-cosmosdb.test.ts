import * as fs from "fs";
import { describe, expect, test } from "vitest";
import * as YAML from "yaml";
import type { AzureBackupJobResource, AzureBackupRestoreRequest, CloudError, Datasource, ItemLevelRestoreCriteria, UserFacingError } from "../../api/types";
import { defaultWorldPath, type WorldFile } from "../../emulator/world";
import { call, expectDefinition, pollToEnd, useTestEmulator } from "./helpers";

/**
 * One test per restore rule of the AKS, Elastic SAN and Cosmos DB kinds (emulator/kinds/), against the
 * default world's instances of the CLI's recordings: each violation fails validateRestore and restore
 * with its code and makes no job; what a restore is allowed to do runs, with the job as recorded.
 */

const V = "2026-06-01";
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const AKS_BI = `${SUB}/resourceGroups/clitest-dpp-rg/providers/Microsoft.DataProtection/backupVaults/clitest-bkp-vault-aks-donotdelete/backupInstances/clitest-cluster1-donotdelete-clitest-cluster1-donotdelete-faec6818-0720-11ec-bd1b-c8f750f92764`;
const CLUSTERS = `${SUB}/resourceGroups/oss-clitest-rg/providers/Microsoft.ContainerService/managedClusters`;
const ESAN_BI = `${SUB}/resourceGroups/esan-bugbash-CLIrg-1/providers/Microsoft.DataProtection/backupVaults/TestEsanVault/backupInstances/esanbugbashcli1-esanbugbashcli1-vg-18585689-9bd8-11f1-9859-70a8a5673395`;
const SAN = `${SUB}/resourceGroups/esan-bugbash-CLIrg-1/providers/Microsoft.ElasticSan/elasticSans/esanbugbashcli1`;
const COSMOS_BI = `${SUB}/resourceGroups/cosmosbugbash-vijami-rg/providers/Microsoft.DataProtection/backupVaults/CosmosBackupVault/backupInstances/cosmosbugbash-vijami-src-cosmosbugbash-vijami-src-faec6818-0720-11ec-bd1b-c8f750f92764`;
const ACCOUNTS = `${SUB}/resourceGroups/cosmosbugbash-vijami-rg/providers/Microsoft.DocumentDB/databaseAccounts`;

const datasource = (id: string, type: string, objectType = "Datasource"): Datasource => ({ datasourceType: type, objectType, resourceID: id, resourceLocation: "eastus2euap", resourceName: id.split("/").pop(), resourceUri: id });

function aksRequest(cluster = "clitest-cluster2-donotdelete", over: { store?: string; staging?: { resourceGroup: string; storageAccount: string } } = {}): AzureBackupRestoreRequest {
  const id = `${CLUSTERS}/${cluster}`;
  const common = { includeClusterScopeResources: false, includedNamespaces: ["shop-frontend"], namespaceMappings: { "shop-frontend": "shop-frontend-restored" }, conflictPolicy: "Skip", persistentVolumeRestoreMode: "RestoreWithVolumeData" };
  const criteria: ItemLevelRestoreCriteria = over.staging
    ? { objectType: "KubernetesClusterVaultTierRestoreCriteria", ...common, stagingResourceGroupId: over.staging.resourceGroup, stagingStorageAccountId: over.staging.storageAccount }
    : { objectType: "KubernetesClusterRestoreCriteria", ...common };
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    recoveryPointId: over.store === "VaultStore" ? "aks0vault0point000000000000000001" : "53528d6e37a4490b80cdb5ef33808f8c",
    sourceDataStoreType: over.store ?? "OperationalStore",
    restoreTargetInfo: {
      objectType: "ItemLevelRestoreTargetInfo",
      recoveryOption: "FailIfExists",
      restoreLocation: "eastus2euap",
      datasourceInfo: datasource(id, "Microsoft.ContainerService/managedClusters"),
      datasourceSetInfo: datasource(id, "Microsoft.ContainerService/managedClusters", "DatasourceSet"),
      restoreCriteria: [criteria],
    },
  };
}

function esanRequest(group = "esanbugbashcli1-vg", renames: Record<string, string> = { srcvol1: "restoredvol1" }): AzureBackupRestoreRequest {
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    recoveryPointId: "835cbc65aeaa43e69a944fd578f643cd",
    sourceDataStoreType: "OperationalStore",
    restoreTargetInfo: {
      objectType: "ItemLevelRestoreTargetInfo",
      recoveryOption: "FailIfExists",
      restoreLocation: "eastus2euap",
      datasourceInfo: datasource(`${SAN}/volumeGroups/${group}`, "Microsoft.ElasticSan/elasticSans/volumeGroups"),
      datasourceSetInfo: { ...datasource(SAN, "Microsoft.ElasticSan/elasticSans/volumeGroups", "DatasourceSet"), resourceUri: "" },
      restoreCriteria: [{ objectType: "GenericRestoreDatasourceCriteria", resourceSelectors: { objectType: "ResourceListSelectionCriteria", resourceIdentifiers: Object.keys(renames), resourceNameOverrides: renames } }],
    },
  };
}

function cosmosRequest(account = "cosmosbugbash-vijami-tgt"): AzureBackupRestoreRequest {
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    recoveryPointId: "33d445e6891444638ffca3d35b3c479f",
    sourceDataStoreType: "VaultStore",
    restoreTargetInfo: { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "eastus2euap", datasourceInfo: datasource(`${ACCOUNTS}/${account}`, "Microsoft.DocumentDB/databaseAccounts") },
  };
}

/** The default world, edited. */
function world(edit: (w: WorldFile) => void): WorldFile {
  const w = YAML.parse(fs.readFileSync(defaultWorldPath(), "utf8")) as WorldFile;
  edit(w);
  return w;
}

function resource(w: WorldFile, id: string): { properties?: Record<string, unknown> } {
  const found = w.resources?.find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (!found) throw new Error(`no resource ${id} in the default world`);
  return found;
}

const emu = useTestEmulator();

/** validateRestore and restore both end Failed with `code`, and no job is made. */
async function expectViolation(instance: string, request: AzureBackupRestoreRequest, code: string): Promise<UserFacingError> {
  let info: UserFacingError | undefined;
  for (const [route, body] of [
    ["validateRestore", { restoreRequestObject: request }],
    ["restore", request],
  ] as const) {
    const res = await call(emu, "POST", `${instance}/${route}?api-version=${V}`, { body });
    expect(res.status, `${route}: ${res.text}`).toBe(202);
    const done = await pollToEnd(emu, String(res.headers["azure-asyncoperation"]));
    expect(done.body.status, `${route} ${JSON.stringify(done.body)}`).toBe("Failed");
    expect(done.body.error?.code).toBe(code);
    info = done.body.error?.additionalInfo?.[0]?.info as UserFacingError;
    expect(info.code).toBe(code);
    expect(info.recommendedAction?.length).toBeGreaterThan(0);
    const result = await call<CloudError>(emu, "GET", String(res.headers.location));
    expect(result.body.error?.code).toBe(code);
  }
  expect(emu.control.jobs()).toEqual([]);
  return info!;
}

/** The job of an accepted restore, once it has ended. */
async function restored(instance: string, request: AzureBackupRestoreRequest, end = true): Promise<AzureBackupJobResource> {
  const res = await call(emu, "POST", `${instance}/restore?api-version=${V}`, { body: request });
  expect(res.status, res.text).toBe(202);
  const done = await pollToEnd(emu, String(res.headers["azure-asyncoperation"]), 1);
  expect(done.body.status, JSON.stringify(done.body)).toBe("Succeeded");
  if (end) emu.control.advance(3600);
  const job = await call<AzureBackupJobResource>(emu, "GET", `${done.body.properties?.jobId}?api-version=${V}`);
  expectDefinition(V, "AzureBackupJobResource", job.body);
  return job.body;
}

describe("AKS targets", () => {
  test("an unknown target cluster", async () => {
    await expectViolation(AKS_BI, aksRequest("clitest-cluster9-unknown"), "UserErrorTargetResourceNotFound");
  });

  test("a target cluster without the Backup extension", async () => {
    emu.control.loadWorld(world((w) => (resource(w, `${CLUSTERS}/clitest-cluster2-donotdelete`).properties = { trustedAccess: true })));
    const info = await expectViolation(AKS_BI, aksRequest(), "UserErrorKubernetesBackupExtensionNotFoundError");
    expect(info.recommendedAction).toEqual(["Use the CL or Azure portal client to delete the extension, and then install the extension again."]);
  });

  test("a target cluster without Trusted Access for the vault", async () => {
    emu.control.loadWorld(world((w) => (resource(w, `${CLUSTERS}/clitest-cluster2-donotdelete`).properties = { backupExtension: true })));
    await expectViolation(AKS_BI, aksRequest(), "UserErrorTrustedAccessGatewayReturnedForbidden");
  });

  test("a vault-tier restore needs its staging resource group and storage account", async () => {
    const stagingGroup = `${SUB}/resourceGroups/aks-staging-rg`;
    const stagingAccount = `${stagingGroup}/providers/Microsoft.Storage/storageAccounts/aksstagingsa`;
    const withVaultPoint = (w: WorldFile) => {
      w.vaults!.find((v) => v.name === "clitest-bkp-vault-aks-donotdelete")!.backupInstances![0].recoveryPoints!.push({ id: "aks0vault0point000000000000000001", time: "2024-05-09T10:00:00Z", dataStores: ["VaultStore"] });
    };
    emu.control.loadWorld(world(withVaultPoint));
    const staging = { resourceGroup: stagingGroup, storageAccount: stagingAccount };
    await expectViolation(AKS_BI, aksRequest(undefined, { store: "VaultStore", staging }), "UserErrorTargetResourceNotFound");
    emu.control.loadWorld(
      world((w) => {
        withVaultPoint(w);
        w.subscriptions.find((s) => s.id.startsWith("0000"))!.resourceGroups.push({ name: "aks-staging-rg", location: "eastus2euap" });
      }),
    );
    const info = await expectViolation(AKS_BI, aksRequest(undefined, { store: "VaultStore", staging }), "UserErrorTargetResourceNotFound");
    expect(info.message).toContain("staging storage account");
    emu.control.loadWorld(
      world((w) => {
        withVaultPoint(w);
        w.subscriptions.find((s) => s.id.startsWith("0000"))!.resourceGroups.push({ name: "aks-staging-rg", location: "eastus2euap" });
        w.storageAccounts!.push({ id: stagingAccount, location: "eastus2euap" });
      }),
    );
    expect((await restored(AKS_BI, aksRequest(undefined, { store: "VaultStore", staging }))).properties?.status).toBe("Completed");
  });

  test("a restore into another cluster runs; its job is as the recorded AKS job", async () => {
    const job = (await restored(AKS_BI, aksRequest())).properties!;
    expect(job).toMatchObject({
      status: "Completed",
      progressEnabled: false,
      dataSourceSetName: "clitest-cluster1-donotdelete",
      backupInstanceFriendlyName: "clitest-cluster1-donotdelete/clitest-friendly-aks",
      duration: "PT3M36.2109289S",
      dataSourceType: "Microsoft.ContainerService/managedClusters",
    });
    expect(job.extendedInfo?.recoveryDestination).toBe(`${CLUSTERS}/clitest-cluster2-donotdelete`);
    expect(job.extendedInfo?.subTasks?.map((t) => [t.taskName, t.taskStatus])).toEqual([["Trigger Restore", "Completed"]]);
    expect(job.extendedInfo?.warningDetails).toBeNull();
  });

  test("a target cluster of another minor version: the job ends CompletedWithWarnings, naming the CRD mismatch", async () => {
    const versions = (source: string, target: string) =>
      world((w) => {
        resource(w, `${CLUSTERS}/clitest-cluster1-donotdelete`).properties!.kubernetesVersion = source;
        resource(w, `${CLUSTERS}/clitest-cluster2-donotdelete`).properties!.kubernetesVersion = target;
      });
    emu.control.loadWorld(versions("1.29.4", "1.29.7"));
    expect((await restored(AKS_BI, aksRequest())).properties?.status).toBe("Completed");
    emu.control.loadWorld(versions("1.29.4", "1.30.1"));
    const job = (await restored(AKS_BI, aksRequest())).properties!;
    expect(job.status).toBe("CompletedWithWarnings");
    expect(job.errorDetails).toBeNull();
    const [detail, ...others] = job.extendedInfo?.warningDetails ?? [];
    expect(others).toEqual([]);
    expect(detail.resourceName).toBe("clitest-cluster1-donotdelete");
    expect(detail.warning).toMatchObject({
      code: "UserErrorSourceandTargetClusterCRDVersionMismatch",
      recommendedAction: ["Use same cluster version for Target cluster as Source cluster or manually apply the CRs."],
      isUserError: true,
    });
  });

  test("the world's warnings keep the resource they name", async () => {
    emu.control.loadWorld(
      world((w) => {
        w.vaults!.find((v) => v.name === "clitest-bkp-vault-aks-donotdelete")!.backupInstances![0].restoreJob = {
          outcome: "CompletedWithWarnings",
          warnings: [{ code: "UserErrorHookExecutionFailed", message: "A restore hook failed.", recommendedAction: ["Review the logs, update the hooks, and then retry backup/restore operation."], resourceName: "shop-frontend/restorehookname" }],
        };
      }),
    );
    const job = (await restored(AKS_BI, aksRequest())).properties!;
    expect(job.extendedInfo?.warningDetails).toEqual([
      expect.objectContaining({ resourceName: "shop-frontend/restorehookname", warning: expect.objectContaining({ code: "UserErrorHookExecutionFailed", message: "A restore hook failed." }) }),
    ]);
  });
});

describe("Elastic SAN targets", () => {
  test("an unknown target volume group", async () => {
    await expectViolation(ESAN_BI, esanRequest("no-such-vg"), "UserErrorTargetResourceNotFound");
  });

  test("a new volume name that exists in the group, or that a running restore is creating there", async () => {
    await expectViolation(ESAN_BI, esanRequest(undefined, { srcvol1: "srcvol1" }), "UserErrorTargetVolumeAlreadyExists");
    const running = await restored(ESAN_BI, esanRequest(), false);
    expect(running.properties?.status).toBe("InProgress");
    const again = await call(emu, "POST", `${ESAN_BI}/validateRestore?api-version=${V}`, { body: { restoreRequestObject: esanRequest() } });
    expect((await pollToEnd(emu, String(again.headers["azure-asyncoperation"]))).body.error?.code).toBe("UserErrorTargetVolumeAlreadyExists");
  });

  test("a restore as a new volume runs; its job is as the recorded Elastic SAN job", async () => {
    const job = (await restored(ESAN_BI, esanRequest())).properties!;
    expect(job).toMatchObject({ status: "Completed", progressEnabled: true, dataSourceSetName: "esanbugbashcli1", backupInstanceFriendlyName: "esanbugbashcli1/esan-bi", duration: "PT2M5.1728464S" });
    expect(job.extendedInfo?.recoveryDestination).toBe(`${SAN}/volumeGroups/esanbugbashcli1-vg`);
  });
});

describe("Cosmos DB targets", () => {
  test("the backed-up account", async () => {
    await expectViolation(COSMOS_BI, cosmosRequest("cosmosbugbash-vijami-src"), "UserErrorOriginalLocationRestoreNotSupported");
  });

  test("an unknown account", async () => {
    await expectViolation(COSMOS_BI, cosmosRequest("cosmosbugbash-vijami-none"), "UserErrorTargetResourceNotFound");
  });

  test("a restore into another account runs, its job naming the account", async () => {
    const job = (await restored(COSMOS_BI, cosmosRequest())).properties!;
    expect(job).toMatchObject({ status: "Completed", progressEnabled: false, dataSourceType: "Microsoft.DocumentDB/databaseAccounts" });
    expect(job.extendedInfo?.recoveryDestination).toBe(`${ACCOUNTS}/cosmosbugbash-vijami-tgt`);
  });
});
