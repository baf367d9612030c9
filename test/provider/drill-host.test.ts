import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DrillRun } from "../../drills/evidence";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { FakeEngine } from "../../harness/engine";
import { emulatorConfig, startProviderHost, type ProviderHost } from "../../harness/host";
import { call } from "../emulator/helpers";
import { createDeclared as createDeclaredIn, DRILL_TYPE, drillOf as drillOfNamed, drillProgram, SUB } from "../helpers/drills";

/**
 * Restore drills through the provider host against the emulator, as `pulumi up` runs them on a schedule:
 * examples/drills/appdisk-weekly.yaml restores testBkpVault's disk into the week's scratch group. The
 * program runs under Pulumi's mocks at a chosen `drillTime` (test/helpers/drills.ts).
 */

// Week 47 and 48 after 2026-01-05 (the drill's startingFrom).
const WEEK_47 = "2026-11-30T09:00:00Z";
const WEEK_47_LATER = "2026-12-03T18:00:00Z";
const WEEK_48 = "2026-12-07T09:00:00Z";

let emulator: RunningEmulator;
const hosts: ProviderHost[] = [];
const program = (drillTime: string) => drillProgram(drillTime);
const drillOf = (run: ReturnType<typeof program>, edit?: (inputs: Record<string, unknown>) => void) => drillOfNamed(run, "appdisk-weekly", edit);
const createDeclared = (run: ReturnType<typeof program>) => createDeclaredIn(emulator, run);

async function newHost(): Promise<ProviderHost> {
  const host = await startProviderHost();
  hosts.push(host);
  await host.configure(emulatorConfig(emulator));
  return host;
}

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 600, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
});

afterAll(async () => {
  for (const host of hosts) await host.stop().catch(() => undefined);
  await emulator?.stop();
});

beforeEach(() => {
  emulator.control.reset();
});

describe("the program's drills, under Pulumi's mocks", () => {
  it("declare the window's scratch group, the grant on it, and the drill depending on both; the next window declares the next group only", () => {
    const week47 = program(WEEK_47);
    const groups = week47.registrations.filter((r) => r.type === "azure-native:resources:ResourceGroup");
    expect(groups.map((g) => [g.name, g.inputs.resourceGroupName, g.inputs.location])).toEqual([["drill-appdisk-weekly-w47", "drill-appdisk-weekly-w47", "westus"]]);
    const grant = week47.registrations.find((r) => r.type === "azure-native:authorization:RoleAssignment")!;
    expect(grant.inputs.scope).toBe(`/subscriptions/${SUB}/resourceGroups/drill-appdisk-weekly-w47`);
    expect(grant.inputs.roleDefinitionId).toMatch(/\/roleDefinitions\/b50d9833-a0cb-478e-945f-707fcc997c13$/i);
    expect(grant.dependencies?.some((u) => u.endsWith("::drill-appdisk-weekly-w47"))).toBe(true);
    const drill = drillOf(week47);
    expect(drill.inputs.window).toMatchObject({ index: 47, start: "2026-11-30T00:00:00.000Z", end: "2026-12-07T00:00:00.000Z" });
    expect(drill.dependencies?.length).toBe(2);

    // Later in the same week: the same group. The week after: its own group, and week 47's is no longer
    // declared, so Pulumi deletes it (and, in Azure, the disk the drill restored into it).
    expect(program(WEEK_47_LATER).registrations.filter((r) => r.type === "azure-native:resources:ResourceGroup").map((g) => g.name)).toEqual(["drill-appdisk-weekly-w47"]);
    const week48 = program(WEEK_48).registrations;
    expect(week48.filter((r) => r.type === "azure-native:resources:ResourceGroup").map((g) => g.name)).toEqual(["drill-appdisk-weekly-w48"]);
    expect(week48.filter((r) => r.type === DRILL_TYPE).map((r) => r.name).sort()).toEqual(["appdisk-weekly", "empdb11-monthly"]);
  });

  it("declare no scratch group before the first window, and the drill waits for it", () => {
    const before = program("2026-01-01T00:00:00Z");
    expect(before.registrations.filter((r) => r.type === "azure-native:resources:ResourceGroup")).toEqual([]);
    expect(drillOf(before).inputs.window).toBeUndefined();
  });
});

describe("restore drills, through the provider host", () => {
  it("a window change runs exactly one drill, with evidence; a second up in the window calls nothing; the previous group's disk goes with it", async () => {
    const engine = new FakeEngine();
    const week47 = program(WEEK_47);
    await createDeclared(week47);
    const host = await newHost();

    expect((await engine.preview(host, [drillOf(week47)]))[0].op).toBe("create");
    const [first] = await engine.up(host, [drillOf(week47)]);
    expect(first).toMatchObject({ op: "create" });
    const state = engine.state.get("appdisk-weekly")!;
    const runs = state.outputs.runs as DrillRun[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ window: 47, passed: true, objectives: { rto: "PT2H" } });
    const [evidence] = runs[0].restores;
    const disk = `/subscriptions/${SUB}/resourceGroups/drill-appdisk-weekly-w47/providers/Microsoft.Compute/disks/appdisk01-appdisk-weekly-w47`;
    expect(evidence).toMatchObject({ kind: "DiskRestore", recoveryPointId: "6f1c2a3b4d5e4f60718293a4b5c6d7e8", recoveryPointTime: "2026-01-05T04:00:12.1234567Z", jobStatus: "Completed", target: disk, rtoMet: true, passed: true });
    expect(evidence.checks).toEqual([expect.objectContaining({ check: "exists", passed: true, detail: `${disk} exists` })]);
    expect(evidence.rto!.totalSeconds).toBeGreaterThanOrEqual(evidence.rto!.jobSeconds);
    expect(evidence.rpoSeconds).toBeGreaterThan(0);
    const restores = () => emulator.control.requestLog().filter((r) => /\/restore$/i.test(r.path)).length;
    expect(restores()).toBe(1);

    // The same week, later: nothing to do, nothing called.
    emulator.control.clearRequestLog();
    const later = drillOf(program(WEEK_47_LATER));
    expect((await engine.preview(host, [later]))[0].op).toBe("same");
    expect((await engine.up(host, [later]))[0].op).toBe("same");
    expect(emulator.control.requestLog()).toEqual([]);

    // Week 48: the group of week 47 is deleted (as Pulumi would), and its disk with it; the drill runs again.
    const week48 = program(WEEK_48);
    expect((await call(emulator, "DELETE", `/subscriptions/${SUB}/resourceGroups/drill-appdisk-weekly-w47?api-version=2024-03-01`)).status).toBe(200);
    expect((await call(emulator, "GET", `${disk}?api-version=2023-04-02`)).status).toBe(404);
    await createDeclared(week48);
    const [second] = await engine.up(host, [drillOf(week48)]);
    expect(second.op).toBe("update");
    const after = engine.state.get("appdisk-weekly")!.outputs.runs as DrillRun[];
    expect(after.map((r) => [r.window, r.passed])).toEqual([
      [48, true],
      [47, true],
    ]);
    expect(after[0].seed).not.toBe(after[1].seed);
  });

  it("a drill that misses its objective fails up with the evidence recorded, and stays failed for the window", async () => {
    const engine = new FakeEngine();
    const week47 = program(WEEK_47);
    await createDeclared(week47);
    const host = await newHost();
    const strict = (inputs: Record<string, unknown>) => {
      (inputs.drill as { spec: { objectives: { rto: string } } }).spec.objectives.rto = "PT0.001S";
    };
    const [step] = await engine.up(host, [drillOf(week47, strict)]);
    expect(step.op).toBe("failed");
    expect(step.error).toContain("examples/drills/appdisk-weekly.yaml  drill window 47");
    expect(step.error).toMatch(/RTO [\d.]+ s over the objective/);
    const recorded = engine.state.get("appdisk-weekly")!;
    expect(recorded.initErrors.length).toBeGreaterThan(0);
    const [run] = recorded.outputs.runs as DrillRun[];
    expect(run).toMatchObject({ window: 47, passed: false });
    expect(run.restores[0]).toMatchObject({ jobStatus: "Completed", rtoMet: false, passed: false });

    // Another up in the same window: still failed, the same evidence, no restore started.
    emulator.control.clearRequestLog();
    const [again] = await engine.up(host, [drillOf(week47, strict)]);
    expect(again.op).toBe("failed");
    expect((engine.state.get("appdisk-weekly")!.outputs.runs as DrillRun[])).toHaveLength(1);
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("preview of a new window validates the restore it would run, and fails where Azure would refuse it", async () => {
    const week47 = program(WEEK_47);
    // No scratch group yet: the disk restore's target resource group does not exist.
    const [step] = await new FakeEngine().preview(await newHost(), [drillOf(week47, (i) => ((i.drill as { spec: { access: string } }).spec.access = "check"))]);
    expect(step.op).toBe("failed");
    expect(step.failures!.join("\n")).toContain("examples/drills/appdisk-weekly.yaml  UserErrorRestoreTargetRGNotFound");
  });
});
