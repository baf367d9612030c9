import { describe, expect, test } from "vitest";
import type {
  AzureBackupJob,
  AzureBackupJobResource,
  AzureBackupRestoreRequest,
  CloudError,
  OperationResource,
  ResourceList,
  UserFacingError,
} from "../../api/types";
import { checkRestore } from "../../emulator/rules";
import { loadDefaultWorld } from "../../emulator/world";
import { BLOB_ACCOUNT, BLOB_BI, BLOB_BI_NAME, BV, call, LOW_SERVER, PG_BI, pollToEnd, RP, SECRET, SUB, TARGET_SERVER, useTestEmulator } from "./helpers";

/**
 * One test per restore rule of the service. Each violation is reported the same way by validateRestore
 * and by a direct restore (202, then the operation ends Failed with the service's error, and no job),
 * except a second blob restore on a busy storage account, which the trigger refuses at once (409).
 */

const V = "2021-07-01";

function blobRequest(over: Partial<{ time: string; criteria: Array<{ min: string; max: string }>; account: string; type: string }> = {}): AzureBackupRestoreRequest {
  const account = over.account ?? BLOB_ACCOUNT;
  const datasourceInfo = {
    datasourceType: over.type ?? "Microsoft.Storage/storageAccounts/blobServices",
    objectType: "Datasource",
    resourceID: account,
    resourceLocation: "westus",
    resourceName: account.split("/").pop(),
    resourceType: "Microsoft.Storage/storageAccounts",
    resourceUri: "",
  };
  return {
    objectType: "AzureBackupRecoveryTimeBasedRestoreRequest",
    sourceDataStoreType: "OperationalStore",
    recoveryPointTime: over.time ?? "2021-07-08T00:00:00Z",
    restoreTargetInfo: over.criteria
      ? {
          objectType: "ItemLevelRestoreTargetInfo",
          recoveryOption: "FailIfExists",
          restoreLocation: "westus",
          restoreCriteria: over.criteria.map((c) => ({ objectType: "RangeBasedItemLevelRestoreCriteria", minMatchingValue: c.min, maxMatchingValue: c.max })),
          datasourceInfo,
        }
      : { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "westus", datasourceInfo },
  };
}

function pgRequest(over: Partial<{ server: string; database: string; rp: string; store: string; secret: string; rehydrate: boolean; type: string }> = {}): AzureBackupRestoreRequest {
  const server = over.server ?? TARGET_SERVER;
  const database = over.database ?? "emprestored21";
  const common = {
    sourceDataStoreType: over.store ?? "VaultStore",
    recoveryPointId: over.rp ?? RP,
    restoreTargetInfo: {
      objectType: "RestoreTargetInfo" as const,
      recoveryOption: "FailIfExists",
      restoreLocation: "westus",
      datasourceInfo: {
        objectType: "Datasource",
        datasourceType: over.type ?? "Microsoft.DBforPostgreSQL/servers/databases",
        resourceID: `${server}/databases/${database}`,
        resourceName: database,
        resourceType: "Microsoft.DBforPostgreSQL/servers/databases",
        resourceLocation: "westus",
        resourceUri: "",
      },
      datasourceSetInfo: {
        objectType: "DatasourceSet",
        datasourceType: "Microsoft.DBforPostgreSQL/servers/databases",
        resourceID: server,
        resourceName: server.split("/").pop(),
        resourceType: "Microsoft.DBforPostgreSQL/servers",
        resourceLocation: "westus",
        resourceUri: "",
      },
      datasourceAuthCredentials: { objectType: "SecretStoreBasedAuthCredentials" as const, secretStoreResource: { secretStoreType: "AzureKeyVault", uri: over.secret ?? SECRET } },
    },
  };
  return over.rehydrate
    ? { ...common, objectType: "AzureBackupRestoreWithRehydrationRequest", rehydrationPriority: "Standard", rehydrationRetentionDuration: "P15D" }
    : { ...common, objectType: "AzureBackupRecoveryPointBasedRestoreRequest" };
}

function filesRequest(url: string): AzureBackupRestoreRequest {
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    sourceDataStoreType: "VaultStore",
    recoveryPointId: RP,
    restoreTargetInfo: {
      objectType: "RestoreFilesTargetInfo",
      recoveryOption: "FailIfExists",
      restoreLocation: "westus",
      targetDetails: { url, filePrefix: "empdb11_postgresql-westus_1628853549768", restoreTargetLocationType: "AzureBlobs" },
    },
  };
}

const emu = useTestEmulator();

/** The UserFacingError of a Failed operation or an error response, checked for the service's shape. */
function userFacing(error: CloudError["error"]): UserFacingError {
  expect(error?.additionalInfo?.[0]?.type).toBe("UserFacingError");
  const info = error?.additionalInfo?.[0]?.info as UserFacingError;
  expect(info.code).toBe(error?.code);
  expect(info.message).toBe(error?.message);
  expect(Array.isArray(info.recommendedAction)).toBe(true);
  expect(typeof info.isRetryable).toBe("boolean");
  expect(typeof info.isUserError).toBe("boolean");
  return info;
}

/** Runs `request` through validateRestore and restore; both must end Failed with `code`, no job made. */
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
    info = userFacing(done.body.error);
    const result = await call<CloudError>(emu, "GET", String(res.headers.location));
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.body.error?.code).toBe(code);
  }
  expect(emu.control.jobs()).toEqual([]);
  return info!;
}

async function expectAccepted(instance: string, request: AzureBackupRestoreRequest): Promise<OperationResource> {
  const res = await call(emu, "POST", `${instance}/restore?api-version=${V}`, { body: request });
  expect(res.status, res.text).toBe(202);
  const done = await pollToEnd(emu, String(res.headers["azure-asyncoperation"]), 1);
  expect(done.body.status, JSON.stringify(done.body)).toBe("Succeeded");
  return done.body;
}

describe("source of the restore", () => {
  test("point in time outside the restorable ranges", async () => {
    const info = await expectViolation(BLOB_BI, blobRequest({ time: "2021-07-09T00:00:00Z" }), "UserErrorInvalidRecoveryPointInTime");
    expect(info.isUserError).toBe(true);
    // the ends of the seed's range are inside it
    await expectAccepted(BLOB_BI, blobRequest({ time: "2021-07-06T18:46:45.948Z" }));
  });

  test("recovery point not found", async () => {
    await expectViolation(PG_BI, pgRequest({ rp: "00000000000000000000000000000000" }), "UserErrorRestorePointNotFound");
  });

  test("recovery point not in the requested data store", async () => {
    // f6a5... is only in the archive tier; eb006... has no operational copy
    await expectViolation(PG_BI, pgRequest({ rp: "f6a5b4c3d2e14f0a9b8c7d6e5f4a3b2c" }), "UserErrorRecoveryPointNotInDataStore");
    await expectViolation(PG_BI, pgRequest({ store: "OperationalStore" }), "UserErrorRecoveryPointNotInDataStore");
  });

  test("ArchiveStore without rehydration", async () => {
    await expectViolation(PG_BI, pgRequest({ store: "ArchiveStore" }), "UserErrorRecoveryPointNotRehydrated");
    // with AzureBackupRestoreWithRehydrationRequest it is accepted, and the job reports the priority
    await expectAccepted(PG_BI, pgRequest({ store: "ArchiveStore", rehydrate: true }));
    // (api/types' AzureBackupJob lacks rehydrationPriority, which 2024-04-01+ define)
    const job = emu.control.jobs()[0].properties as AzureBackupJob & { rehydrationPriority?: string };
    expect(job.rehydrationPriority).toBe("Standard");
  });

  test("a rehydrated recovery point restores from ArchiveStore without a rehydration request", async () => {
    const rehydrate = await call(emu, "POST", `${PG_BI}/rehydrate?api-version=${V}`, { body: { recoveryPointId: RP, rehydrationPriority: "High", rehydrationRetentionDuration: "P15D" } });
    expect(rehydrate.status).toBe(202);
    expect((await pollToEnd(emu, String(rehydrate.headers["azure-asyncoperation"]))).body.status).toBe("Succeeded");
    const rp = await call<{ properties: { recoveryPointDataStoresDetails: Array<{ type: string; rehydrationStatus: string | null }> } }>(emu, "GET", `${PG_BI}/recoveryPoints/${RP}?api-version=${V}`);
    expect(rp.body.properties.recoveryPointDataStoresDetails.find((d) => d.type === "ArchiveStore")?.rehydrationStatus).toBe("COMPLETED");
    await expectAccepted(PG_BI, pgRequest({ store: "ArchiveStore" }));
  });
});

describe("PostgreSQL targets", () => {
  test("restore to a lower server version, directly triggered, fails like the seed's validate", async () => {
    const info = await expectViolation(PG_BI, pgRequest({ server: LOW_SERVER }), "UserErrorRestoreToLowerVersion");
    expect(info.innerError).toEqual({
      code: "InnerErrorCodeUnavailable",
      additionalInfo: { DetailedNonLocalisedMessage: "Restoring backup from version:10 of PostgreSQL to 9.5 of PostgreSQL not supported, as the restore server version is lower." },
    });
    expect(info.isUserError).toBe(false);
  });

  test("a same or higher version is accepted", async () => {
    await expectAccepted(PG_BI, pgRequest({ server: TARGET_SERVER.replace("targetossserver", "targetossserver12") }));
  });

  test("target database already exists (FailIfExists)", async () => {
    await expectViolation(PG_BI, pgRequest({ database: "existingdb" }), "UserErrorDatabaseNameAlreadyInUse");
  });

  test("a database a running restore is creating counts as existing; one a failed restore left does not", async () => {
    await expectAccepted(PG_BI, pgRequest({ database: "fresh" }));
    const again = await call(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body: pgRequest({ database: "fresh" }) });
    expect((await pollToEnd(emu, String(again.headers["azure-asyncoperation"]))).body.error?.code).toBe("UserErrorDatabaseNameAlreadyInUse");
    emu.control.reset();
    emu.control.setFaults([{ kind: "jobFails", count: 1 }]);
    await expectAccepted(PG_BI, pgRequest({ database: "fresh" }));
    emu.control.advance(3600);
    await expectAccepted(PG_BI, pgRequest({ database: "fresh" }));
  });

  test("original-location restore", async () => {
    const source = `/subscriptions/${SUB}/resourceGroups/ossdemoRG/providers/Microsoft.DBforPostgreSQL/servers/testpostgresql`;
    await expectViolation(PG_BI, pgRequest({ server: source, database: "empdb11" }), "UserErrorOriginalLocationRestoreNotSupported");
  });

  test("target server not found", async () => {
    await expectViolation(PG_BI, pgRequest({ server: TARGET_SERVER.replace("targetossserver", "nosuchserver") }), "UserErrorDBNotFound");
  });

  test("Key Vault secret not found", async () => {
    await expectViolation(PG_BI, pgRequest({ secret: "https://vikottur-test.vault.azure.net/secrets/nosuchsecret" }), "UserErrorInvalidSecret");
  });
});

describe("restore as files", () => {
  test("storage account and container must exist", async () => {
    await expectViolation(PG_BI, filesRequest("https://nosuchaccount.blob.core.windows.net/testcontainerrestore"), "UserErrorAzureResourceNotFoundByPlugin");
    await expectViolation(PG_BI, filesRequest("https://testossstorageaccount.blob.core.windows.net/nosuchcontainer"), "UserErrorContainerNotAccessible");
    await expectAccepted(PG_BI, filesRequest("https://testossstorageaccount.blob.core.windows.net/testcontainerrestore"));
  });
});

describe("blob targets", () => {
  test("an operational-tier restore goes to the original account only", async () => {
    const other = BLOB_ACCOUNT.replace("msblobbackup", "blobconcurrency01");
    await expectViolation(BLOB_BI, blobRequest({ account: other }), "UserErrorOperationalTierAlternateLocationNotSupported");
  });
});

describe("blob item-level ranges", () => {
  const ranges = (n: number) => Array.from({ length: n }, (_, i) => ({ min: `container${String(i).padStart(2, "0")}`, max: `container${String(i).padStart(2, "0")}-z` }));

  test("more than 10 ranges", async () => {
    await expectViolation(BLOB_BI, blobRequest({ criteria: ranges(11) }), "UserErrorTooManyRestoreCriteriaGivenForBlobRestore");
    await expectAccepted(BLOB_BI, blobRequest({ criteria: ranges(10) }));
  });

  test("overlapping ranges", async () => {
    await expectViolation(
      BLOB_BI,
      blobRequest({
        criteria: [
          { min: "Container1", max: "Container3" },
          { min: "Container2", max: "Container4" },
        ],
      }),
      "UserErrorInvalidRestorePrefixRange",
    );
  });

  test("reversed ranges", async () => {
    await expectViolation(BLOB_BI, blobRequest({ criteria: [{ min: "Container9", max: "Container1" }] }), "UserErrorInvalidRestorePrefixRange");
  });

  test("touching ranges do not overlap (the end of a range is exclusive)", () => {
    const world = loadDefaultWorld();
    const instance = world.vaults[0].instances.find((bi) => bi.name === BLOB_BI_NAME)!;
    const request = blobRequest({
      criteria: [
        { min: "a", max: "b" },
        { min: "b", max: "c" },
      ],
    });
    expect(checkRestore({ world, instance, request, nowMs: Date.now(), restored: () => [], isRehydrated: () => false })).toBeUndefined();
  });
});

describe("requests that do not match the instance or the target's state", () => {
  test("datasource type of the request not matching the instance", async () => {
    await expectViolation(PG_BI, pgRequest({ type: "Microsoft.Storage/storageAccounts/blobServices" }), "UserErrorDatasourceTypeMismatch");
    await expectViolation(BLOB_BI, blobRequest({ type: "Microsoft.DBforPostgreSQL/servers/databases" }), "UserErrorDatasourceTypeMismatch");
  });

  test("the legacy datasource type OssDB is PostgreSQL", async () => {
    await expectAccepted(PG_BI, pgRequest({ type: "OssDB" }));
  });

  test("a second blob restore on a storage account while one is running there is refused at once", async () => {
    await expectAccepted(BLOB_BI, blobRequest());
    const second = await call<CloudError>(emu, "POST", `${BLOB_BI}/restore?api-version=${V}`, { body: blobRequest({ criteria: [{ min: "Container1", max: "Container2" }] }) });
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe("UserErrorPitrRestoreInProgress");
    const info = userFacing(second.body.error);
    expect(info.isRetryable).toBe(true);
    expect(second.headers["x-ms-request-id"]).toBeDefined();
    // validation does not look at running jobs
    const validate = await call(emu, "POST", `${BLOB_BI}/validateRestore?api-version=${V}`, { body: { restoreRequestObject: blobRequest() } });
    expect((await pollToEnd(emu, String(validate.headers["azure-asyncoperation"]))).body.status).toBe("Succeeded");
    // another account is not affected
    const other = `${BV}/backupInstances/blobconcurrency01-0b8e5f0e-1c2d-4e3f-8a9b-0c1d2e3f4a5b`;
    await expectAccepted(other, blobRequest({ account: BLOB_ACCOUNT.replace("msblobbackup", "blobconcurrency01") }));
    // once the job is done the account takes a new restore
    emu.control.advance(300);
    await expectAccepted(BLOB_BI, blobRequest());
    const jobs = await call<ResourceList<AzureBackupJobResource>>(emu, "GET", `${BV}/backupJobs?api-version=${V}`);
    expect(jobs.body.value?.map((j) => j.properties?.status).sort()).toEqual(["Completed", "Completed", "InProgress"]);
  });
});
