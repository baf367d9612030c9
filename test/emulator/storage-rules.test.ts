import { describe, expect, test } from "vitest";
import type { AzureBackupRestoreRequest, ItemPathBasedRestoreCriteria } from "../../api/types";
import { PG_BI, RP, SECRET, TARGET_SERVER, useTestEmulator } from "./helpers";
import { accountId, expectAccepted, expectViolation, jobStatusAfter, LAKE_BI, MYSQL_BI, PGFLEX_BI } from "./kind-helpers";

/**
 * The kinds that restore into storage accounts: PostgreSQL and MySQL flexible servers (as files into a
 * container; emulator/kinds/flexible-server.ts) and Data Lake Storage (containers into another account;
 * emulator/kinds/datalake.ts). One test per rule, each asserting the code, and what a restore leaves for
 * the next one.
 */

const CONTAINER = "https://testossstorageaccount.blob.core.windows.net";

/** As `initialize-for-data-recovery-as-files` builds it (backup_and_restore_mysql #0). */
function filesRequest(recoveryPointId: string, url: string, filePrefix: string): AzureBackupRestoreRequest {
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    recoveryPointId,
    sourceDataStoreType: "VaultStore",
    restoreTargetInfo: { objectType: "RestoreFilesTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "westus", targetDetails: { filePrefix, restoreTargetLocationType: "AzureBlobs", url } },
  };
}

const LAKE_POINT = "d4e5f6a7b8c94a31425d6e7f8091a2b3";
const LAKE_SOURCE = accountId("datalakeraw", "datarg");

/** As `initialize-for-item-recovery` (containers) or `initialize-for-data-recovery` (none) builds it (backup_instance_ilr_restore_adls_recovery_point #10). */
function lakeRequest(account: string, containers?: Array<string | { name: string; renameTo?: string; prefixes?: string[] }>): AzureBackupRestoreRequest {
  const datasourceInfo = { datasourceType: "Microsoft.Storage/storageAccounts/adlsBlobServices", objectType: "Datasource", resourceID: account, resourceLocation: "westus", resourceName: account.split("/").pop(), resourceType: "Microsoft.Storage/storageAccounts", resourceUri: account };
  const criteria = (containers ?? []).map((c): ItemPathBasedRestoreCriteria => {
    const entry = typeof c === "string" ? { name: c } : c;
    return { objectType: "ItemPathBasedRestoreCriteria", itemPath: entry.name, isPathRelativeToBackupItem: true, ...(entry.prefixes ? { subItemPathPrefix: entry.prefixes } : {}), ...(entry.renameTo ? { renameTo: entry.renameTo } : {}) };
  });
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    recoveryPointId: LAKE_POINT,
    sourceDataStoreType: "VaultStore",
    restoreTargetInfo: containers
      ? { objectType: "ItemLevelRestoreTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "westus", datasourceInfo, datasourceSetInfo: { ...datasourceInfo, objectType: "DatasourceSet" }, restoreCriteria: criteria }
      : { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "westus", datasourceInfo },
  };
}

const emu = useTestEmulator();

describe("PostgreSQL and MySQL flexible servers: restore as files", () => {
  test("the job writes its files into the container: its recoveryDestination and file prefix; progressEnabled as recorded", async () => {
    const mysql = await expectAccepted(emu, MYSQL_BI, filesRequest("c3d4e5f6a7b84920314c5d6e7f8091a2", `${CONTAINER}/mysqlrestore`, "shop"));
    expect(mysql.extendedInfo?.recoveryDestination).toBe(`${CONTAINER}/mysqlrestore`);
    expect(mysql.extendedInfo?.additionalDetails).toEqual({ "Restore File Prefix": "shop" });
    expect(mysql.progressEnabled).toBe(true);
    const pg = await expectAccepted(emu, PGFLEX_BI, filesRequest("b2c3d4e5f6a74819203b4c5d6e7f8091", `${CONTAINER}/pgflexrestore`, "orders-20250601"));
    expect(pg.extendedInfo?.recoveryDestination).toBe(`${CONTAINER}/pgflexrestore`);
    // no recording shows a PostgreSQL flexible server's restore job: the common default
    expect(pg.progressEnabled).toBe(false);
  });

  test("another restore with the same prefix into the same container is accepted, while the first runs and after it completed", async () => {
    const request = filesRequest("c3d4e5f6a7b84920314c5d6e7f8091a2", `${CONTAINER}/mysqlrestore`, "targetmysql");
    const first = await expectAccepted(emu, MYSQL_BI, request);
    await expectAccepted(emu, MYSQL_BI, request);
    expect(await jobStatusAfter(emu, first.id, 600)).toBe("Completed");
    await expectAccepted(emu, MYSQL_BI, request);
  });

  test("a container that does not exist fails UserErrorContainerNotAccessible", async () => {
    await expectViolation(emu, PGFLEX_BI, filesRequest("a1b2c3d4e5f64718293a4b5c6d7e8f90", `${CONTAINER}/nosuchcontainer`, "p"), "UserErrorContainerNotAccessible");
  });

  test("a target naming a server fails UserErrorRestoreTargetTypeNotSupported (files only)", async () => {
    const server = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/ossdemorg/providers/Microsoft.DBforMySQL/flexibleServers/mysqlshop";
    const request: AzureBackupRestoreRequest = {
      objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
      recoveryPointId: "c3d4e5f6a7b84920314c5d6e7f8091a2",
      sourceDataStoreType: "VaultStore",
      restoreTargetInfo: { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "westus", datasourceInfo: { datasourceType: "Microsoft.DBforMySQL/flexibleServers", objectType: "Datasource", resourceID: server } },
    };
    await expectViolation(emu, MYSQL_BI, request, "UserErrorRestoreTargetTypeNotSupported");
  });
});

describe("Data Lake Storage: containers into another account", () => {
  test("a restore creates its containers in the target account: the job names the account and the backed-up account", async () => {
    const target = accountId("restoredlake");
    const job = await expectAccepted(emu, LAKE_BI, lakeRequest(target, ["raw", { name: "curated", prefixes: ["sales/2025/"] }, { name: "logs", renameTo: "logs-restored" }]));
    expect(job.extendedInfo?.recoveryDestination).toBe(target);
    expect(job.dataSourceSetName).toBe("datalakeraw");
    expect(job.progressEnabled).toBe(false);
    // the same containers again, while it runs and after it completed
    await expectViolation(emu, LAKE_BI, lakeRequest(target, ["raw"]), "UserErrorTargetContainersExistOnAccount");
    expect(await jobStatusAfter(emu, job.id, 600)).toBe("Completed");
    await expectViolation(emu, LAKE_BI, lakeRequest(target, [{ name: "curated", renameTo: "logs-restored" }]), "UserErrorTargetContainersExistOnAccount");
    // another name is free
    await expectAccepted(emu, LAKE_BI, lakeRequest(target, [{ name: "raw", renameTo: "raw-2" }]));
  });

  test("a container the target account has fails UserErrorTargetContainersExistOnAccount, by the name it is restored as", async () => {
    await expectViolation(emu, LAKE_BI, lakeRequest(accountId("restoredlake"), ["logs"]), "UserErrorTargetContainersExistOnAccount");
    // the whole account restores every backed-up container, logs among them
    await expectViolation(emu, LAKE_BI, lakeRequest(accountId("restoredlake")), "UserErrorTargetContainersExistOnAccount");
    await expectAccepted(emu, LAKE_BI, lakeRequest(accountId("restoredlake"), [{ name: "logs", renameTo: "logs-2" }]));
  });

  test("containers a failed restore was to create do not exist", async () => {
    emu.control.setFaults([{ kind: "jobFails", count: 1 }]);
    const job = await expectAccepted(emu, LAKE_BI, lakeRequest(accountId("restoredlake"), ["raw"]));
    expect(await jobStatusAfter(emu, job.id, 600)).toBe("Failed");
    await expectAccepted(emu, LAKE_BI, lakeRequest(accountId("restoredlake"), ["raw"]));
  });

  test("the backed-up account fails UserErrorOriginalLocationRestoreNotSupported", async () => {
    await expectViolation(emu, LAKE_BI, lakeRequest(LAKE_SOURCE, ["raw"]), "UserErrorOriginalLocationRestoreNotSupported");
  });

  test("a target account that does not exist fails UserErrorAzureResourceNotFoundByPlugin", async () => {
    await expectViolation(emu, LAKE_BI, lakeRequest(accountId("nosuchaccount"), ["raw"]), "UserErrorAzureResourceNotFoundByPlugin");
  });
});

test("PostgreSQL single server jobs carry progressEnabled true, as recorded (backup_and_restore_oss)", async () => {
  const request: AzureBackupRestoreRequest = {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    recoveryPointId: RP,
    sourceDataStoreType: "VaultStore",
    restoreTargetInfo: {
      objectType: "RestoreTargetInfo",
      recoveryOption: "FailIfExists",
      restoreLocation: "westus",
      datasourceInfo: { objectType: "Datasource", datasourceType: "Microsoft.DBforPostgreSQL/servers/databases", resourceID: `${TARGET_SERVER}/databases/progress` },
      datasourceAuthCredentials: { objectType: "SecretStoreBasedAuthCredentials", secretStoreResource: { secretStoreType: "AzureKeyVault", uri: SECRET } },
    },
  };
  expect((await expectAccepted(emu, PG_BI, request)).progressEnabled).toBe(true);
});
