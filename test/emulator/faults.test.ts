import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, test } from "vitest";
import type { AzureBackupJobResource, CloudError, OperationResource, UserFacingError } from "../../api/types";
import { parseFaultRules } from "../../emulator/faults";
import { BLOB_ACCOUNT, BLOB_BI, BV, call, PG_BI, pollToEnd, startTestEmulator, useTestEmulator } from "./helpers";

/** One test per fault kind, plus how rules select calls (route, method, count, probability, phase). */

const V = "2021-01-01";
const LIST_RPS = `${PG_BI}/recoveryPoints?api-version=${V}`;
const restoreBody = {
  objectType: "AzureBackupRecoveryTimeBasedRestoreRequest",
  sourceDataStoreType: "OperationalStore",
  recoveryPointTime: "2021-07-08T00:00:00Z",
  restoreTargetInfo: {
    objectType: "RestoreTargetInfo",
    recoveryOption: "FailIfExists",
    restoreLocation: "westus",
    datasourceInfo: { datasourceType: "Microsoft.Storage/storageAccounts/blobServices", objectType: "Datasource", resourceID: BLOB_ACCOUNT, resourceName: "msblobbackup", resourceType: "Microsoft.Storage/storageAccounts", resourceLocation: "westus", resourceUri: "" },
  },
};

const emu = useTestEmulator();

describe("fault kinds", () => {
  test("throttle: 429 with Retry-After, x-ms-ratelimit-remaining-* 0 and ARM's body", async () => {
    emu.control.setFaults([{ kind: "throttle", route: "listRecoveryPoints", retryAfterSeconds: 7, count: 1 }]);
    const res = await call<CloudError>(emu, "GET", LIST_RPS);
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("7");
    expect(res.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBe("0");
    expect(res.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBe("0");
    expect(res.body.error?.code).toBe("SubscriptionRequestsThrottled");
    expect(res.body.error?.message).toMatch(/Number of 'read' requests for subscription .* exceeded/);
    expect((await call(emu, "GET", LIST_RPS)).status).toBe(200);
    expect(emu.control.requestLog({ route: "listRecoveryPoints" }).map((e) => [e.status, e.fault])).toEqual([
      [429, "throttle"],
      [200, undefined],
    ]);
  });

  test("status: 500 and 503 with a CloudError", async () => {
    emu.control.setFaults([
      { kind: "status", route: "getBackupInstance", status: 503, count: 1 },
      { kind: "status", route: "getBackupInstance", count: 1, error: { code: "InternalServerError", message: "boom" } },
    ]);
    const first = await call<CloudError>(emu, "GET", `${PG_BI}?api-version=${V}`);
    expect(first.status).toBe(503);
    expect(first.body.error?.code).toBe("ServiceUnavailable");
    const second = await call<CloudError>(emu, "GET", `${PG_BI}?api-version=${V}`);
    expect(second.status).toBe(500);
    expect(second.body.error).toEqual({ code: "InternalServerError", message: "boom" });
    expect((await call(emu, "GET", `${PG_BI}?api-version=${V}`)).status).toBe(200);
  });

  test("reset: the connection is dropped without a response", async () => {
    emu.control.setFaults([{ kind: "reset", route: "listRecoveryPoints", count: 1 }]);
    await expect(call(emu, "GET", LIST_RPS)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await call(emu, "GET", LIST_RPS)).status).toBe(200);
    expect(emu.control.requestLog({ route: "listRecoveryPoints" })[0]).toMatchObject({ status: 0, fault: "reset" });
  });

  test("slow: the response waits delayMs", async () => {
    emu.control.setFaults([{ kind: "slow", route: "listRecoveryPoints", delayMs: 150, count: 1 }]);
    const started = Date.now();
    const res = await call(emu, "GET", LIST_RPS);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  test("operationFails: the next operation on the route ends Failed with the given error, and makes no job", async () => {
    emu.control.setFaults([{ kind: "operationFails", route: "restore", count: 1, error: { code: "UserErrorMSIMissingPermissions", message: "The vault's identity lacks a role." } }]);
    const res = await call(emu, "POST", `${BLOB_BI}/restore?api-version=${V}`, { body: restoreBody });
    expect(res.status).toBe(202);
    const done = await pollToEnd(emu, String(res.headers["azure-asyncoperation"]));
    expect(done.body.status).toBe("Failed");
    expect(done.body.error?.code).toBe("UserErrorMSIMissingPermissions");
    expect((done.body.error?.additionalInfo?.[0]?.info as UserFacingError).message).toBe("The vault's identity lacks a role.");
    expect(emu.control.jobs()).toEqual([]);
    const results = await call<CloudError>(emu, "GET", String(res.headers.location));
    expect(results.status).toBe(500);
    // the next one is not affected
    const again = await call(emu, "POST", `${BLOB_BI}/restore?api-version=${V}`, { body: restoreBody });
    expect((await pollToEnd(emu, String(again.headers["azure-asyncoperation"]))).body.status).toBe("Succeeded");
  });

  test("jobFails: the next restore job ends Failed with errorDetails", async () => {
    emu.control.setFaults([{ kind: "jobFails", count: 1, error: { code: "UserErrorStorageAccountInLockedState", message: "The target is locked." } }]);
    const res = await call(emu, "POST", `${BLOB_BI}/restore?api-version=${V}`, { body: restoreBody });
    const done = await pollToEnd(emu, String(res.headers["azure-asyncoperation"]));
    expect(done.body.status).toBe("Succeeded");
    const jobUrl = `${(done.body as OperationResource).properties?.jobId}?api-version=${V}`;
    expect((await call<AzureBackupJobResource>(emu, "GET", jobUrl)).body.properties?.status).toBe("InProgress");
    emu.control.advance(300);
    const job = await call<AzureBackupJobResource>(emu, "GET", jobUrl);
    expect(job.body.properties?.status).toBe("Failed");
    expect(job.body.properties?.errorDetails?.[0]).toMatchObject({ code: "UserErrorStorageAccountInLockedState", message: "The target is locked." });
    expect(job.body.properties?.extendedInfo?.subTasks?.[0].taskStatus).toBe("Failed");
  });

  test("rateLimit: reads per window, 429 with the Retry-After that frees the window", async () => {
    emu.control.setFaults([{ kind: "rateLimit", reads: 2, writes: 100, windowSeconds: 60 }]);
    const a = await call(emu, "GET", LIST_RPS);
    expect(a.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBe("1");
    const b = await call(emu, "GET", LIST_RPS);
    expect(b.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBe("0");
    const c = await call<CloudError>(emu, "GET", LIST_RPS);
    expect(c.status).toBe(429);
    expect(c.body.error?.code).toBe("SubscriptionRequestsThrottled");
    const retryAfter = Number(c.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // writes have their own budget
    const write = await call(emu, "POST", `${BLOB_BI}/findRestorableTimeRanges?api-version=${V}`, { body: { sourceDataStoreType: "OperationalStore" } });
    expect(write.status).toBe(200);
    expect(write.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBe("99");
    emu.control.advance(retryAfter);
    expect((await call(emu, "GET", LIST_RPS)).status).toBe(200);
  });

  test("rateLimit: with one rule for reads and another for writes, each answer reports the budget of its kind", async () => {
    emu.control.setFaults([
      { kind: "rateLimit", reads: 5, windowSeconds: 10 },
      { kind: "rateLimit", writes: 3, windowSeconds: 20 },
    ]);
    const read = await call(emu, "GET", LIST_RPS);
    expect(read.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBe("4");
    const write = await call(emu, "POST", `${BLOB_BI}/findRestorableTimeRanges?api-version=${V}`, { body: { sourceDataStoreType: "OperationalStore" } });
    expect(write.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBe("2");
  });
});

describe("selecting calls", () => {
  test("count applies to the next N matching calls only; method filters", async () => {
    emu.control.setFaults([
      { kind: "status", route: "*", method: "POST", count: 2 },
      { kind: "throttle", route: "*", method: "GET", count: 1 },
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(emu, "POST", `${BLOB_BI}/findRestorableTimeRanges?api-version=${V}`, { body: { sourceDataStoreType: "OperationalStore" } })).status);
    statuses.push((await call(emu, "GET", LIST_RPS)).status, (await call(emu, "GET", LIST_RPS)).status);
    expect(statuses).toEqual([500, 500, 200, 429, 200]);
    expect(emu.control.faults().map((f) => [f.kind, f.remaining, f.applied])).toEqual([
      ["status", 0, 2],
      ["throttle", 0, 1],
    ]);
  });

  test("probability with a seed is deterministic", async () => {
    const run = async () => {
      emu.control.setFaults([{ kind: "throttle", route: "listRecoveryPoints", probability: 0.5, seed: 42 }]);
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await call(emu, "GET", LIST_RPS)).status);
      return out;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first).toContain(429);
    expect(first).toContain(200);
  });

  test("phase after: the request takes effect, then the response is lost", async () => {
    emu.control.setFaults([{ kind: "status", route: "restore", phase: "after", count: 1 }]);
    const res = await call(emu, "POST", `${BLOB_BI}/restore?api-version=${V}`, { body: restoreBody });
    expect(res.status).toBe(500);
    // the restore was triggered: its job exists and a client can find it by listing jobs
    const jobs = await call<{ value: AzureBackupJobResource[] }>(emu, "GET", `${BV}/backupJobs?api-version=${V}`);
    expect(jobs.body.value).toHaveLength(1);
    const job = await call<AzureBackupJobResource>(emu, "GET", `${jobs.body.value[0].id}?api-version=${V}`);
    expect(job.body.properties?.extendedInfo?.recoveryDestination).toBe(BLOB_ACCOUNT);
  });

  test("faults load from a file at start", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-faults-")), "faults.yaml");
    fs.writeFileSync(file, "faults:\n  - kind: throttle\n    route: listRecoveryPoints\n    retryAfterSeconds: 3\n    count: 1\n");
    const other = await startTestEmulator({ faults: file });
    try {
      const res = await call(other, "GET", LIST_RPS);
      expect(res.status).toBe(429);
      expect(res.headers["retry-after"]).toBe("3");
      // reset restores the faults given at start
      other.control.reset();
      expect(other.control.faults()).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });

  test("invalid rules are refused with the offending path", () => {
    expect(() => parseFaultRules([{ kind: "explode" }])).toThrow(/\/0\/kind/);
    expect(() => parseFaultRules([{ kind: "slow" }])).toThrow(/slow needs delayMs/);
    expect(() => parseFaultRules([{ kind: "status", status: 302 }])).toThrow(/\/0\/status/);
  });
});
