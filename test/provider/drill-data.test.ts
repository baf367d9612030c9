import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DrillRun } from "../../drills/evidence";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { FakeEngine } from "../../harness/engine";
import { emulatorConfig, startProviderHost, type ProviderHost } from "../../harness/host";
import { testDataPlanes } from "../helpers/data-planes";
import { drillOf, drillProgram } from "../helpers/drills";

/**
 * A drill's checks on real restored data, through the provider host: examples/drills/empdb11-monthly.yaml
 * restores empdb11 as a new database on targetossserver; the emulator creates it, with the world's
 * sample rows, in the PostgreSQL `npm test` starts, and serves its connection string from its Key Vault
 * stand-in. The drill reads both as it would in Azure (ARM GET of the database, the secret, a query).
 * When the emulator leaves the data empty or missing, the same drill fails, with the evidence.
 */

// Windows 10, 11 and 12 of 30 days from 2026-01-01 (days 302, 333 and 362).
const WINDOW_10 = "2026-10-30T12:00:00Z";
const WINDOW_11 = "2026-11-30T12:00:00Z";
const WINDOW_12 = "2026-12-29T12:00:00Z";

let emulator: RunningEmulator;
const hosts: ProviderHost[] = [];

async function newHost(): Promise<ProviderHost> {
  const host = await startProviderHost();
  hosts.push(host);
  const planes = testDataPlanes();
  await host.configure(
    emulatorConfig(emulator, {
      "azure-restores:keyVaultEndpoint": emulator.keyVaultEndpoint,
      "azure-restores:blobEndpoint": planes.blobEndpoint,
      "azure-restores:blobAccountName": planes.blobAccountName,
      "azure-restores:blobAccountKey": planes.blobAccountKey,
    }),
  );
  return host;
}

async function runWindow(engine: FakeEngine, host: ProviderHost, at: string) {
  const [step] = await engine.up(host, [drillOf(drillProgram(at), "empdb11-monthly")]);
  return { step, run: (engine.state.get("empdb11-monthly")!.outputs.runs as DrillRun[])[0] };
}

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 3600, strict: true, dataPlanes: testDataPlanes(), certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
});

afterAll(async () => {
  for (const host of hosts) await host.stop().catch(() => undefined);
  await emulator?.stop();
});

beforeEach(() => {
  emulator.control.reset();
});

describe("a drill's checks on restored data", () => {
  it("pass when the database came back with its rows, and fail when it came back empty or not at all", async () => {
    const engine = new FakeEngine();
    const host = await newHost();

    const good = await runWindow(engine, host, WINDOW_10);
    expect(good.step.op).toBe("create");
    const database = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver/databases/empdb11_empdb11_monthly_w10";
    expect(good.run).toMatchObject({ window: 10, passed: true });
    expect(good.run.restores[0]).toMatchObject({ kind: "PostgreSQLRestore", target: database, jobStatus: "Completed", passed: true });
    expect(good.run.restores[0].checks.map((c) => [c.check, c.passed])).toEqual([
      ["exists", true],
      ["sql", true],
    ]);
    expect(good.run.restores[0].checks[1].detail).toBe("SELECT * FROM orders returned 10 row(s) in empdb11_empdb11_monthly_w10 (wanted at least 1)");

    emulator.control.setRestoredData("empty");
    const empty = await runWindow(engine, host, WINDOW_11);
    expect(empty.step.op).toBe("failed");
    expect(empty.step.error).toContain("sql: SELECT * FROM orders returned 0 row(s) in empdb11_empdb11_monthly_w11");
    expect(empty.run).toMatchObject({ window: 11, passed: false });
    expect(empty.run.restores[0].checks.map((c) => [c.check, c.passed])).toEqual([
      ["exists", true],
      ["sql", false],
    ]);

    emulator.control.setRestoredData("missing");
    const missing = await runWindow(engine, host, WINDOW_12);
    expect(missing.step.op).toBe("failed");
    expect(missing.run.restores[0].checks.map((c) => [c.check, c.passed])).toEqual([
      ["exists", false],
      ["sql", false],
    ]);
    expect(missing.run.restores[0].checks[0].detail).toContain("empdb11_empdb11_monthly_w12 does not exist");
    // The evidence of all three windows stays, newest first.
    expect((engine.state.get("empdb11-monthly")!.outputs.runs as DrillRun[]).map((r) => [r.window, r.passed])).toEqual([
      [12, false],
      [11, false],
      [10, true],
    ]);
  });
});
