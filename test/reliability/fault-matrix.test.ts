/**
 * The fault matrix: every fault kind of the emulator on every call of the restore flow, through the
 * real provider (the dynamic-provider host, driven like the engine: check, then create). Each case gets
 * its own emulator and host, so cases run in parallel without sharing faults or state. The restore
 * flow is the vault's own region's (the PostgreSQL example) and its secondary region's (the
 * disaster-recovery example's orders database: its points, validation, trigger and jobs go through the
 * cross-region calls of centralus).
 *
 * `npm run test:faults` runs this file alone and rewrites docs/reliability.md with the table.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator/server";
import type { FaultRule } from "../../emulator/faults";
import { FakeEngine, runProgram, type Registration } from "../../harness/engine";
import { emulatorConfig, startProviderHost } from "../../harness/host";
import { findLeaks } from "./leaks";

const root = path.join(__dirname, "..", "..");
/** Each region's restore: the spec, the calls its flow makes, and which of them triggers the restore. */
const FLOWS = {
  primary: { spec: "empdb11-as-database", folder: "restores", trigger: "restore", validate: "validateRestore", routes: ["getBackupInstance", "getRecoveryPoint", "listJobs", "validateRestore", "operationStatus", "restore", "getJob"] },
  secondary: {
    spec: "dr-orders",
    folder: "examples/disaster-recovery",
    trigger: "crossRegionRestore",
    validate: "validateCrossRegionRestore",
    routes: ["fetchSecondaryRecoveryPoints", "fetchCrossRegionRestoreJobs", "validateCrossRegionRestore", "crossRegionRestore", "fetchCrossRegionRestoreJob"],
  },
} as const;
type Flow = (typeof FLOWS)[keyof typeof FLOWS];

type Expectation = "completed" | "rejected in preview" | "failed, no job" | "job failed, recorded";

interface FaultCase {
  fault: string;
  flow: Flow;
  route: string;
  rule: FaultRule;
  expected: Expectation;
}

interface CaseResult extends FaultCase {
  outcome: string;
  restorePosts: number;
  jobs: number;
  duplicates: number;
  recorded: boolean;
  leaks: string[];
  asExpected: boolean;
}

/** Each fault kind: its rule on a call, and the calls of a flow it is injected on (the same kinds in both regions). */
const kinds: Array<{ fault: string; rule: (route: string) => FaultRule; routes: (flow: Flow) => readonly string[]; expected: (route: string, flow: Flow) => Expectation }> = [
  { fault: "429 + Retry-After", rule: (route) => ({ kind: "throttle", route, count: 1, retryAfterSeconds: 1 }), routes: (f) => f.routes, expected: () => "completed" },
  { fault: "500", rule: (route) => ({ kind: "status", status: 500, route, count: 1 }), routes: (f) => f.routes, expected: () => "completed" },
  { fault: "503", rule: (route) => ({ kind: "status", status: 503, route, count: 1 }), routes: (f) => f.routes, expected: () => "completed" },
  { fault: "connection reset", rule: (route) => ({ kind: "reset", route, count: 1 }), routes: (f) => f.routes, expected: () => "completed" },
  { fault: "slow response (3 s)", rule: (route) => ({ kind: "slow", route, count: 1, delayMs: 3000 }), routes: (f) => f.routes, expected: () => "completed" },
  { fault: "500 after the restore started", rule: (route) => ({ kind: "status", status: 500, route, count: 1, phase: "after" }), routes: (f) => [f.trigger], expected: () => "completed" },
  { fault: "reset after the restore started", rule: (route) => ({ kind: "reset", route, count: 1, phase: "after" }), routes: (f) => [f.trigger], expected: () => "completed" },
  {
    fault: "operation ends Failed",
    rule: (route) => ({ kind: "operationFails", route, count: 1, error: { code: "UserErrorInjectedFailure", message: "Injected operation failure." } }),
    routes: (f) => [f.validate, f.trigger],
    expected: (route, f) => (route === f.validate ? "rejected in preview" : "failed, no job"),
  },
  {
    fault: "job ends Failed",
    rule: (route) => ({ kind: "jobFails", route, count: 1, error: { code: "UserErrorInjectedJobFailure", message: "Injected job failure." } }),
    routes: (f) => [f.trigger],
    expected: () => "job failed, recorded",
  },
];

const cases: FaultCase[] = [FLOWS.primary, FLOWS.secondary].flatMap((flow) =>
  kinds.flatMap((k) => k.routes(flow).map((route) => ({ fault: k.fault, flow, route, rule: k.rule(route), expected: k.expected(route, flow) }))),
);
const results: CaseResult[] = [];
const registrations = new Map<string, Registration>();

beforeAll(() => {
  for (const flow of [FLOWS.primary, FLOWS.secondary]) {
    const registration = runProgram({ "azure-restores:specs": flow.folder }).registrations.find((r) => r.name === flow.spec);
    expect(registration, flow.spec).toBeDefined();
    registrations.set(flow.spec, registration!);
  }
});

async function runCase(c: FaultCase): Promise<CaseResult> {
  const emulator = await startEmulator({ timeScale: 300, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs"), faults: [c.rule] });
  const host = await startProviderHost({ AZURE_LOG_LEVEL: "info" });
  try {
    await host.configure(emulatorConfig(emulator));
    const engine = new FakeEngine();
    const SPEC = c.flow.spec;
    const registration = registrations.get(SPEC)!;
    const preview = await engine.preview(host, [registration]);
    let outcome: string;
    let errorText = preview.flatMap((s) => s.failures ?? []).join("\n");
    if (preview[0].op === "failed") {
      outcome = "rejected in preview";
    } else {
      const [step] = await engine.up(host, [registration]);
      const state = engine.state.get(SPEC);
      errorText += `\n${step.error ?? ""}\n${(step.reasons ?? []).join("\n")}`;
      outcome = step.op !== "failed" ? "completed" : state ? "job failed, recorded" : "failed, no job";
    }
    const log = emulator.control.requestLog({ route: c.flow.trigger, method: "POST" });
    const jobs = emulator.control.jobs().length;
    const state = engine.state.get(SPEC);
    const recorded = outcome === "completed" || outcome === "job failed, recorded" ? Boolean(state?.outputs.jobId) : errorText.trim().length > 0;
    const leaks = findLeaks({ state: [...engine.state.values()], errors: errorText, hostLog: host.stderr() });
    return {
      ...c,
      outcome,
      restorePosts: log.length,
      jobs,
      duplicates: Math.max(0, jobs - 1),
      recorded,
      leaks,
      asExpected: outcome === c.expected && recorded && leaks.length === 0 && jobs <= 1,
    };
  } finally {
    await host.stop();
    await emulator.stop();
  }
}

describe("fault matrix: every fault kind on every call of the restore flow, in the vault's region and its secondary region", () => {
  for (const c of cases) {
    it.concurrent(`${c.fault} on ${c.route}: ${c.expected}`, async () => {
      const result = await runCase(c);
      results.push(result);
      expect(result.leaks).toEqual([]);
      expect(result.duplicates).toBe(0);
      expect(result.recorded).toBe(true);
      expect(result.outcome).toBe(c.expected);
      if (c.expected === "completed" || c.expected === "job failed, recorded") expect(result.jobs).toBe(1);
      else expect(result.jobs).toBe(0);
    });
  }
});

export function matrixMarkdown(rows: CaseResult[]): string {
  const order = (r: CaseResult) => cases.findIndex((c) => c.fault === r.fault && c.route === r.route && c.flow === r.flow);
  const ordered = [...rows].sort((a, b) => order(a) - order(b));
  const completed = ordered.filter((r) => r.outcome === "completed").length;
  const failedAsExpected = ordered.filter((r) => r.outcome !== "completed" && r.asExpected).length;
  const duplicates = ordered.reduce((n, r) => n + r.duplicates, 0);
  const leaks = ordered.reduce((n, r) => n + r.leaks.length, 0);
  const lines = [
    `| cases tried | completed | failed as expected | not as expected | duplicates | leaks |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: |`,
    `| ${ordered.length} | ${completed} | ${failedAsExpected} | ${ordered.filter((r) => !r.asExpected).length} | ${duplicates} | ${leaks} |`,
    "",
    `| fault | call | outcome | restore POSTs sent | restore jobs | duplicates | recorded | as expected |`,
    `| --- | --- | --- | ---: | ---: | ---: | --- | --- |`,
    ...ordered.map((r) => `| ${r.fault} | ${r.route} | ${r.outcome} | ${r.restorePosts} | ${r.jobs} | ${r.duplicates} | ${r.recorded ? "yes" : "NO"} | ${r.asExpected ? "yes" : "NO"} |`),
  ];
  return lines.join("\n");
}

afterAll(() => {
  if (results.length === 0) return;
  const table = matrixMarkdown(results);
  console.log(`\nfault matrix\n${table}\n`);
  if (process.env.RELIABILITY_REPORT) {
    const file = path.join(root, "docs", "reliability.md");
    const doc = fs.readFileSync(file, "utf8");
    const start = doc.indexOf("<!-- matrix:start -->");
    const end = doc.indexOf("<!-- matrix:end -->");
    if (start < 0 || end < 0) throw new Error("docs/reliability.md has no matrix markers");
    const stamp = `Generated by \`npm run test:faults\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${os.cpus().length} cores).`;
    fs.writeFileSync(file, `${doc.slice(0, start)}<!-- matrix:start -->\n${stamp}\n\n${table}\n${doc.slice(end)}`);
  }
});
