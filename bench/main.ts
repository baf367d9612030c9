/**
 * `npm run bench`: the benchmarks of issues 7 and 18, each in its own process, one table of figures against
 * their targets, and docs/benchmarks.md with the machine they ran on. Not part of `npm test`.
 *
 *   npm run bench                                  all of them but throttled, writes docs/benchmarks.md
 *   npm run bench -- --only dr                     some of them (offline, program, varied, reconcile, throttled, dr, preview, history); no docs written
 *   npm run bench -- --time-scale 20 --runs 3      clock speed-up of the emulator (default 10; dr: --dr-time-scale, default 10); runs of the program start
 *   npm run bench -- --per-kind 24                 restores of each of the nine kinds in varied and reconcile (default 24)
 *   npm run bench -- --dr-restores 2000 --preview-specs 500 --history 2500,5000,10000
 *   npm run bench -- --offline-runs 5              runs of the offline benchmark (the best counts)
 *   npm run bench -- --write                       write docs/benchmarks.md even with --only
 *   npm run bench -- --json report.json            also write every run's details as JSON
 *   BENCH_DUMP_LOG=/tmp/run npm run bench -- --only preview   also write each online run's request log (/tmp/run.<label>.json)
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { runProgram } from "../harness/engine";
import type { FaultRule } from "../emulator/faults";
import { kindsSetup, type KindsSetup } from "./kinds-world";
import { parseArgs, VARIED_SPREAD, type Bench, type Options } from "./options";
import { log, machine, median, OUT, ROOT, runJson, transpile } from "./processes";
import type { ReconcileInput, ReconcileResult } from "./reconcile";
import { passes, renderMarkdown, renderTable, type BenchReport, type HistoryRun, type OfflineResult, type ProgramResult, type Row } from "./report";
import { generateSpecs, offlineFacts, variantCounts, writeSpecs, type GeneratedSpec } from "./specs";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "azure-restores-bench-"));

// ---- 1. offline checks ------------------------------------------------------------------------------

/** Runs of one spec's `azure-restores validate` (the median counts). */
const CLI_VALIDATE_RUNS = 7;

async function offline(options: Options, report: BenchReport): Promise<void> {
  const dir = path.join(tmp, "offline-specs");
  const specs = generateSpecs(options.offlineSpecs);
  writeSpecs(dir, specs);
  const factsFile = path.join(tmp, "offline-facts.json");
  fs.writeFileSync(factsFile, JSON.stringify(offlineFacts()));
  const script = transpile("offline.ts");
  const runs: OfflineResult[] = [];
  for (let i = 0; i < options.offlineRuns; i++) {
    log(`offline: run ${i + 1}/${options.offlineRuns} (${specs.length} specs)`);
    runs.push(await runJson<OfflineResult>([script, dir, factsFile, options.apiVersion, "pipeline"]));
  }
  const validate = await runJson<OfflineResult>([script, dir, factsFile, options.apiVersion, "validate"]);
  const best = runs.reduce((a, b) => (b.specsPerSecond > a.specsPerSecond ? b : a));
  // One spec's whole `azure-restores validate`, as a user or a pipeline step runs it: process start,
  // loading the modules, checking the file, exit (bin/ as npm links it; npx adds its own start).
  const cliSpec = path.join("restores", "msblob-all-20210708.yaml");
  const cliRunsMs: number[] = [];
  for (let i = 0; i < CLI_VALIDATE_RUNS; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, [path.join(ROOT, "bin", "azure-restores.js"), "validate", cliSpec], { cwd: ROOT, stdio: "ignore" });
    cliRunsMs.push(performance.now() - t0);
  }
  log(`offline: ${CLI_VALIDATE_RUNS} runs of azure-restores validate ${cliSpec}`);
  const peak = Math.max(...runs.map((r) => r.maxRssMb), validate.maxRssMb);
  report.rows.push(
    { section: "1. Offline checks", figure: "specs per second (load + schema check + render, one thread; best of runs)", value: best.specsPerSecond, unit: "/s", target: 10_000, direction: "min", digits: 0 },
    { section: "1. Offline checks", figure: `one spec's whole \`azure-restores validate\` (wall, median of ${CLI_VALIDATE_RUNS} runs)`, value: median(cliRunsMs) / 1000, unit: "s", target: 0.25, direction: "max", digits: 3 },
    { section: "1. Offline checks", figure: "median time per spec", value: best.medianMs, unit: "ms", digits: 3 },
    { section: "1. Offline checks", figure: "p99 time per spec", value: best.p99Ms, unit: "ms", digits: 3 },
    { section: "1. Offline checks", figure: "peak memory (RSS high-water; worst of the runs and of validate)", value: peak, unit: "MB", target: 300, direction: "max", digits: 0 },
    { section: "1. Offline checks", figure: "validate alone (checkSpecFiles, no render): specs per second", value: validate.specsPerSecond, unit: "/s", digits: 0 },
  );
  report.details.offline = { runs, validate, variants: variantCounts(specs), best, cli: { spec: cliSpec, runsMs: cliRunsMs } };
}

// ---- 2. program start -------------------------------------------------------------------------------


/** How the nodejs language host starts a TypeScript program: source-map-support, then ts-node. */
const PULUMI_NODE_ARGS = ["-r", "source-map-support/register", "-r", "ts-node/register/transpile-only"];

async function program(options: Options, report: BenchReport): Promise<void> {
  const dir = path.join(tmp, "program-specs");
  const specs = generateSpecs(options.programSpecs, { validOnly: true, seed: 11 });
  writeSpecs(dir, specs);
  const env = { BENCH_SPECS: dir, BENCH_EXPECT: String(specs.length) };
  const runs: ProgramResult[] = [];
  for (let i = 0; i < options.runs; i++) {
    log(`program: run ${i + 1}/${options.runs} (${specs.length} specs, ts-node transpile-only)`);
    const r = await runJson<ProgramResult>([...PULUMI_NODE_ARGS, path.join(__dirname, "program-start.ts")], env);
    if (r.error || r.registered !== specs.length) throw new Error(`program start: ${r.error ?? `${r.registered} of ${specs.length} registered`}`);
    runs.push(r);
  }
  let typechecked: ProgramResult | undefined;
  if (options.typecheck) {
    log("program: one run with ts-node type-checking (Pulumi's default for TypeScript)");
    typechecked = await runJson<ProgramResult>(["-r", "source-map-support/register", "-r", "ts-node/register", path.join(__dirname, "program-start.ts")], { ...env, TS_NODE_TRANSPILE_ONLY: "false" });
  }
  const seconds = runs.map((r) => r.allRegisteredAt / 1000);
  const best = runs[seconds.indexOf(Math.min(...seconds))];
  report.rows.push(
    { section: "2. Program start", figure: `process start → all ${specs.length} resources registered (best of runs)`, value: best.allRegisteredAt / 1000, unit: "s", target: 3, direction: "max", digits: 2 },
    { section: "2. Program start", figure: "  of which: program import → all registered", value: best.importToAllRegisteredMs / 1000, unit: "s", digits: 2 },
    ...(typechecked && !typechecked.error ? [{ section: "2. Program start", figure: "  same, with ts-node type-checking (Pulumi's default)", value: typechecked.allRegisteredAt / 1000, unit: "s", digits: 2 } as Row] : []),
    { section: "2. Program start", figure: "peak memory of the program process", value: best.maxRssMb, unit: "MB", digits: 0 },
  );
  report.details.program = { runs, typechecked, median: median(seconds), variants: variantCounts(specs) };
}

// ---- 3 to 8. reconcile, varied, throttled, disaster recovery, preview, history -----------------------

/** ARM's subscription limits (token bucket, since 2024): reads 250 + 25/s, writes 200 + 10/s; as fixed windows of bucket/refill seconds. */
export const ARM_LIMITS = { reads: 250, readsPerSecond: 25, writes: 200, writesPerSecond: 10 };
const ARM_FAULTS: FaultRule[] = [
  { kind: "rateLimit", reads: ARM_LIMITS.reads, windowSeconds: ARM_LIMITS.reads / ARM_LIMITS.readsPerSecond },
  { kind: "rateLimit", writes: ARM_LIMITS.writes, windowSeconds: ARM_LIMITS.writes / ARM_LIMITS.writesPerSecond },
];
/** The service's limit of running restores per backup instance in the disaster-recovery run (no source gives the number: one, the strictest). */
const DR_PER_INSTANCE_CAP = 1;

interface Prepared {
  setupFile: string;
  registrationsFile: string;
  endedRegistrationsFile?: string;
  restores: number;
  kinds: Record<string, number>;
  specsDir: string;
}

/** Writes the specs, runs the program under mocks over them (the registrations the engine sends), and the setup. */
function prepare(label: string, options: Options, setup: KindsSetup, ended: GeneratedSpec[] = []): Prepared {
  const dir = path.join(tmp, `${label}-specs`);
  writeSpecs(dir, [...setup.specs, ...ended]);
  const setupFile = path.join(tmp, `${label}-setup.json`);
  fs.writeFileSync(setupFile, JSON.stringify(setup));
  log(`${label}: running the program under mocks for the ${setup.specs.length + ended.length} specs (registrations for the engine)`);
  const run = runProgram({ "azure-restores:specs": dir, "azure-restores:apiVersion": options.onlineApiVersion });
  if (run.error || run.registrations.length !== setup.specs.length + ended.length) throw new Error(`program: ${run.error ?? `${run.registrations.length} registrations`}`);
  const endedNames = new Set(ended.map((s) => s.name));
  const registrationsFile = path.join(tmp, `${label}-registrations.json`);
  fs.writeFileSync(registrationsFile, JSON.stringify(run.registrations.filter((r) => !endedNames.has(r.name))));
  let endedRegistrationsFile: string | undefined;
  if (ended.length > 0) {
    endedRegistrationsFile = path.join(tmp, `${label}-ended.json`);
    fs.writeFileSync(endedRegistrationsFile, JSON.stringify(run.registrations.filter((r) => endedNames.has(r.name))));
  }
  return { setupFile, registrationsFile, endedRegistrationsFile, restores: setup.specs.length, kinds: setup.kinds, specsDir: dir };
}

function trimmed(setup: KindsSetup, count: number): KindsSetup {
  const specs = setup.specs.slice(0, count);
  const kinds: Record<string, number> = {};
  for (const s of specs) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
  return { ...setup, specs, kinds };
}

async function runReconcile(options: Options, label: string, files: Prepared, timeScale: number, extra: Partial<ReconcileInput> = {}): Promise<ReconcileResult> {
  const input: ReconcileInput = {
    setupFile: files.setupFile,
    registrationsFile: files.registrationsFile,
    timeScale,
    apiVersion: options.onlineApiVersion,
    jobPollSeconds: 15 / timeScale,
    jobPollMaxSeconds: 60 / timeScale,
    followerCapSeconds: 60,
    operationPollSeconds: 10 / timeScale,
    operationPollMaxSeconds: 30 / timeScale,
    operationCapSeconds: 30,
    retryAfterSent: options.onlineApiVersion < "2022-01-01",
    faults: [],
    certDir: path.join(tmp, "certs"),
    label,
    ...extra,
  };
  const inputFile = path.join(tmp, `${label}-input.json`);
  fs.writeFileSync(inputFile, JSON.stringify(input));
  log(`${label}: ${files.restores} ${input.mode === "preview" ? "previews" : "restores"} through the provider host against the emulator (time scale ${timeScale})${input.faults.length ? " with ARM's rate limits" : ""}`);
  const result = await runJson<ReconcileResult & { error?: string }>(["-r", "ts-node/register/transpile-only", path.join(__dirname, "reconcile.ts")], { BENCH_INPUT: inputFile });
  if (result.error) throw new Error(`${label}: ${result.error}`);
  return result;
}

function kindsText(kinds: Record<string, number>): string {
  return Object.entries(kinds)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
}

const unretried = (r: ReconcileResult) => r.failures.filter((f) => /\b(409|429)\b|Conflict|TooManyRequests|MaxConcurrent|InProgress/i.test(f.error)).length;

async function reconcile(options: Options, report: BenchReport, mode: "reconcile" | "varied" | "throttled"): Promise<void> {
  const spread = mode === "varied" ? VARIED_SPREAD : 0;
  const files = prepare(mode, options, kindsSetup(options.perKind, spread));
  const result = await runReconcile(options, mode, files, options.timeScale, mode === "throttled" ? { faults: ARM_FAULTS } : {});
  result.kinds = files.kinds;
  const callsRatio = result.calls.perRestore / result.calls.minimumPerRestore;
  const section =
    mode === "varied"
      ? `3. Reconcile, every kind, job durations ±${VARIED_SPREAD * 100}% per instance (the main figure)`
      : mode === "reconcile"
        ? "4. Reconcile, every kind, equal job durations per kind"
        : "Throttled reconcile (issue 7; not run by default)";
  const [wallTarget, callsTarget] = mode === "varied" ? [1.05, 1.15] : mode === "reconcile" ? [1.03, 1.1] : [1.2, undefined];
  const allow = mode === "throttled" ? result.limits?.boundSeconds ?? result.idealSeconds : result.idealSeconds;
  report.rows.push(
    { section, figure: `failed restores (of ${result.restores}: ${kindsText(files.kinds)})`, value: result.failures.length, unit: "", target: 0, direction: "zero", digits: 0 },
    { section, figure: `wall time / ideal (${result.wallSeconds.toFixed(1)} s / ${allow.toFixed(1)} s)`, value: result.wallSeconds / allow, unit: "×", target: wallTarget, direction: "max", digits: 3 },
    { section, figure: `API calls per restore / minimum (${result.calls.perRestore.toFixed(2)} / ${result.calls.minimumPerRestore.toFixed(2)})`, value: callsRatio, unit: "×", ...(callsTarget ? { target: callsTarget, direction: "max" as const } : {}), digits: 3 },
    { section, figure: "peak memory, provider host process (VmHWM)", value: result.memory.hostPeakRssMb, unit: "MB", digits: 0 },
  );
  report.details[mode] = result;
}

async function disasterRecovery(options: Options, report: BenchReport): Promise<void> {
  const setup = trimmed(kindsSetup(Math.ceil(options.drRestores / 9), VARIED_SPREAD, { maxConcurrentRestoresPerInstance: DR_PER_INSTANCE_CAP }), options.drRestores);
  const files = prepare("dr", options, setup);
  const result = await runReconcile(options, "dr", files, options.drTimeScale, { faults: ARM_FAULTS, perInstanceCap: DR_PER_INSTANCE_CAP });
  result.kinds = files.kinds;
  const bound = result.limits!.boundSeconds;
  const section = `5. Disaster recovery: ${result.restores} restores, 5 vaults, every kind, one up, ARM's limits and one restore per instance and per target`;
  report.rows.push(
    { section, figure: `failed restores (of ${result.restores}: ${kindsText(files.kinds)})`, value: result.failures.length, unit: "", target: 0, direction: "zero", digits: 0 },
    { section, figure: `wall time / what the limits and jobs allow (${result.wallSeconds.toFixed(1)} s / ${bound.toFixed(1)} s)`, value: result.wallSeconds / bound, unit: "×", target: 1.05, direction: "max", digits: 3 },
    { section, figure: "provider host peak memory (VmHWM)", value: result.memory.hostPeakRssMb, unit: "MB", target: 512, direction: "max", digits: 0 },
    { section, figure: "409 or 429 left unretried (failed restores that end on one)", value: unretried(result), unit: "", target: 0, direction: "zero", digits: 0 },
    { section, figure: "429 responses (retried)", value: result.statuses["429"] ?? 0, unit: "", digits: 0 },
    { section, figure: "409 responses (retried)", value: result.statuses["409"] ?? 0, unit: "", digits: 0 },
    { section, figure: `API calls per restore / minimum (${result.calls.perRestore.toFixed(2)} / ${result.calls.minimumPerRestore.toFixed(2)})`, value: result.calls.perRestore / result.calls.minimumPerRestore, unit: "×", digits: 3 },
  );
  report.details.dr = result;
}

async function preview(options: Options, report: BenchReport): Promise<void> {
  const setup = trimmed(kindsSetup(Math.ceil(options.previewSpecs / 9)), options.previewSpecs);
  const files = prepare("preview", options, setup);
  const result = await runReconcile(options, "preview", files, options.timeScale, { faults: ARM_FAULTS, mode: "preview" });
  result.kinds = files.kinds;
  const bound = result.limits!.boundSeconds;
  const section = `6. Preview: ${result.restores} new specs, validateRestore each, ARM's limits`;
  report.rows.push(
    { section, figure: `specs that failed to check (of ${result.restores})`, value: result.failures.length, unit: "", target: 0, direction: "zero", digits: 0 },
    { section, figure: `wall time / limit-bound time of ${result.restores} validations (${result.wallSeconds.toFixed(1)} s / ${bound.toFixed(1)} s)`, value: result.wallSeconds / bound, unit: "×", target: 1.1, direction: "max", digits: 3 },
    { section, figure: `API calls per spec / minimum (${result.calls.perRestore.toFixed(2)} / ${result.calls.minimumPerRestore.toFixed(2)})`, value: result.calls.perRestore / result.calls.minimumPerRestore, unit: "×", digits: 3 },
  );
  report.details.preview = result;
}

async function history(options: Options, report: BenchReport): Promise<void> {
  const fresh = trimmed(kindsSetup(2), 10);
  const sizes = [0, ...options.historySizes];
  const runs: HistoryRun[] = [];
  for (const size of sizes) {
    const ended = generateSpecs(size, { validOnly: true, seed: 18 }).map((s) => ({ ...s, name: `ended-${s.name}`, text: s.text.replace(/name: (\S+)/, "name: ended-$1") }));
    const files = prepare(`history-${size}`, options, fresh, ended);
    const env = { BENCH_SPECS: files.specsDir, BENCH_EXPECT: String(size + fresh.specs.length) };
    log(`history-${size}: program start over ${size + fresh.specs.length} specs`);
    const start = await runJson<ProgramResult>([...PULUMI_NODE_ARGS, path.join(__dirname, "program-start.ts")], env);
    if (start.error) throw new Error(`history program start: ${start.error}`);
    const previewRun = await runReconcile(options, `history-${size}-preview`, files, options.timeScale, { mode: "preview", endedRegistrationsFile: files.endedRegistrationsFile });
    const up = size === Math.max(...sizes) || size === 0 ? await runReconcile(options, `history-${size}-up`, files, options.timeScale, { endedRegistrationsFile: files.endedRegistrationsFile }) : undefined;
    runs.push({ ended: size, programStartSeconds: start.allRegisteredAt / 1000, programRssMb: start.maxRssMb, preview: previewRun, up });
  }
  const base = runs[0];
  const biggest = runs[runs.length - 1];
  const total = (r: HistoryRun) => r.programStartSeconds + r.preview.wallSeconds;
  const allowed = 2 * (total(base) + biggest.ended * 0.001);
  const section = `7. History: a stack of ${biggest.ended.toLocaleString("en-US")} ended restores and ${fresh.specs.length} new ones`;
  const callsOnEnded = Math.max(...runs.map((r) => Math.max(r.preview.history?.callsOnEnded ?? 0, r.up?.history?.callsOnEnded ?? 0)));
  report.rows.push(
    { section, figure: "API calls naming an ended restore's backup instance (preview and up, every size)", value: callsOnEnded, unit: "", target: 0, direction: "zero", digits: 0 },
    {
      section,
      figure: `program start + preview (${biggest.programStartSeconds.toFixed(2)} s + ${biggest.preview.wallSeconds.toFixed(2)} s) / 2 × (10 new only: ${total(base).toFixed(2)} s, + 1 ms per ended restore)`,
      value: total(biggest) / allowed,
      unit: "×",
      target: 1,
      direction: "max",
      digits: 3,
    },
    { section, figure: `up with the stack: wall time (${biggest.up?.restores ?? 0} new restores; 10 new only: ${base.up?.wallSeconds.toFixed(2) ?? "?"} s)`, value: biggest.up?.wallSeconds ?? NaN, unit: "s", digits: 2 },
    { section, figure: `failed steps (preview and up of the largest stack)`, value: biggest.preview.failures.length + (biggest.up?.failures.length ?? 0), unit: "", target: 0, direction: "zero", digits: 0 },
  );
  for (const r of runs) {
    report.rows.push({ section, figure: `  ${r.ended} ended: provider host RSS after preview (program process peak ${r.programRssMb.toFixed(0)} MB)`, value: r.preview.history?.hostRssAfterMb ?? r.preview.memory.hostPeakRssMb, unit: "MB", digits: 0 });
  }
  report.details.history = runs;
}

// ---- main ----------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(ROOT, "dist", "providers", "runtime.js"))) {
    log("dist/ is missing: building");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
  }
  const started = Date.now();
  const report: BenchReport = {
    machine: machine(),
    parameters: {
      timeScale: options.timeScale,
      drTimeScale: options.drTimeScale,
      perKind: options.perKind,
      drRestores: options.drRestores,
      previewSpecs: options.previewSpecs,
      historySizes: options.historySizes,
      drPerInstanceCap: DR_PER_INSTANCE_CAP,
      apiVersion: options.apiVersion,
      runs: options.runs,
      offlineRuns: options.offlineRuns,
      offlineSpecs: options.offlineSpecs,
      programSpecs: options.programSpecs,
      jobPollInterval: "PT15S / time scale",
      jobPollMaxInterval: "PT60S (the follower's cap) / time scale",
      onlineApiVersion: options.onlineApiVersion,
      operationPollInterval: "PT10S / time scale (the 202s of the api-version carry no Retry-After)",
      operationPollMaxInterval: "PT30S / time scale",
      armLimits: ARM_LIMITS,
    },
    rows: [],
    details: {},
    only: options.only,
  };
  try {
    if (options.only.includes("offline")) await offline(options, report);
    if (options.only.includes("program")) await program(options, report);
    if (options.only.includes("varied")) await reconcile(options, report, "varied");
    if (options.only.includes("reconcile")) await reconcile(options, report, "reconcile");
    if (options.only.includes("throttled")) await reconcile(options, report, "throttled");
    if (options.only.includes("dr")) await disasterRecovery(options, report);
    if (options.only.includes("preview")) await preview(options, report);
    if (options.only.includes("history")) await history(options, report);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  report.elapsedSeconds = (Date.now() - started) / 1000;
  report.machine.loadAverageAtEnd = os.loadavg();
  process.stdout.write(`${renderTable(report)}\n`);
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(report, null, 2));
  if (options.write) {
    const file = path.join(ROOT, "docs", "benchmarks.md");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, renderMarkdown(report));
    log(`wrote ${path.relative(ROOT, file)}`);
  } else {
    log("docs/benchmarks.md not written (--only without --write)");
  }
  const failed = report.rows.filter((r) => r.target !== undefined && !passes(r));
  log(`${report.rows.filter((r) => r.target !== undefined).length - failed.length} of ${report.rows.filter((r) => r.target !== undefined).length} targets met in ${report.elapsedSeconds.toFixed(0)} s`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`[bench] failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
}
