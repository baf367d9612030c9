/**
 * `npm run bench`: the four benchmarks of issue 7, each in its own process, one table of figures against
 * their targets, and docs/benchmarks.md with the machine they ran on. Not part of `npm test`.
 *
 *   npm run bench                                  all four, writes docs/benchmarks.md
 *   npm run bench -- --only offline,program        some of them (offline, program, reconcile, throttled, varied); no docs written
 *   npm run bench -- --time-scale 5 --runs 3       clock speed-up of the emulator (default 5); runs of the program start
 *   npm run bench -- --offline-runs 5              runs of the offline benchmark (the best counts)
 *   npm run bench -- --write                       write docs/benchmarks.md even with --only
 *   npm run bench -- --json report.json            also write every run's details as JSON
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import * as ts from "typescript";
import { runProgram } from "../harness/engine";
import type { ReconcileInput, ReconcileResult } from "./reconcile";
import { passes, renderMarkdown, renderTable, type BenchReport, type OfflineResult, type ProgramResult, type Row } from "./report";
import { generateSpecs, offlineFacts, variantCounts, writeSpecs } from "./specs";
import { reconcileSetup } from "./world";

const ROOT = path.join(__dirname, "..");
const OUT = path.join(__dirname, ".out");
const ALL = ["offline", "program", "reconcile", "throttled", "varied"] as const;
/** How much the `varied` run spreads each instance's job duration, either way. */
const VARIED_SPREAD = 0.25;
type Bench = (typeof ALL)[number];

interface Options {
  only: Bench[];
  timeScale: number;
  runs: number;
  offlineRuns: number;
  offlineSpecs: number;
  programSpecs: number;
  apiVersion: string;
  write: boolean;
  typecheck: boolean;
  /** Also write the whole report (every run's details) as JSON here. */
  json?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { only: [...ALL], timeScale: 5, runs: 3, offlineRuns: 5, offlineSpecs: 10_000, programSpecs: 1000, apiVersion: "2024-04-01", write: true, typecheck: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "--only": {
        const list = value().split(",").map((s) => s.trim()) as Bench[];
        for (const b of list) if (!ALL.includes(b)) throw new Error(`--only: unknown benchmark '${b}' (${ALL.join(", ")})`);
        options.only = list;
        options.write = false;
        break;
      }
      case "--time-scale":
        options.timeScale = Number(value());
        break;
      case "--runs":
        options.runs = Math.max(1, Number(value()));
        break;
      case "--offline-runs":
        options.offlineRuns = Math.max(1, Number(value()));
        break;
      case "--offline-specs":
        options.offlineSpecs = Number(value());
        break;
      case "--program-specs":
        options.programSpecs = Number(value());
        break;
      case "--api-version":
        options.apiVersion = value();
        break;
      case "--write":
        options.write = true;
        break;
      case "--no-write":
        options.write = false;
        break;
      case "--json":
        options.json = path.resolve(value());
        break;
      case "--no-typecheck":
        options.typecheck = false;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Runs a child and parses the last line of its stdout as JSON. */
function runJson<T>(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 15 * 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, BENCH_ROOT: ROOT, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").filter(Boolean).at(-1);
      try {
        const parsed = JSON.parse(line ?? "") as T & { error?: string };
        resolve(parsed);
      } catch {
        reject(new Error(`${args.join(" ")} exited ${code} without a result:\n${out.slice(-2000)}\n${err.slice(-4000)}`));
      }
    });
  });
}

function transpile(file: string): string {
  const source = fs.readFileSync(path.join(__dirname, file), "utf8");
  const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }, fileName: file });
  fs.mkdirSync(OUT, { recursive: true });
  const target = path.join(OUT, file.replace(/\.ts$/, ".js"));
  fs.writeFileSync(target, output.outputText);
  return target;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function machine(): BenchReport["machine"] {
  const cpus = os.cpus();
  let model = cpus[0]?.model ?? "unknown";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
    if (m) model = m[1].trim();
  } catch {
    // not Linux
  }
  return {
    cpu: model,
    cores: cpus.length,
    mhz: cpus[0]?.speed,
    memoryGb: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg(),
  };
}

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

// ---- 3 and 4. reconcile, throttled --------------------------------------------------------------------

const prepared = new Map<number, { setupFile: string; registrationsFile: string; restores: number }>();

function prepareReconcile(options: Options, spread: number): { setupFile: string; registrationsFile: string; restores: number } {
  const done = prepared.get(spread);
  if (done) return done;
  const setup = reconcileSetup(50, 50, spread);
  const dir = path.join(tmp, `reconcile-specs-${spread}`);
  writeSpecs(dir, setup.specs);
  const setupFile = path.join(tmp, `reconcile-setup-${spread}.json`);
  fs.writeFileSync(setupFile, JSON.stringify(setup));
  log(`reconcile: running the program under mocks for the ${setup.specs.length} specs (registrations for the engine)`);
  const run = runProgram({ "azure-restores:specs": dir, "azure-restores:apiVersion": options.apiVersion });
  if (run.error || run.registrations.length !== setup.specs.length) throw new Error(`program: ${run.error ?? `${run.registrations.length} registrations`}`);
  const registrationsFile = path.join(tmp, `reconcile-registrations-${spread}.json`);
  fs.writeFileSync(registrationsFile, JSON.stringify(run.registrations));
  const files = { setupFile, registrationsFile, restores: setup.specs.length };
  prepared.set(spread, files);
  return files;
}

/** ARM's subscription limits (token bucket, since 2024): reads 250 + 25/s, writes 200 + 10/s; as fixed windows of bucket/refill seconds. */
export const ARM_LIMITS = { reads: 250, readsPerSecond: 25, writes: 200, writesPerSecond: 10 };

async function reconcile(options: Options, report: BenchReport, mode: "reconcile" | "throttled" | "varied"): Promise<void> {
  const throttled = mode === "throttled";
  const { setupFile, registrationsFile, restores } = prepareReconcile(options, mode === "varied" ? VARIED_SPREAD : 0);
  const input: ReconcileInput = {
    setupFile,
    registrationsFile,
    timeScale: options.timeScale,
    apiVersion: options.apiVersion,
    jobPollSeconds: 15 / options.timeScale,
    jobPollMaxSeconds: 60 / options.timeScale,
    followerCapSeconds: 60,
    faults: throttled
      ? [
          { kind: "rateLimit", reads: ARM_LIMITS.reads, windowSeconds: ARM_LIMITS.reads / ARM_LIMITS.readsPerSecond },
          { kind: "rateLimit", writes: ARM_LIMITS.writes, windowSeconds: ARM_LIMITS.writes / ARM_LIMITS.writesPerSecond },
        ]
      : [],
    certDir: path.join(tmp, "certs"),
    label: mode,
  };
  const inputFile = path.join(tmp, `${input.label}-input.json`);
  fs.writeFileSync(inputFile, JSON.stringify(input));
  log(`${input.label}: ${restores} restores through the provider host against the emulator (time scale ${options.timeScale})${throttled ? " with ARM's rate limits" : ""}`);
  const result = await runJson<ReconcileResult & { error?: string }>(["-r", "ts-node/register/transpile-only", path.join(__dirname, "reconcile.ts")], { BENCH_INPUT: inputFile });
  if (result.error) throw new Error(`${input.label}: ${result.error}`);
  const callsRatio = result.calls.perRestore / result.calls.minimumPerRestore;
  if (mode === "varied") {
    const section = `5. Reconcile, job durations ±${VARIED_SPREAD * 100}% per instance (no target of its own)`;
    report.rows.push(
      { section, figure: `failed restores (of ${result.restores})`, value: result.failures.length, unit: "", target: 0, direction: "zero", digits: 0 },
      { section, figure: `wall time / ideal (${result.wallSeconds.toFixed(1)} s / ${result.idealSeconds.toFixed(1)} s; 3.'s target 1.10)`, value: result.wallSeconds / result.idealSeconds, unit: "×", digits: 3 },
      { section, figure: `API calls per restore / minimum (${result.calls.perRestore.toFixed(1)} / ${result.calls.minimumPerRestore.toFixed(2)}; 3.'s target 1.25)`, value: callsRatio, unit: "×", digits: 3 },
      { section, figure: `Retry-After not honoured (of ${result.retryAfter.checked} responses that carried one)`, value: result.retryAfter.violations, unit: "", target: 0, direction: "zero", digits: 0 },
    );
    report.details.varied = result;
    return;
  }
  const section = throttled ? "4. Throttled run" : "3. Reconcile";
  if (!throttled) {
    report.rows.push(
      { section, figure: `failed restores (of ${result.restores})`, value: result.failures.length, unit: "", target: 0, direction: "zero", digits: 0 },
      { section, figure: `wall time / ideal (${result.wallSeconds.toFixed(1)} s / ${result.idealSeconds.toFixed(1)} s)`, value: result.wallSeconds / result.idealSeconds, unit: "×", target: 1.1, direction: "max", digits: 3 },
      { section, figure: `API calls per restore / minimum (${result.calls.perRestore.toFixed(1)} / ${result.calls.minimumPerRestore.toFixed(2)})`, value: callsRatio, unit: "×", target: 1.25, direction: "max", digits: 3 },
      { section, figure: `Retry-After not honoured (of ${result.retryAfter.checked} responses that carried one)`, value: result.retryAfter.violations, unit: "", target: 0, direction: "zero", digits: 0 },
      { section, figure: "peak memory, provider host process (VmHWM)", value: result.memory.hostPeakRssMb, unit: "MB", digits: 0 },
      { section, figure: "peak memory, driver + emulator process", value: result.memory.driverPeakRssMb, unit: "MB", digits: 0 },
    );
    report.details.reconcile = result;
  } else {
    const allow = result.limits?.allowSeconds ?? result.idealSeconds;
    report.rows.push(
      { section, figure: `failed restores (of ${result.restores})`, value: result.failures.length, unit: "", target: 0, direction: "zero", digits: 0 },
      { section, figure: `wall time / what the limits allow (${result.wallSeconds.toFixed(1)} s / ${allow.toFixed(1)} s)`, value: result.wallSeconds / allow, unit: "×", target: 1.2, direction: "max", digits: 3 },
      { section, figure: `429 responses (throttled calls, retried)`, value: result.calls.throttled, unit: "", digits: 0 },
      { section, figure: `API calls per restore / minimum, 429s included (${result.calls.perRestore.toFixed(1)} / ${result.calls.minimumPerRestore.toFixed(2)})`, value: callsRatio, unit: "×", digits: 3 },
      { section, figure: `Retry-After not honoured (of ${result.retryAfter.checked})`, value: result.retryAfter.violations, unit: "", target: 0, direction: "zero", digits: 0 },
      { section, figure: "peak memory, provider host process (VmHWM)", value: result.memory.hostPeakRssMb, unit: "MB", digits: 0 },
    );
    report.details.throttled = result;
  }
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
      apiVersion: options.apiVersion,
      runs: options.runs,
      offlineRuns: options.offlineRuns,
      offlineSpecs: options.offlineSpecs,
      programSpecs: options.programSpecs,
      jobPollInterval: `PT${15 / options.timeScale}S (PT15S / time scale)`,
      jobPollMaxInterval: `PT${60 / options.timeScale}S (PT60S, the follower's cap, / time scale)`,
      armLimits: ARM_LIMITS,
    },
    rows: [],
    details: {},
    only: options.only,
  };
  try {
    if (options.only.includes("offline")) await offline(options, report);
    if (options.only.includes("program")) await program(options, report);
    if (options.only.includes("reconcile")) await reconcile(options, report, "reconcile");
    if (options.only.includes("throttled")) await reconcile(options, report, "throttled");
    if (options.only.includes("varied")) await reconcile(options, report, "varied");
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
