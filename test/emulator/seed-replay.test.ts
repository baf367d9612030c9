import { describe, expect, test } from "vitest";
import type { AzureBackupJobResource, AzureBackupRecoveryPointResource, CloudError, OperationResource, ResourceList } from "../../api/types";
import { BLOB, PG, type SeedResponse } from "../fixtures/seeds/exchanges";
import { correctSeedBody, PLACEHOLDER_SUBSCRIPTION, seedOperationId, seedPath, type Json } from "./fixtures/seed-corrections";
import { call, expectDefinition, type HttpResult, LOW_SERVER, RP, shapeOf, SUB, TARGET_SERVER, useTestEmulator } from "./helpers";

/**
 * Replays every HTTP exchange of the two seed documents against the emulator (strict mode), with the
 * seeds' documented errors corrected and the default world's subscription in place of the seeds'
 * placeholders, and checks the responses have the seeds' status, headers and body (shape, and values
 * where the seed's are not per-call IDs or times).
 */

/** The inner restore request of a validate-shaped body (what `restore` takes). */
function triggerBody(text: string): Json {
  return correctSeedBody(text).restoreRequestObject as Json;
}

/** Header names a seed response shows that the emulator must send too (IIS artifacts aside). */
function expectSeedHeaders(res: HttpResult, seed: SeedResponse): void {
  const expected = Object.keys(seed.headers)
    .filter((h) => !["server", "x-powered-by"].includes(h.toLowerCase()))
    .map((h) => h.toLowerCase())
    .sort();
  for (const name of expected) expect(res.headers, `header ${name}`).toHaveProperty(name);
}

const emu = useTestEmulator();

/** Follows the seed's status URL with this emulator's operation ID until the operation ends. */
async function statusUntilDone(seedStatusPath: string, seedOpId: string, ourStatusUrl: string): Promise<HttpResult<OperationResource>[]> {
  const ourOpId = seedOperationId(ourStatusUrl);
  const path = seedPath(seedStatusPath).replace(seedOpId, ourOpId);
  expect(`${emu.url}${path}`).toBe(ourStatusUrl);
  const seen: HttpResult<OperationResource>[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await call<OperationResource>(emu, "GET", path);
    seen.push(res);
    if (res.body.status?.toLowerCase() !== "inprogress") return seen;
    emu.control.advance(5);
  }
  throw new Error("operation did not end");
}

describe("blob seed (2021-01-01)", () => {
  const v = "2021-01-01";

  test("findRestorableTimeRanges returns the seed's response", async () => {
    const res = await call(emu, BLOB.findRestorableTimeRanges.method, seedPath(BLOB.findRestorableTimeRanges.path), { body: JSON.parse(BLOB.findRestorableTimeRangesBody) });
    expect(res.status).toBe(BLOB.findRestorableTimeRangesResponse.status);
    expect(res.body).toEqual(JSON.parse(BLOB.findRestorableTimeRangesResponse.body));
    expectSeedHeaders(res, BLOB.findRestorableTimeRangesResponse);
    expectDefinition(v, "AzureBackupFindRestorableTimeRangesResponseResource", res.body);
  });

  for (const [name, bodyText] of [
    ["all blobs", BLOB.validateAllBlobsBody],
    ["selected containers", BLOB.validateItemsBody],
  ] as const) {
    test(`validateRestore (${name}): 202 with the seed's headers, then Succeeded`, async () => {
      const res = await call(emu, BLOB.validateRestore.method, seedPath(BLOB.validateRestore.path), { body: correctSeedBody(bodyText) });
      expect(res.status).toBe(202);
      expect(res.text).toBe("");
      expectSeedHeaders(res, BLOB.validateAccepted);
      expect(res.headers["retry-after"]).toBe(BLOB.validateAccepted.headers["Retry-After"]);
      const seedOp = seedOperationId(BLOB.validateAccepted.headers["Azure-AsyncOperation"]);
      const ourOp = seedOperationId(String(res.headers["azure-asyncoperation"]));
      expect(Buffer.from(ourOp, "base64").toString()).toMatch(/^[0-9a-f-]{36};[0-9a-f-]{36}$/);
      for (const h of ["Azure-AsyncOperation", "Location"]) {
        expect(res.headers[h.toLowerCase()]).toBe(`${emu.url}${seedPath(BLOB.validateAccepted.headers[h]).replace(seedOp, ourOp)}`);
      }
      const polls = await statusUntilDone(BLOB.validateStatus.path, seedOp, String(res.headers["azure-asyncoperation"]));
      const last = polls[polls.length - 1];
      expect(last.status).toBe(200);
      expect(last.body.status).toBe("Succeeded");
      expect(shapeOf(last.body)).toEqual(shapeOf(JSON.parse(BLOB.validateStatusBody)));
      expect(last.body.id).toBe(seedPath(BLOB.validateStatus.path).replace(seedOp, ourOp).replace(/\?.*$/, ""));
      expectDefinition(v, "OperationResource", last.body);
      // the seed's validate ran 22 s (20:59:35 → 20:59:57)
      expect(Date.parse(last.body.endTime ?? "") - Date.parse(last.body.startTime ?? "")).toBeGreaterThanOrEqual(21_000);
    });
  }

  test("restore (all blobs): 202, operation Succeeded with the jobId, job Completed with the seed's fields", async () => {
    const res = await call(emu, BLOB.restore.method, seedPath(BLOB.restore.path), { body: correctSeedBody(BLOB.restoreAllBlobsBody) });
    expect(res.status).toBe(202);
    expectSeedHeaders(res, BLOB.restoreAccepted);
    expect(res.headers["retry-after"]).toBe("30");
    const seedOp = seedOperationId(BLOB.restoreAccepted.headers["Azure-AsyncOperation"]);
    const polls = await statusUntilDone(BLOB.restoreStatus.path, seedOp, String(res.headers["azure-asyncoperation"]));
    const done = polls[polls.length - 1].body;
    const seedStatus = JSON.parse(BLOB.restoreStatusBody) as OperationResource;
    expect(shapeOf(done)).toEqual(shapeOf(seedStatus));
    expect(done.status).toBe("Succeeded");
    expect(done.properties?.objectType).toBe("OperationJobExtendedInfo");
    const seedJobId = seedPath(seedStatus.properties?.jobId ?? "");
    const jobName = done.properties?.jobId?.split("/").pop() ?? "";
    expect(done.properties?.jobId?.toLowerCase()).toBe(seedJobId.replace(/[^/]+$/, jobName).toLowerCase());

    // the Location header gives the same result
    const location = await call(emu, "GET", String(res.headers.location));
    expect(location.status).toBe(200);
    expect(location.body).toEqual({ jobId: done.properties?.jobId, objectType: "OperationJobExtendedInfo" });

    // the seed's GET job path (resource group written TestBkpVaultRG) with this job's name
    const jobPath = seedPath(BLOB.getJob.path).replace("c4bd49a1-0645-4eec-b207-feb818962852", jobName);
    const running = await call<AzureBackupJobResource>(emu, "GET", jobPath);
    expect(running.status).toBe(200);
    expect(running.body.properties?.status).toBe("InProgress");
    expect(running.body.properties?.endTime).toBeUndefined();

    emu.control.advance(4 * 60 + 17);
    const job = await call<AzureBackupJobResource>(emu, "GET", jobPath);
    const seedJob = JSON.parse(seedPath(BLOB.getJobBody)) as AzureBackupJobResource;
    expect(job.status).toBe(200);
    expect(shapeOf(job.body)).toEqual(shapeOf(seedJob));
    const p = job.body.properties!;
    const s = seedJob.properties!;
    for (const key of [
      "subscriptionId",
      "dataSourceId",
      "backupInstanceFriendlyName",
      "policyName",
      "sourceResourceGroup",
      "dataSourceName",
      "progressEnabled",
      "sourceSubscriptionID",
      "dataSourceLocation",
      "dataSourceType",
      "operationCategory",
      "operation",
      "status",
      "isUserTriggered",
      "supportedActions",
      "duration",
      "extendedInfo",
    ] as const) {
      expect(p[key], key).toEqual(s[key]);
    }
    // the seed's IDs spell the resource group TestBkpVaultRG; ARM compares them without case
    expect(p.backupInstanceId?.toLowerCase()).toBe(s.backupInstanceId?.toLowerCase());
    expect(p.policyId?.toLowerCase()).toBe(s.policyId?.toLowerCase());
    // (the seed's vaultName "BV-JPE-GRS" contradicts its own paths; the emulator names the vault it ran in)
    expect(p.vaultName).toBe("testBkpVault");
    expect(Date.parse(p.endTime ?? "") - Date.parse(p.startTime)).toBe(256_283);
    expect(p.etag).toMatch(/^W\/"datetime'\d{4}-\d{2}-\d{2}T\d{2}%3A\d{2}%3A[\d.]+Z'"$/);
    expectDefinition(v, "AzureBackupJobResource", job.body);
  });

  test("restore (selected containers) after the first restore finished", async () => {
    const first = await call(emu, "POST", seedPath(BLOB.restore.path), { body: correctSeedBody(BLOB.restoreAllBlobsBody) });
    expect(first.status).toBe(202);
    // a second blob restore on the account is refused while the first runs...
    const refused = await call<CloudError>(emu, "POST", seedPath(BLOB.restore.path), { body: correctSeedBody(BLOB.restoreItemsBody) });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe("UserErrorPitrRestoreInProgress");
    // ...and accepted once it is done
    emu.control.advance(5 * 60);
    const res = await call(emu, "POST", seedPath(BLOB.restore.path), { body: correctSeedBody(BLOB.restoreItemsBody) });
    expect(res.status).toBe(202);
    const done = await statusUntilDone(BLOB.restoreStatus.path, seedOperationId(BLOB.restoreAccepted.headers["Azure-AsyncOperation"]), String(res.headers["azure-asyncoperation"]));
    expect(done[done.length - 1].body.status).toBe("Succeeded");
  });
});

describe("PostgreSQL seed (2021-07-01)", () => {
  const v = "2021-07-01";

  test("list recovery points includes the seed's recovery point", async () => {
    const res = await call<ResourceList<AzureBackupRecoveryPointResource>>(emu, PG.listRecoveryPoints.method, seedPath(PG.listRecoveryPoints.path));
    expect(res.status).toBe(200);
    expectSeedHeaders(res, PG.listRecoveryPointsResponse);
    expect(res.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBeDefined();
    const seedItem = JSON.parse(PG.listRecoveryPointsResponse.body) as AzureBackupRecoveryPointResource;
    const item = res.body.value?.find((rp) => rp.name === RP);
    expect(item).toBeDefined();
    const { recoveryPointDataStoresDetails, ...rest } = item!.properties!;
    const { recoveryPointDataStoresDetails: seedDetails, ...seedRest } = seedItem.properties!;
    expect(rest).toEqual(seedRest);
    // the seed shows the vault-tier copy; the world also keeps the point in the archive tier
    expect(recoveryPointDataStoresDetails?.[0]).toEqual(seedDetails?.[0]);
    expect(recoveryPointDataStoresDetails?.map((d) => d.type)).toEqual(["VaultStore", "ArchiveStore"]);
    expectDefinition(v, "AzureBackupRecoveryPointResourceList", res.body);
  });

  /** The seed's validate body, corrected, aimed at another server. */
  function validateBodyFor(serverId: string): Json {
    const body = correctSeedBody(PG.validateBody);
    const target = (body.restoreRequestObject as Json).restoreTargetInfo as Json;
    const db = target.datasourceInfo as Json;
    const set = target.datasourceSetInfo as Json;
    for (const d of [db, set]) for (const k of ["resourceID", "resourceUri"]) if (typeof d[k] === "string" && d[k] !== "") d[k] = String(d[k]).replace(TARGET_SERVER, serverId);
    set.resourceName = serverId.split("/").pop();
    return body;
  }

  test("validateRestore to a lower-version server fails with the seed's UserErrorRestoreToLowerVersion", async () => {
    const res = await call(emu, PG.validateRestore.method, seedPath(PG.validateRestore.path), { body: validateBodyFor(LOW_SERVER) });
    expect(res.status).toBe(202);
    expectSeedHeaders(res, PG.validateAccepted);
    expect(res.headers["retry-after"]).toBe("10");
    const seedOp = seedOperationId(PG.validateStatus.path);
    const polls = await statusUntilDone(PG.validateStatus.path, seedOp, String(res.headers["azure-asyncoperation"]));
    // the seed shows "Inprogress" while it runs; ARM's value is InProgress
    expect(polls[0].body.status?.toLowerCase()).toBe((JSON.parse(PG.validateInProgressBody) as OperationResource).status?.toLowerCase());
    expect(polls[0].body.endTime).toBe("0001-01-01T00:00:00Z");
    expect(shapeOf(polls[0].body)).toEqual(shapeOf(JSON.parse(PG.validateInProgressBody)));
    const failed = polls[polls.length - 1];
    const seed = JSON.parse(PG.validateFailedLowerVersion.body) as OperationResource;
    expect(failed.status).toBe(PG.validateFailedLowerVersion.status);
    expectSeedHeaders(failed, PG.validateFailedLowerVersion);
    expect(failed.body.status).toBe("Failed");
    const activityId = /"ActivityId":\s*"([^"]+)"/.exec(JSON.stringify(failed.body))?.[1] ?? "";
    expect(activityId).toMatch(/^[0-9a-f-]{36}-Ibz$/);
    expect(JSON.parse(JSON.stringify(failed.body.error).replace(activityId, "2a23524f-0217-4bc1-bbe8-1546d2e6204d-Ibz"))).toEqual(seed.error);
    expect(Object.keys(failed.body)).toEqual(Object.keys(seed));
    expectDefinition(v, "OperationResource", failed.body);
    // Location polling ends with the error too
    const location = await call<CloudError>(emu, "GET", String(res.headers.location));
    expect(location.status).toBe(400);
    expect(location.body.error?.code).toBe("UserErrorRestoreToLowerVersion");
  });

  test("validateRestore to targetossserver succeeds as in the seed", async () => {
    const res = await call(emu, "POST", seedPath(PG.validateRestore.path), { body: correctSeedBody(PG.validateBody) });
    expect(res.status).toBe(202);
    const polls = await statusUntilDone(PG.validateStatus.path, seedOperationId(PG.validateStatus.path), String(res.headers["azure-asyncoperation"]));
    const done = polls[polls.length - 1];
    const seed = JSON.parse(PG.validateSucceeded.body) as OperationResource;
    expect(done.status).toBe(200);
    expectSeedHeaders(done, PG.validateSucceeded);
    expect(done.body.status).toBe("Succeeded");
    expect(shapeOf(done.body)).toEqual(shapeOf(seed));
  });

  test("restore as a database: 202, jobId, job Completed; the database then exists", async () => {
    const res = await call(emu, PG.restore.method, seedPath(PG.restore.path), { body: correctSeedBody(PG.restoreBody) });
    expect(res.status).toBe(202);
    expectSeedHeaders(res, PG.restoreAccepted);
    expect(res.headers["retry-after"]).toBe("30");
    const polls = await statusUntilDone(PG.restoreStatus.path, seedOperationId(PG.restoreStatus.path), String(res.headers["azure-asyncoperation"]));
    const done = polls[polls.length - 1].body;
    const seed = JSON.parse(PG.restoreStatusBody) as OperationResource;
    expect(shapeOf(done)).toEqual(shapeOf(seed));
    const jobName = done.properties?.jobId?.split("/").pop() ?? "";
    expect(done.properties?.jobId?.toLowerCase()).toBe(seedPath(seed.properties?.jobId ?? "").replace(/[^/]+$/, jobName).toLowerCase());

    emu.control.advance(3600);
    const job = await call<AzureBackupJobResource>(emu, "GET", seedPath(PG.getJob.path).replace("cccc2c2c-dd3d-ee4e-ff5f-aaaaaa6a6a6a", jobName));
    expect(job.status).toBe(200);
    const p = job.body.properties!;
    expect(p.status).toBe("Completed");
    expect(p.operationCategory).toBe("Restore");
    expect(p.dataSourceType).toBe("Microsoft.DBforPostgreSQL/servers/databases");
    expect(p.dataSourceSetName).toBe("testpostgresql");
    expect(p.extendedInfo?.sourceRecoverPoint).toEqual({ recoveryPointID: RP, recoveryPointTime: "2021-10-21T16:31:16.8316716Z" });
    expect(p.extendedInfo?.recoveryDestination).toBe(`${TARGET_SERVER}/databases/emprestored21`);
    expectDefinition(v, "AzureBackupJobResource", job.body);

    // FailIfExists: the same restore again now finds emprestored21 on targetossserver
    const again = await call(emu, "POST", seedPath(PG.restore.path), { body: correctSeedBody(PG.restoreBody) });
    const verdict = await statusUntilDone(PG.restoreStatus.path, seedOperationId(PG.restoreStatus.path), String(again.headers["azure-asyncoperation"]));
    expect(verdict[verdict.length - 1].body.error?.code).toBe("UserErrorDatabaseNameAlreadyInUse");
  });

  test("the seed's target database ID, with providers/providers/ corrected, is the database restored to", () => {
    expect(seedPath(PG.targetDatabaseId).replace("xxxxxxxx-xxxx-xxxx-xxxx", SUB).replace("/providers/providers/", "/providers/")).toBe(`${TARGET_SERVER}/databases/emprestored21`);
  });

  for (const [name, text, store] of [
    ["restore as a database", PG.restoreAsDatabaseBody, "VaultStore"],
    ["restore as a database from the archive tier", PG.restoreAsDatabaseArchiveBody, "ArchiveStore"],
    ["restore as files", PG.restoreAsFilesBody, "VaultStore"],
    ["restore as files from the archive tier", PG.restoreAsFilesArchiveBody, "ArchiveStore"],
  ] as const) {
    test(`${name}: validateRestore succeeds and the trigger creates a job`, async () => {
      const body = correctSeedBody(text);
      expect((body.restoreRequestObject as Json).sourceDataStoreType).toBe(store);
      const validate = await call(emu, "POST", seedPath(PG.validateRestore.path), { body });
      expect(validate.status).toBe(202);
      const verdict = await statusUntilDone(PG.validateStatus.path, seedOperationId(PG.validateStatus.path), String(validate.headers["azure-asyncoperation"]));
      expect(verdict[verdict.length - 1].body).toMatchObject({ status: "Succeeded" });

      const trigger = await call(emu, "POST", seedPath(PG.restore.path), { body: triggerBody(text) });
      expect(trigger.status).toBe(202);
      const polls = await statusUntilDone(PG.restoreStatus.path, seedOperationId(PG.restoreStatus.path), String(trigger.headers["azure-asyncoperation"]));
      const jobId = polls[polls.length - 1].body.properties?.jobId ?? "";
      emu.control.advance(24 * 3600);
      const job = await call<AzureBackupJobResource>(emu, "GET", `${jobId}?api-version=${v}`);
      expect(job.body.properties?.status).toBe("Completed");
      const destination = name.includes("files") ? PG.containerUrl : `${TARGET_SERVER}/databases/emprestored21`;
      expect(job.body.properties?.extendedInfo?.recoveryDestination).toBe(destination);
    });
  }

  describe("the uncorrected seed bodies are refused with 400 naming the JSON path", () => {
    async function refused(body: unknown): Promise<string> {
      const res = await call<CloudError>(emu, "POST", seedPath(PG.validateRestore.path), { body });
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe("InvalidRequestContent");
      return res.body.error?.message ?? "";
    }
    const corrected = () => correctSeedBody(PG.validateBody);

    test("trailing commas", async () => {
      expect(await refused(PG.restoreAsDatabaseArchiveBody.replace(PLACEHOLDER_SUBSCRIPTION, SUB))).toMatch(/not valid JSON/);
    });
    test("dataSourceInfo / dataSourceSetInfo are accepted: the service matches property names without regard to case", async () => {
      const body = corrected();
      const target = (body.restoreRequestObject as Json).restoreTargetInfo as Json;
      target.dataSourceInfo = target.datasourceInfo;
      delete target.datasourceInfo;
      const res = await call(emu, "POST", seedPath(PG.validateRestore.path), { body });
      expect(res.status, res.text).toBe(202);
    });
    test("objectType restoreTargetInfo", async () => {
      const body = corrected();
      ((body.restoreRequestObject as Json).restoreTargetInfo as Json).objectType = "restoreTargetInfo";
      expect(await refused(body)).toContain("restoreRequestObject.restoreTargetInfo.objectType: 'restoreTargetInfo' is not a known");
    });
    test("rehydration_priority / rehydration_retention_duration", async () => {
      const body = JSON.parse(PG.restoreAsDatabaseArchiveBody.replace(PLACEHOLDER_SUBSCRIPTION, SUB).replace(/,(\s*[}\]])/g, "$1")) as Json;
      const target = (body.restoreRequestObject as Json).restoreTargetInfo as Json;
      target.objectType = "RestoreTargetInfo";
      target.datasourceInfo = target.dataSourceInfo;
      target.datasourceSetInfo = target.dataSourceSetInfo;
      delete target.dataSourceInfo;
      delete target.dataSourceSetInfo;
      expect(await refused(body)).toContain("restoreRequestObject.rehydration_priority: is not a property");
    });
    test("recoveryPointId beside restoreRequestObject", async () => {
      const body = corrected();
      body.recoveryPointId = (body.restoreRequestObject as Json).recoveryPointId;
      delete (body.restoreRequestObject as Json).recoveryPointId;
      const message = await refused(body);
      expect(message).toContain("restoreRequestObject.recoveryPointId: is required");
      expect(message).toContain("recoveryPointId: is not a property of ValidateRestoreRequestObject");
    });
    test("objectType ValidateRestoreRequestObject at the top (not listed in the README)", async () => {
      expect(await refused({ objectType: "ValidateRestoreRequestObject", ...corrected() })).toContain("objectType: is not a property of ValidateRestoreRequestObject");
    });
    test("a secretStoreResource value is not defined in 2021-07-01 (null is read as absent)", async () => {
      const body = corrected();
      const creds = ((body.restoreRequestObject as Json).restoreTargetInfo as Json).datasourceAuthCredentials as Json;
      (creds.secretStoreResource as Json).value = "secret";
      expect(await refused(body)).toContain("secretStoreResource.value: is not a property of SecretStoreResource in api-version 2021-07-01");
    });
  });

  test("the seed's own operation IDs are unknown here (IDs are minted per operation)", async () => {
    const res = await call<CloudError>(emu, "GET", seedPath(PG.validateStatus.path));
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe("ResourceNotFound");
  });
});

