/**
 * The fault matrix: every fault kind of the emulator on every call of the restore flow, through the
 * real provider (the dynamic-provider host, driven like the engine: check, then create). Each case gets
 * its own emulator and host, so cases run in parallel without sharing faults or state.
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
const SPEC = "empdb11-as-database";
const ROUTES = ["getBackupInstance", "getRecoveryPoint", "listJobs", "validateRestore", "operationStatus", "restore", "getJob"] as const;

type Expectation = "completed" | "rejected in preview" | "failed, no job" | "job failed, recorded";

interface FaultCase {
  fault: string;
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

const kinds: Array<{ fault: string; rule: (route: string) => FaultRule; routes: readonly string[]; expected: (route: string) => Expectation }> = [
  { fault: "429 + Retry-After", rule: (route) => ({ kind: "throttle", route, count: 1, retryAfterSeconds: 1 }), routes: ROUTES, expected: () => "completed" },
  { fault: "500", rule: (route) => ({ kind: "status", status: 500, route, count: 1 }), routes: ROUTES, expected: () => "completed" },
  { fault: "503", rule: (route) => ({ kind: "status", status: 503, route, count: 1 }), routes: ROUTES, expected: () => "completed" },
  { fault: "connection reset", rule: (route) => ({ kind: "reset", route, count: 1 }), routes: ROUTES, expected: () => "completed" },
  { fault: "slow response (3 s)", rule: (route) => ({ kind: "slow", route, count: 1, delayMs: 3000 }), routes: ROUTES, expected: () => "completed" },
  { fault: "500 after the restore started", rule: (route) => ({ kind: "status", status: 500, route, count: 1, phase: "after" }), routes: ["restore"], expected: () => "completed" },
  { fault: "reset after the restore started", rule: (route) => ({ kind: "reset", route, count: 1, phase: "after" }), routes: ["restore"], expected: () => "completed" },
  {
    fault: "operation ends Failed",
    rule: (route) => ({ kind: "operationFails", route, count: 1, error: { code: "UserErrorInjectedFailure", message: "Injected operation failure." } }),
    routes: ["validateRestore", "restore"],
    expected: (route) => (route === "validateRestore" ? "rejected in preview" : "failed, no job"),
  },
  {
    fault: "job ends Failed",
    rule: (route) => ({ kind: "jobFails", route, count: 1, error: { code: "UserErrorInjectedJobFailure", message: "Injected job failure." } }),
    routes: ["restore"],
    expected: () => "job failed, recorded",
  },
];

const cases: FaultCase[] = kinds.flatMap((k) => k.routes.map((route) => ({ fault: k.fault, route, rule: k.rule(route), expected: k.expected(route) })));
const results: CaseResult[] = [];
let registration: Registration;

beforeAll(() => {
  const run = runProgram({ "azure-restores:specs": "restores" });
  registration = run.registrations.find((r) => r.name === SPEC)!;
  expect(registration).toBeDefined();
});

async function runCase(c: FaultCase): Promise<CaseResult> {
  const emulator = await startEmulator({ timeScale: 300, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs"), faults: [c.rule] });
  const host = await startProviderHost({ AZURE_LOG_LEVEL: "info" });
  try {
    await host.configure(emulatorConfig(emulator));
    const engine = new FakeEngine();
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
    const log = emulator.control.requestLog({ route: "restore", method: "POST" });
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

describe("fault matrix: every fault kind on every call of the restore flow", () => {
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
  const ordered = [...rows].sort((a, b) => cases.indexOf(cases.find((c) => c.fault === a.fault && c.route === a.route)!) - cases.indexOf(cases.find((c) => c.fault === b.fault && c.route === b.route)!));
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
