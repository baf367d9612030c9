import { describe, expect, it } from "vitest";
import type { AzureBackupJobResource } from "../../api/types";
import { API_VERSIONS } from "../../api/versions";
import { ProblemError } from "../../errors/problem";
import type { RestorePlan } from "../../plan";
import { KeyedLock } from "../../providers/lock";
import { changedAfterRun, diffRestore, findAdoptableJob, lookalikeKey, type RestoreInputs, type RestoreOutputs } from "../../providers/restore-state";
import { settingsFrom } from "../../providers/settings";
import type { RestoreSpec } from "../../kinds";

const BI = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault/backupInstances/msblob";
const ACCOUNT = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/msblob";

function inputs(edit: (spec: Record<string, any>) => void = () => undefined): RestoreInputs {
  const spec = { apiVersion: "azure-restores/v1", kind: "BlobRestore", metadata: { name: "r", ticket: "T-1" }, spec: { backupInstance: BI, pointInTime: "2021-07-08T00:00:00Z" } };
  edit(spec);
  return { spec: spec as unknown as RestoreSpec, specFile: "restores/r.yaml" };
}

function outputs(status: string, i = inputs()): Partial<RestoreOutputs> {
  return { ...i, jobId: "job-1", status };
}

describe("diffRestore", () => {
  it("nothing changed on a completed restore: no change", () => {
    expect(diffRestore(outputs("Completed"), inputs())).toEqual({ changes: false, replaces: [] });
  });

  it("metadata or wait edits: update, never replace", () => {
    expect(diffRestore(outputs("Completed"), inputs((s) => (s.metadata.ticket = "T-2")))).toEqual({ changes: true, replaces: [] });
    expect(diffRestore(outputs("Completed"), inputs((s) => (s.spec.wait = { timeout: "PT1H" })))).toEqual({ changes: true, replaces: [] });
  });

  it("rerun replaces", () => {
    expect(diffRestore(outputs("Completed"), inputs((s) => (s.spec.rerun = "again")))).toEqual({ changes: true, replaces: ["rerun"] });
  });

  it("an unfinished or failed job is followed again (update)", () => {
    for (const status of ["InProgress", "Failed", "Cancelled", "Paused"]) expect(diffRestore(outputs(status), inputs())).toEqual({ changes: true, replaces: [] });
  });

  it("state from another provider version without a spec: update, not replace", () => {
    expect(diffRestore({ jobId: "job-1", status: "Completed" }, inputs())).toEqual({ changes: true, replaces: [] });
  });
});

describe("changedAfterRun", () => {
  it("refuses a change to what a restore that ran does, and says how to ask for a new one", () => {
    const problem = changedAfterRun(inputs(), inputs((s) => (s.spec.pointInTime = "2021-07-07T00:00:00Z")))!;
    expect(problem.code).toBe("RestoreAlreadyRan");
    expect(problem.remedy).toContain("spec.rerun");
  });

  it("lets metadata, wait and rerun changes through", () => {
    expect(changedAfterRun(inputs(), inputs((s) => (s.metadata.description = "x")))).toBeUndefined();
    expect(changedAfterRun(inputs(), inputs((s) => (s.spec.wait = { timeout: "PT1H" })))).toBeUndefined();
    expect(changedAfterRun(inputs(), inputs((s) => ((s.spec.rerun = "2"), (s.spec.pointInTime = "2021-07-07T00:00:00Z"))))).toBeUndefined();
    expect(changedAfterRun(undefined, inputs())).toBeUndefined();
  });
});

describe("findAdoptableJob", () => {
  const plan = {
    backupInstance: { id: BI },
    source: { dataStore: "OperationalStore", pointInTime: "2021-07-08T00:00:00.0000000Z" },
    target: { id: ACCOUNT },
  } as unknown as RestorePlan;
  const job = (id: string, start: string, extra: Partial<Record<string, unknown>> = {}): AzureBackupJobResource => ({
    id,
    properties: {
      operationCategory: "Restore",
      backupInstanceId: BI.toLowerCase(),
      startTime: start,
      status: "InProgress",
      extendedInfo: { sourceRecoverPoint: { recoveryPointTime: "2021-07-08T00:00:00Z" }, recoveryDestination: ACCOUNT },
      ...extra,
    } as never,
  });
  const since = Date.parse("2026-11-20T00:00:00Z");

  it("matches instance, restore point and destination, started since the first attempt; newest first", () => {
    const jobs = [job("old", "2026-11-19T00:00:00Z"), job("a", "2026-11-20T01:00:00Z", { status: "Completed" }), job("b", "2026-11-20T02:00:00Z")];
    expect(findAdoptableJob(jobs, plan, { since, exclude: [] })?.id).toBe("b");
    expect(findAdoptableJob(jobs, plan, { since, exclude: ["B"] })?.id).toBe("a");
  });

  it("ignores other operations, restore points and destinations", () => {
    expect(findAdoptableJob([job("x", "2026-11-20T01:00:00Z", { operationCategory: "Backup" })], plan, { since, exclude: [] })).toBeUndefined();
    const otherPoint = job("y", "2026-11-20T01:00:00Z");
    otherPoint.properties!.extendedInfo = { sourceRecoverPoint: { recoveryPointTime: "2021-07-07T00:00:00Z" }, recoveryDestination: ACCOUNT };
    const otherTarget = job("z", "2026-11-20T01:00:00Z");
    otherTarget.properties!.extendedInfo = { sourceRecoverPoint: { recoveryPointTime: "2021-07-08T00:00:00Z" }, recoveryDestination: `${ACCOUNT}2` };
    expect(findAdoptableJob([otherPoint, otherTarget], plan, { since, exclude: [] })).toBeUndefined();
  });

  it("for lookalike specs, adopts only a job still running", () => {
    const jobs = [job("done", "2026-11-20T01:00:00Z", { status: "Completed" })];
    expect(findAdoptableJob(jobs, plan, { since, exclude: [], runningOnly: true })).toBeUndefined();
  });

  it("lookalike keys ignore items and the form of the backup instance", () => {
    const a = inputs((s) => (s.spec.items = { containers: ["abc"] })).spec;
    const b = inputs((s) => (s.spec.backupInstance = { resourceGroup: "testbkpvaultrg", vault: "testBkpVault", name: "msblob" })).spec;
    expect(lookalikeKey(a)).toBe(lookalikeKey(b));
    expect(lookalikeKey(inputs((s) => (s.spec.pointInTime = "2021-07-08T00:00:01Z")).spec)).not.toBe(lookalikeKey(a));
  });
});

describe("settingsFrom", () => {
  it("reads configuration, then the environment, then defaults", () => {
    const settings = settingsFrom((k) => ({ endpoint: "https://127.0.0.1:8443", waitTimeout: "PT30M" })[k], { AZURE_SUBSCRIPTION_ID: "sub", AZURE_RESTORES_CREDENTIAL: "emulator" });
    expect(settings).toMatchObject({ endpoint: "https://127.0.0.1:8443", subscriptionId: "sub", credential: "emulator", apiVersion: "2026-06-01", waitTimeoutMs: 1_800_000, adoptWindowMs: 86_400_000 });
  });

  it("takes every shipped api-version as apiVersion, the newest preview included", () => {
    for (const apiVersion of API_VERSIONS) expect(settingsFrom((k) => ({ apiVersion })[k], {}).apiVersion).toBe(apiVersion);
    expect(API_VERSIONS).toContain("2026-08-31-preview");
  });

  it("refuses bad configuration with every problem named", () => {
    const error = (() => {
      try {
        settingsFrom((k) => ({ endpoint: "http://x", apiVersion: "2020-01-01", waitTimeout: "soon" })[k], {});
      } catch (e) {
        return e as ProblemError;
      }
    })()!;
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.problems.map((p) => p.field).sort()).toEqual(["azure-restores:apiVersion", "azure-restores:endpoint", "azure-restores:waitTimeout"]);
  });
});

describe("KeyedLock", () => {
  it("runs one at a time per key, in order, and keys in parallel", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const work = (key: string, name: string, ms: number) =>
      lock.run(key, async () => {
        events.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`${name}-`);
      });
    await Promise.all([work("a", "a1", 30), work("a", "a2", 10), work("b", "b1", 5)]);
    expect(events.indexOf("a1-")).toBeLessThan(events.indexOf("a2+"));
    expect(events.indexOf("b1+")).toBeLessThan(events.indexOf("a1-"));
  });
});
