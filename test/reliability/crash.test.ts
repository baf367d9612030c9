/**
 * Crashes: the provider process is killed (SIGKILL) at each point of the restore flow, then a new
 * process runs the same `up`; and the emulator is restarted from its --state file while a job runs.
 * Each time: exactly one restore job, recorded in the state.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { FakeEngine, runProgram, type Registration } from "../../harness/engine";
import { emulatorConfig, startProviderHost, type ProviderHost } from "../../harness/host";

const certDir = path.join(os.tmpdir(), "azure-restores-test-certs");
let registration: Registration;

/** The default world with PostgreSQL restore jobs of `duration`. */
function longJobsWorld(duration = "PT30M"): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "crash-world-")), "world.yaml");
  fs.writeFileSync(file, fs.readFileSync(path.join(__dirname, "..", "..", "emulator", "worlds", "default.yaml"), "utf8").replace("duration: PT6M42S", `duration: ${duration}`));
  return file;
}

beforeAll(() => {
  registration = runProgram({ "azure-restores:specs": "restores" }).registrations.find((r) => r.name === "empdb11-as-database")!;
});

async function configuredHost(emulator: Pick<RunningEmulator, "url" | "caCertPath">): Promise<ProviderHost> {
  const host = await startProviderHost();
  await host.configure(emulatorConfig(emulator));
  return host;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// `adopted` is asserted where the kill comes after the job exists; before that, a busy machine may let
// the trigger slip in before the kill lands, and adopting it is then the right outcome too.
const crashPoints: Array<{ point: string; when: (e: RunningEmulator) => boolean; adopted?: boolean }> = [
  { point: "before validation", when: (e) => e.control.requestLog({ route: "getBackupInstance" }).length > 0 },
  // Validation ends with its first status poll here; the trigger is at least one slowed call later.
  { point: "after validation, before the trigger", when: (e) => e.control.requestLog({ route: "operationStatus" }).length > 0 },
  { point: "right after the trigger", when: (e) => e.control.jobs().length > 0, adopted: true },
  { point: "while following the job", when: (e) => e.control.requestLog({ route: "getJob" }).length > 0, adopted: true },
];

describe("the provider process killed at each point of the flow", () => {
  for (const crash of crashPoints) {
    it.concurrent(`${crash.point}: the next run leaves exactly one restore, recorded`, async () => {
      // Slow answers keep the process inside each step long enough to be killed there, and a 30-minute
      // job (6 s here) keeps it following the job when killed there, even on a busy machine.
      const emulator = await startEmulator({ timeScale: 300, strict: true, certDir, world: longJobsWorld(), faults: [{ kind: "slow", route: "*", delayMs: 150 }] });
      try {
        const first = await configuredHost(emulator);
        const engine = new FakeEngine();
        const running = engine.up(first, [registration]).catch(() => undefined);
        await until(() => crash.when(emulator), crash.point);
        first.kill();
        await running;
        expect(engine.state.size).toBe(0); // the crash lost the record, as it would in Pulumi's state

        const second = await configuredHost(emulator);
        const steps = await engine.up(second, [registration]);
        await second.stop();
        expect(steps).toEqual([{ name: "empdb11-as-database", op: "create" }]);
        expect(emulator.control.jobs()).toHaveLength(1);
        const record = engine.state.get("empdb11-as-database")!.outputs;
        expect(record).toMatchObject({ status: "Completed", jobId: emulator.control.jobs()[0].id });
        if (crash.adopted !== undefined) expect(record.adopted).toBe(crash.adopted);
      } finally {
        await emulator.stop();
      }
    });
  }
});

describe("the emulator restarted from --state while a job runs", () => {
  it("the run follows the same job across the restart", async () => {
    const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "emulator-state-")), "state.json");
    // PostgreSQL restore jobs of this world take 40 min: 8 s at time scale 300.
    const worldFile = longJobsWorld("PT40M");
    let emulator = await startEmulator({ timeScale: 300, strict: true, certDir, statePath, world: worldFile });
    const port = emulator.port;
    const host = await configuredHost(emulator);
    try {
      const engine = new FakeEngine();
      const running = engine.up(host, [registration]);
      await until(() => emulator.control.requestLog({ route: "getJob" }).length > 0, "the first job poll");
      const jobId = emulator.control.jobs()[0].id;
      await emulator.stop();
      await new Promise((r) => setTimeout(r, 500));
      emulator = await startEmulator({ port, timeScale: 300, strict: true, certDir, statePath, world: worldFile });
      expect(emulator.control.jobs().map((j) => j.id)).toEqual([jobId]);
      const steps = await running;
      expect(steps).toEqual([{ name: "empdb11-as-database", op: "create" }]);
      expect(engine.state.get("empdb11-as-database")!.outputs).toMatchObject({ jobId, status: "Completed" });
      expect(emulator.control.jobs()).toHaveLength(1);
    } finally {
      await host.stop();
      await emulator.stop();
    }
  });
});
