import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import type { AzureBackupJobResource, CloudError } from "../../api/types";
import type { RequestLogEntry } from "../../emulator/engine";
import type { FaultState } from "../../emulator/faults";
import type { RunningEmulator } from "../../emulator/server";
import { BLOB_ACCOUNT, BLOB_BI, call, PG_BI, startTestEmulator, SUB } from "./helpers";

/** The control API over HTTPS under /_emulator/ (no authentication). */

const V = "2021-01-01";
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  expect((await call(emu, "POST", "/_emulator/reset", { token: null })).status).toBe(200);
});

const restoreBody = {
  objectType: "AzureBackupRecoveryTimeBasedRestoreRequest",
  sourceDataStoreType: "OperationalStore",
  recoveryPointTime: "2021-07-08T00:00:00Z",
  restoreTargetInfo: { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", datasourceInfo: { objectType: "Datasource", datasourceType: "Microsoft.Storage/storageAccounts/blobServices", resourceID: BLOB_ACCOUNT } },
};

test("health needs no token", async () => {
  const res = await call(emu, "GET", "/_emulator/health", { token: null });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: "ok" });
});

test("the request log counts exactly what a client sent, and can be cleared", async () => {
  await call(emu, "DELETE", "/_emulator/requests", { token: null });
  await call(emu, "POST", `${BLOB_BI}/restore?api-version=${V}`, { body: restoreBody });
  await call(emu, "POST", `${BLOB_BI}/restore?api-version=${V}`, { body: restoreBody });
  await call(emu, "GET", `${PG_BI}?api-version=${V}`);
  const restores = await call<{ requests: RequestLogEntry[] }>(emu, "GET", "/_emulator/requests?route=restore&method=POST", { token: null });
  expect(restores.body.requests.map((r) => [r.method, r.route, r.apiVersion, r.status])).toEqual([
    ["POST", "restore", V, 202],
    ["POST", "restore", V, 409],
  ]);
  const entry = restores.body.requests[0];
  expect(entry).toMatchObject({ path: `${BLOB_BI}/restore`, operationId: "BackupInstances_TriggerRestore" });
  expect(typeof entry.startedAt).toBe("string");
  expect(typeof entry.durationMs).toBe("number");
  expect(JSON.stringify(restores.body)).not.toMatch(/Bearer|authorization/i);
  const since = await call<{ requests: RequestLogEntry[] }>(emu, "GET", `/_emulator/requests?since=${entry.seq}`, { token: null });
  expect(since.body.requests.every((r) => r.seq > entry.seq)).toBe(true);
  await call(emu, "DELETE", "/_emulator/requests", { token: null });
  expect((await call<{ requests: RequestLogEntry[] }>(emu, "GET", "/_emulator/requests", { token: null })).body.requests.filter((r) => r.route !== "control")).toEqual([]);
});

test("faults: put, add, list, clear", async () => {
  const put = await call<{ faults: FaultState[] }>(emu, "PUT", "/_emulator/faults", { token: null, body: [{ kind: "throttle", route: "getBackupInstance", count: 1 }] });
  expect(put.status).toBe(200);
  await call(emu, "POST", "/_emulator/faults", { token: null, body: "- kind: status\n  route: listJobs\n", headers: { "Content-Type": "application/yaml" } });
  const listed = await call<{ faults: FaultState[] }>(emu, "GET", "/_emulator/faults", { token: null });
  expect(listed.body.faults.map((f) => f.kind)).toEqual(["throttle", "status"]);
  expect((await call(emu, "GET", `${PG_BI}?api-version=${V}`)).status).toBe(429);
  const bad = await call<CloudError>(emu, "PUT", "/_emulator/faults", { token: null, body: [{ kind: "nope" }] });
  expect(bad.status).toBe(400);
  await call(emu, "DELETE", "/_emulator/faults", { token: null });
  expect((await call<{ faults: FaultState[] }>(emu, "GET", "/_emulator/faults", { token: null })).body.faults).toEqual([]);
});

test("clock: read and advance; advancing finishes jobs at once", async () => {
  const before = await call<{ nowMs: number; timeScale: number }>(emu, "GET", "/_emulator/clock", { token: null });
  expect(before.body.timeScale).toBe(1);
  const accepted = await call(emu, "POST", `${BLOB_BI}/restore?api-version=${V}`, { body: restoreBody });
  expect(accepted.status).toBe(202);
  const advanced = await call<{ nowMs: number; advancedSeconds: number }>(emu, "POST", "/_emulator/clock/advance", { token: null, body: { seconds: 600 } });
  expect(advanced.body.advancedSeconds).toBe(600);
  expect(advanced.body.nowMs - before.body.nowMs).toBeGreaterThanOrEqual(600_000);
  const jobs = await call<{ jobs: AzureBackupJobResource[] }>(emu, "GET", "/_emulator/jobs", { token: null });
  expect(jobs.body.jobs.map((j) => j.properties?.status)).toEqual(["Completed"]);
  expect((await call(emu, "POST", "/_emulator/clock/advance", { token: null, body: { seconds: -1 } })).status).toBe(400);
});

test("world: load YAML, refuse an invalid one, reset brings the default back", async () => {
  const other = `/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg1/providers/Microsoft.DataProtection/backupVaults/v1/backupInstances`;
  const yaml = ["subscriptions:", "  - id: 11111111-2222-3333-4444-555555555555", "    resourceGroups: [{ name: rg1, location: northeurope }]", "vaults:", "  - { subscriptionId: 11111111-2222-3333-4444-555555555555, resourceGroup: rg1, name: v1, location: northeurope }"].join("\n");
  const loaded = await call(emu, "POST", "/_emulator/world", { token: null, body: yaml, headers: { "Content-Type": "application/yaml" } });
  expect(loaded.status).toBe(200);
  expect((await call<{ value: unknown[] }>(emu, "GET", `${other}?api-version=${V}`)).body.value).toEqual([]);
  expect((await call<CloudError>(emu, "GET", `${PG_BI}?api-version=${V}`)).body.error?.code).toBe("SubscriptionNotFound");
  const invalid = await call<CloudError>(emu, "POST", "/_emulator/world", { token: null, body: "subscriptions: []\nvault: []\n" });
  expect(invalid.status).toBe(400);
  expect(invalid.body.error?.message).toContain("'vault'");
  await call(emu, "POST", "/_emulator/reset", { token: null });
  expect((await call(emu, "GET", `${PG_BI}?api-version=${V}`)).status).toBe(200);
  const world = await call<{ subscriptions: Array<{ id: string }> }>(emu, "GET", "/_emulator/world", { token: null });
  expect(world.body.subscriptions[0].id).toBe(SUB);
});

test("an unknown control endpoint gets 404", async () => {
  expect((await call(emu, "GET", "/_emulator/nothing", { token: null })).status).toBe(404);
});
