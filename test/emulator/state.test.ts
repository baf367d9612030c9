import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, expect, test } from "vitest";
import type { AzureBackupJobResource, OperationResource } from "../../api/types";
import type { RunningEmulator } from "../../emulator/server";
import { call, pgDatabaseRestore, PG_BI, pathOf, pollToEnd, startTestEmulator } from "./helpers";

/** --state keeps operations, jobs and the clock across restarts. */

const V = "2021-07-01";
const body = pgDatabaseRestore("kept");

const running: RunningEmulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

async function start(statePath: string): Promise<RunningEmulator> {
  const emu = await startTestEmulator({ statePath });
  running.push(emu);
  return emu;
}

test("operations, jobs and the clock survive a restart", async () => {
  const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-state-")), "state.json");
  const first = await start(statePath);
  const accepted = await call(first, "POST", `${PG_BI}/restore?api-version=${V}`, { body });
  const statusPath = pathOf(String(accepted.headers["azure-asyncoperation"]));
  const done = await pollToEnd(first, `${first.url}${statusPath}`, 1);
  const jobPath = `${done.body.properties?.jobId}?api-version=${V}`;
  expect((await call<AzureBackupJobResource>(first, "GET", jobPath)).body.properties?.status).toBe("InProgress");
  const clockAtStop = first.control.clock().nowMs;
  await first.stop();

  const saved = JSON.parse(fs.readFileSync(statePath, "utf8")) as { format: string; operations: unknown[]; jobs: unknown[] };
  expect(saved.format).toBe("azure-restores-emulator-state");
  expect(saved.operations).toHaveLength(1);
  expect(saved.jobs).toHaveLength(1);

  const second = await start(statePath);
  expect(second.control.clock().nowMs).toBeGreaterThanOrEqual(clockAtStop);
  const status = await call<OperationResource>(second, "GET", statusPath);
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({ status: "Succeeded", properties: { jobId: done.body.properties?.jobId } });
  expect((await call<AzureBackupJobResource>(second, "GET", jobPath)).body.properties?.status).toBe("InProgress");
  second.control.advance(3600);
  expect((await call<AzureBackupJobResource>(second, "GET", jobPath)).body.properties?.status).toBe("Completed");
  await second.stop();

  // the restored database, derived from the completed job, exists after another restart
  const third = await start(statePath);
  const again = await call(third, "POST", `${PG_BI}/restore?api-version=${V}`, { body });
  const verdict = await pollToEnd(third, String(again.headers["azure-asyncoperation"]));
  expect(verdict.body.error?.code).toBe("UserErrorDatabaseNameAlreadyInUse");

  // reset empties the state
  third.control.reset();
  expect((JSON.parse(fs.readFileSync(statePath, "utf8")) as { jobs: unknown[] }).jobs).toEqual([]);
});

test("a state file that is not the emulator's is refused", async () => {
  const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emu-state-")), "state.json");
  fs.writeFileSync(statePath, '{"hello": "world"}');
  await expect(startTestEmulator({ statePath })).rejects.toThrow(/not an emulator state file/);
});
