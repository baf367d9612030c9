import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AzureLogger, setLogLevel } from "@azure/logger";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { API_VERSIONS } from "../../api/versions";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { defaultWorldPath, type WorldFile } from "../../emulator/world";
import * as YAML from "yaml";
import { backupInstanceAddress } from "../../language/backup-instance";
import type { RecoveryPointRef } from "../../language/model";
import { resolveRecoveryPoint } from "../../language/recovery-point";
import { DataProtectionClient, DataProtectionError, EmulatorCredential, followRestoreJob, jobOutcome } from "../../client";

const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const vault = { subscriptionId: SUB, resourceGroup: "testBkpVaultRG", vault: "testBkpVault" };
const blob = backupInstanceAddress(SUB, "testBkpVaultRG", "testBkpVault", "msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d");
const pg = backupInstanceAddress(SUB, "testBkpVaultRG", "testBkpVault", "testpostgresql-empdb11-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e");
const RP = "eb006fde78cb47198be5a320fbe45e9b";

let emulator: RunningEmulator;
let api: DataProtectionClient;
const credential = new EmulatorCredential();

function newClient(options: ConstructorParameters<typeof DataProtectionClient>[0] = {}): DataProtectionClient {
  return new DataProtectionClient({ endpoint: emulator.url, credential, ca: emulator.caCert, retry: { retryDelayInMs: 50, maxRetryDelayInMs: 500 }, ...options });
}

function pgRestoreBody(server = "targetossserver", db = `restored${Math.random().toString(36).slice(2, 8)}`) {
  const id = `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/${server}/databases/${db}`;
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest" as const,
    sourceDataStoreType: "VaultStore",
    recoveryPointId: RP,
    restoreTargetInfo: {
      objectType: "RestoreTargetInfo" as const,
      recoveryOption: "FailIfExists",
      restoreLocation: "westus",
      datasourceInfo: { datasourceType: "Microsoft.DBforPostgreSQL/servers/databases", objectType: "Datasource", resourceID: id, resourceName: db, resourceType: "Microsoft.DBforPostgreSQL/servers/databases", resourceLocation: "westus", resourceUri: id },
      datasourceSetInfo: { datasourceType: "Microsoft.DBforPostgreSQL/servers/databases", objectType: "DatasourceSet", resourceID: id.split("/databases/")[0], resourceName: server, resourceType: "Microsoft.DBforPostgreSQL/servers", resourceLocation: "westus", resourceUri: "" },
      datasourceAuthCredentials: { objectType: "SecretStoreBasedAuthCredentials" as const, secretStoreResource: { secretStoreType: "AzureKeyVault", uri: "https://vikottur-test.vault.azure.net/secrets/dbauth3" } },
    },
  };
}

function log(route: string, method?: string) {
  return emulator.control.requestLog({ route, method });
}

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 60, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
  api = newClient();
});

afterAll(async () => {
  await emulator?.stop();
});

beforeEach(() => {
  emulator.control.reset();
});

describe("every operation on the default world", () => {
  it("gets and lists backup instances", async () => {
    const instance = await api.getBackupInstance(pg);
    expect(instance.properties?.dataSourceInfo.datasourceType).toBe("Microsoft.DBforPostgreSQL/servers/databases");
    const all = await api.listBackupInstances(vault);
    expect(all.map((i) => i.name)).toEqual(expect.arrayContaining([blob.name, pg.name]));
  });

  it("finds restorable time ranges", async () => {
    const ranges = await api.findRestorableTimeRanges(blob, { sourceDataStoreType: "OperationalStore", startTime: "2021-07-01T00:00:00Z", endTime: "2021-07-09T00:00:00Z" });
    expect(ranges.properties?.restorableTimeRanges?.[0]).toMatchObject({ startTime: "2021-07-06T18:46:45.947728Z", endTime: "2021-07-08T18:46:45.9932408Z" });
  });

  it("lists recovery points across pages, with a date filter, and gets one", async () => {
    const points = await api.listRecoveryPoints(pg);
    expect(points.length).toBeGreaterThan(10);
    expect(log("listRecoveryPoints").length).toBeGreaterThan(1);
    const filtered = await api.listRecoveryPoints(pg, { startDate: "2021-10-20T00:00:00Z", endDate: "2021-10-21T23:59:59Z" });
    expect(filtered.map((p) => p.properties?.recoveryPointId).sort()).toEqual([RP, "7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29"].sort());
    expect((await api.getRecoveryPoint(pg, RP)).properties?.recoveryPointTime).toBe("2021-10-21T16:31:16.8316716Z");
  });

  it("lists what latest and latestBefore resolve from, and an ID's data stores", async () => {
    const resolve = async (ref: RecoveryPointRef, store: string) =>
      resolveRecoveryPoint(ref, store, typeof ref === "string" && ref !== "latest" ? [await api.getRecoveryPoint(pg, ref)] : await api.listRecoveryPoints(pg, typeof ref === "object" ? { endDate: ref.latestBefore } : {}));
    expect(await resolve("latest", "VaultStore")).toEqual({ ok: true, value: { id: "3f1c2b0a9d8e4f7a8b6c5d4e3f2a1b0c", time: "2021-10-22T16:30:41.1120035Z" } });
    expect(await resolve({ latestBefore: "2021-10-22T00:00:00Z" }, "VaultStore")).toMatchObject({ value: { id: RP } });
    expect(await resolve("latest", "ArchiveStore")).toMatchObject({ value: { id: RP } });
    expect(await resolve("7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29", "ArchiveStore")).toMatchObject({ ok: false, problems: [{ code: "PlanRecoveryPointNotInStore" }] });
  });

  it("validates, triggers, and follows a restore job to Completed", async () => {
    const body = pgRestoreBody();
    const validated = await api.validateRestore(pg, { restoreRequestObject: body });
    expect(validated.status).toBe("succeeded");
    const triggered = await api.triggerRestore(pg, body);
    expect(triggered.jobId).toMatch(/\/backupJobs\/[0-9a-f-]{36}$/);
    const seen: string[] = [];
    const followed = await followRestoreJob(api, triggered.jobId!, { initialIntervalMs: 100, maxIntervalMs: 500, onProgress: (j) => seen.push(j.properties!.status) });
    expect(followed.outcome).toBe("succeeded");
    expect(followed.job.properties).toMatchObject({ status: "Completed", operationCategory: "Restore" });
    expect(seen[0]).toBe("InProgress");
    expect((await api.listJobs(vault)).map((j) => j.id)).toContain(triggered.jobId);
  });

  it("works with every supported api-version, the seeds' included", async () => {
    for (const apiVersion of API_VERSIONS) {
      const instance = await api.getBackupInstance(pg, { apiVersion });
      expect(instance.name).toBe(pg.name);
    }
    expect(new Set(log("getBackupInstance").map((e) => e.apiVersion))).toEqual(new Set(API_VERSIONS));
    const seedVersion = newClient({ apiVersion: "2021-07-01" });
    const outcome = await seedVersion.validateRestore(pg, { restoreRequestObject: pgRestoreBody() });
    expect(outcome.status).toBe("succeeded");
    expect(log("validateRestore")[0].apiVersion).toBe("2021-07-01");
  });
});

describe("errors", () => {
  it("a failed operation surfaces the service's error, reading like the service", async () => {
    const error = await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody("targetossserver95") }).catch((e) => e);
    expect(error).toBeInstanceOf(DataProtectionError);
    expect(error.code).toBe("UserErrorRestoreToLowerVersion");
    expect(error.message).toBe(
      "Restoring backups of a higher PostgreSQL version to a lower version is not supported. Fix: restore to the same or a higher PostgreSQL version from which the backup was taken.",
    );
    expect(error.recommendedAction).toEqual(["Restore to the same or a higher PostgreSQL version from which the backup was taken."]);
    expect(error.isRetryable).toBe(false);
    expect(error.toProblem().remedy).toBe("Restore to the same or a higher PostgreSQL version from which the backup was taken.");
  });

  it("a 404 is not retried and surfaces ARM's code with the request IDs", async () => {
    const error = await api.getBackupInstance({ ...pg, name: "nosuchinstance" }).catch((e) => e);
    expect(error.statusCode).toBe(404);
    expect(error.code).toBeTruthy();
    expect(error.requestId).toBeTruthy();
    expect(error.correlationId).toBeTruthy();
    expect(log("getBackupInstance")).toHaveLength(1);
  });

  it("a 400 is not retried and names the problem", async () => {
    const body = { ...pgRestoreBody(), restoreTargetInfo: { ...pgRestoreBody().restoreTargetInfo, objectType: "restoreTargetInfo" } };
    const error = await api.triggerRestore(pg, body as never).catch((e) => e);
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain("restoreTargetInfo");
    expect(log("restore")).toHaveLength(1);
  });

  it("a failed job comes back as an outcome with its error details, not an exception", async () => {
    emulator.control.setFaults([{ kind: "jobFails", route: "restore", count: 1, error: { code: "UserErrorSomethingBroke", message: "Something broke." } }]);
    const { jobId } = await api.triggerRestore(pg, pgRestoreBody());
    const followed = await followRestoreJob(api, jobId!, { initialIntervalMs: 100 });
    expect(followed.outcome).toBe("failed");
    expect(followed.errors.map((e) => e.code)).toEqual(["UserErrorSomethingBroke"]);
  });
});

describe("faults", () => {
  it("a 429 waits at least its Retry-After, then succeeds", async () => {
    emulator.control.setFaults([{ kind: "throttle", route: "getBackupInstance", count: 1, retryAfterSeconds: 1 }]);
    const started = Date.now();
    await api.getBackupInstance(pg);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(log("getBackupInstance").map((e) => e.status)).toEqual([429, 200]);
    expect(api.rateLimit).toBeDefined();
  });

  it("429s beyond the retries are waited out, and hold back the other reads until their Retry-After", async () => {
    const patient = newClient({ retry: { maxRetries: 1, retryDelayInMs: 10 } });
    emulator.control.setFaults([{ kind: "throttle", route: "getBackupInstance", count: 3, retryAfterSeconds: 1 }]);
    const first = patient.getBackupInstance(pg);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const listedAt = Date.now();
    await patient.listRecoveryPoints(pg);
    expect((await first).name).toBe(pg.name);
    expect(log("getBackupInstance").map((e) => e.status)).toEqual([429, 429, 429, 200]);
    // The listing waited behind the first 429's Retry-After instead of going out at once.
    const [listing] = log("listRecoveryPoints");
    const firstThrottle = log("getBackupInstance")[0];
    expect(Date.parse(listing.startedAt)).toBeGreaterThanOrEqual(Date.parse(firstThrottle.startedAt) + 900);
    expect(Date.parse(listing.startedAt)).toBeGreaterThan(listedAt);
  });

  it("500, 503 and connection resets on reads are retried and succeed", async () => {
    emulator.control.setFaults([
      { kind: "status", status: 500, route: "getBackupInstance", count: 1 },
      { kind: "status", status: 503, route: "listRecoveryPoints", count: 1 },
      { kind: "reset", route: "getJob", count: 1 },
    ]);
    await api.getBackupInstance(pg);
    await api.listRecoveryPoints(pg);
    const { jobId } = await api.triggerRestore(pg, pgRestoreBody());
    await api.getJob(jobId!);
    expect(log("getBackupInstance").map((e) => e.status)).toEqual([500, 200]);
    expect(log("listRecoveryPoints")[0].status).toBe(503);
    expect(log("getJob").map((e) => e.status)).toEqual([0, 200]);
  });

  it("a read that times out is sent again; one that keeps timing out, and a write that times out, say so (the write as ambiguous)", async () => {
    const quick = newClient({ requestTimeoutMs: 300 });
    emulator.control.setFaults([{ kind: "slow", route: "getBackupInstance", count: 1, delayMs: 1000 }]);
    expect((await quick.getBackupInstance(pg)).name).toBe(pg.name);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(log("getBackupInstance")).toHaveLength(2);

    emulator.control.setFaults([{ kind: "slow", route: "getRecoveryPoint", delayMs: 1000 }]);
    const read = await quick.getRecoveryPoint(pg, RP).catch((e) => e);
    expect(read).toMatchObject({ code: "RequestTimeout", ambiguous: false, isRetryable: true });
    expect(read.message).toContain("did not answer within 0.3 s, 4 times");

    emulator.control.setFaults([{ kind: "slow", route: "restore", count: 1, delayMs: 1000 }]);
    const write = await quick.triggerRestore(pg, pgRestoreBody()).catch((e) => e);
    expect(write).toMatchObject({ code: "RequestTimeout", ambiguous: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(log("restore")).toHaveLength(1);
  });

  it("a reset of the restore trigger is reported as ambiguous and not sent again", async () => {
    emulator.control.setFaults([{ kind: "reset", route: "restore", count: 1, phase: "after" }]);
    const error = await api.triggerRestore(pg, pgRestoreBody()).catch((e) => e);
    expect(error).toBeInstanceOf(DataProtectionError);
    expect(error.ambiguous).toBe(true);
    expect(log("restore")).toHaveLength(1);
    expect(emulator.control.jobs()).toHaveLength(1);
  });

  it("a throttled restore trigger is retried after Retry-After", async () => {
    emulator.control.setFaults([{ kind: "throttle", route: "restore", count: 1, retryAfterSeconds: 1 }]);
    const { jobId } = await api.triggerRestore(pg, pgRestoreBody());
    expect(jobId).toBeTruthy();
    expect(log("restore").map((e) => e.status)).toEqual([429, 202]);
  });

  it("polls an operation of known duration within a bound", async () => {
    // validateRestore takes 22 s of world time: 0.37 s here at time scale 60; Retry-After is at least 1 s.
    await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() });
    const polls = log("operationStatus").length + log("operationResults").length;
    expect(polls).toBeGreaterThanOrEqual(1);
    expect(polls).toBeLessThanOrEqual(2);
  });

  it("learns how long validateRestore takes from the service's times: the next one of the kind is polled once, when it should be done", async () => {
    await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() }, { pollIntervalMs: 100 });
    // The emulator names its time scale; the service's 22 s are 0.37 s here.
    expect(api.serviceClockRate).toBe(60);
    emulator.control.clearRequestLog();
    const started = Date.now();
    const second = await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() }, { pollIntervalMs: 100 });
    expect(second.polls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("waits the 202's Retry-After before the first status poll (2021-07-01 answers with one)", async () => {
    await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() }, { apiVersion: "2021-07-01", pollIntervalMs: 100 });
    const [post] = log("validateRestore");
    const [firstPoll] = log("operationStatus");
    // Retry-After here is 1 s (the world's 10 s at time scale 60, at least 1 s).
    expect(Date.parse(firstPoll.startedAt) - (Date.parse(post.startedAt) + post.durationMs)).toBeGreaterThanOrEqual(950);
  });

  it("without Retry-After (as the service answers since 2022), polls on its own growing schedule", async () => {
    const world = YAML.parse(fs.readFileSync(defaultWorldPath(), "utf8")) as WorldFile;
    emulator.control.loadWorld({ ...world, settings: { ...world.settings, durations: { ...world.settings?.durations, validateRestore: "PT6M" } } });
    await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() }, { pollIntervalMs: 100, maxPollIntervalMs: 800 });
    const polls = log("operationStatus").map((e) => Date.parse(e.startedAt));
    expect(log("validateRestore")[0]).toBeDefined();
    expect(polls.length).toBeGreaterThan(3);
    const gaps = polls.slice(1).map((t, i) => t - polls[i]);
    expect(gaps[gaps.length - 1]).toBeGreaterThan(gaps[0]);
    expect(Math.max(...gaps)).toBeLessThan(800 * 1.2 + 200);
  });

  it("stops at the poll limit", async () => {
    const error = await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() }, { maxPolls: 0 }).catch((e) => e);
    expect(error.code).toBe("PollLimitExceeded");
    expect(log("operationStatus")).toHaveLength(0);
  });

  it("a deadline and an abort stop following promptly", async () => {
    emulator.control.setFaults([{ kind: "slow", route: "operationStatus", delayMs: 5000 }]);
    let started = Date.now();
    const late = await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() }, { deadlineMs: 300 }).catch((e) => e);
    expect(late.code).toBe("OperationDeadlineExceeded");
    expect(Date.now() - started).toBeLessThan(3000);

    const controller = new AbortController();
    started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const aborted = await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() }, { abortSignal: controller.signal }).catch((e) => e);
    expect(aborted.code).toBe("OperationAborted");
    expect(Date.now() - started).toBeLessThan(3000);

    emulator.control.setFaults([]);
    const { jobId } = await api.triggerRestore(pg, pgRestoreBody());
    const stopped = await followRestoreJob(api, jobId!, { deadlineMs: 50, initialIntervalMs: 1000 });
    expect(stopped.outcome).toBe("timedOut");
    expect(stopped.job.properties?.status).toBe("InProgress");
  });

  it("resumes following an operation from its serialized state", async () => {
    let state: string | undefined;
    const first = await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() }, { onStarted: (s) => (state = s) });
    expect(first.status).toBe("succeeded");
    emulator.control.clearRequestLog();
    const resumed = await api.validateRestore(pg, { restoreRequestObject: pgRestoreBody() }, { resumeFrom: state });
    expect(resumed.status).toBe("succeeded");
    expect(log("validateRestore")).toHaveLength(0);
  });
});

describe("what the client sends and logs", () => {
  it("names the tool in User-Agent and sends a client request ID per call", async () => {
    await api.getBackupInstance(pg);
    await api.getBackupInstance(pg);
    const entries = log("getBackupInstance");
    expect(entries[0].userAgent).toMatch(/^azure-restores\/\d+\.\d+\.\d+ /);
    expect(entries[0].clientRequestId).toBeTruthy();
    expect(entries[0].clientRequestId).not.toBe(entries[1].clientRequestId);
  });

  it("never logs the token", async () => {
    const token = (await credential.getToken("https://management.azure.com/.default")).token;
    const lines: string[] = [];
    const original = AzureLogger.log;
    AzureLogger.log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
    setLogLevel("verbose");
    try {
      emulator.control.setFaults([{ kind: "status", status: 500, route: "getBackupInstance", count: 1 }]);
      await api.getBackupInstance(pg);
      await api.getBackupInstance({ ...pg, name: "nosuchinstance" }).catch(() => undefined);
    } finally {
      setLogLevel("warning");
      AzureLogger.log = original;
    }
    expect(lines.length).toBeGreaterThan(3);
    const all = lines.join("\n");
    expect(all).toContain("authorization");
    expect(all).not.toContain(token.split(".")[1]);
    expect(all).toMatch(/REDACTED/);
  });

  it("refuses to follow an operation URL on another host", async () => {
    const other = newClient();
    const error = await other.send("probe", "GET", "https://evil.example.com/subscriptions/x").catch((e) => e);
    expect(error.code).toBe("UntrustedRedirect");
  });

  it("reads unknown job statuses as still running", () => {
    expect(jobOutcome("Completed")).toBe("succeeded");
    expect(jobOutcome("CompletedWithWarnings")).toBe("succeededWithWarnings");
    expect(jobOutcome("Cancelled")).toBe("cancelled");
    expect(jobOutcome("Paused")).toBeUndefined();
    expect(jobOutcome("Cancelling")).toBeUndefined();
  });
});
