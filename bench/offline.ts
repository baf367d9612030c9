/**
 * Offline checks benchmark (child process, plain `node`, one thread): load, schema-check and render every
 * spec of a folder with the compiled product code in dist/ (what `azure-restores validate` and `render`
 * run), timing each spec; or (`validate`) run `checkSpecFiles` over the folder as `azure-restores
 * validate` does.
 *
 * It is transpiled on its own to bench/.out/offline.js and imports product code only from dist/ at run
 * time, so neither ts-node nor the TypeScript compiler is loaded in the measured process.
 *
 *   node bench/.out/offline.js <specDir> <facts.json> <apiVersion> [pipeline|validate]
 *
 * Prints one JSON line.
 */
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import type * as SpecModule from "../checks";
import type * as PlanModule from "../plan";
import type { BackupInstanceFacts } from "../kinds";
import type { ApiVersion } from "../api/versions";
import type { Problem } from "../errors/problem";

const started = performance.now();
const root = process.env.BENCH_ROOT ?? path.resolve(__dirname, "..", "..");
/* eslint-disable @typescript-eslint/no-require-imports */
const specLib = require(path.join(root, "dist", "checks")) as typeof SpecModule;
const planLib = require(path.join(root, "dist", "plan")) as typeof PlanModule;
/* eslint-enable @typescript-eslint/no-require-imports */
const loaded = performance.now();

const [specDir, factsFile, apiVersionArg, mode = "pipeline"] = process.argv.slice(2);
const apiVersion = apiVersionArg as ApiVersion;
const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const NOW = new Date("2026-01-01T00:00:00Z");

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

function count(problems: Problem[]): { errors: number; warnings: number } {
  return { errors: problems.filter((p) => p.severity === "error").length, warnings: problems.filter((p) => p.severity === "warning").length };
}

let peakHeap = 0;
function sampleHeap(): void {
  const used = process.memoryUsage().heapUsed;
  if (used > peakHeap) peakHeap = used;
}

function pipeline(): Record<string, unknown> {
  const facts = JSON.parse(fs.readFileSync(factsFile, "utf8")) as Record<"blob" | "pg", BackupInstanceFacts>;
  const t0 = performance.now();
  const found = specLib.findSpecFiles([specDir]);
  const n = found.files.length;
  const load = new Float64Array(n);
  const check = new Float64Array(n);
  const render = new Float64Array(n);
  const rendered = new Uint8Array(n);
  const problems: Problem[] = [...found.problems];
  const named: Array<{ file: string; name: string }> = [];
  let passed = 0;
  let renderFailures = 0;
  // One spec at a time, as `validate` then `render` would treat it: read and parse (load), its schema,
  // rules and file name (checkParsedSpecs of the one file), then its plan (render). Only the name is
  // kept for the check across files.
  for (let i = 0; i < n; i++) {
    const a = performance.now();
    const read = specLib.readSpecFile(found.files[i]);
    problems.push(...read.problems);
    const result = read.text === undefined ? undefined : specLib.parseSpecText(path.relative(process.cwd(), found.files[i]), read.text);
    if (result) problems.push(...result.problems);
    const b = performance.now();
    load[i] = b - a;
    const parsed = result?.parsed;
    if (!parsed) continue;
    const checked = specLib.checkParsedSpecs([parsed], { apiVersion, now: NOW });
    problems.push(...checked.problems);
    const name = (parsed.value as { metadata?: { name?: unknown } })?.metadata?.name;
    if (typeof name === "string") named.push({ file: parsed.file, name });
    const spec = checked.specs[0]?.spec;
    const c = performance.now();
    check[i] = c - b;
    if (!spec) continue;
    passed += 1;
    const plan = planLib.planRestore(spec, spec.kind === "BlobRestore" ? facts.blob : facts.pg, { apiVersion, defaultSubscriptionId: SUB });
    render[i] = performance.now() - c;
    rendered[i] = 1;
    if (!plan.ok) renderFailures += 1;
    if ((i & 255) === 0) sampleHeap();
  }
  const c0 = performance.now();
  const clashes = specLib.duplicateNames(named).length;
  const crossFileMs = performance.now() - c0;
  const totalMs = performance.now() - t0;
  sampleHeap();
  const perSpec = Array.from({ length: n }, (_, i) => load[i] + check[i] + render[i]).sort((a, b) => a - b);
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    mode: "pipeline",
    files: n,
    passed,
    rendered: passed - renderFailures,
    renderFailures,
    duplicateNames: clashes,
    problems: count(problems),
    totalMs,
    specsPerSecond: n / (totalMs / 1000),
    medianMs: quantile(perSpec, 0.5),
    p99Ms: quantile(perSpec, 0.99),
    maxMs: perSpec[perSpec.length - 1],
    phaseMedianMs: { load: quantile(sorted(Array.from(load)), 0.5), check: quantile(sorted(Array.from(check)), 0.5), render: quantile(sorted(Array.from(render).filter((_, i) => rendered[i])), 0.5) },
    phaseTotalMs: { load: load.reduce((s, x) => s + x, 0), check: check.reduce((s, x) => s + x, 0), render: render.reduce((s, x) => s + x, 0), crossFile: crossFileMs },
  };
}

/** `checkSpecFiles`, what `azure-restores validate <dir>` runs (no rendering). */
function validate(): Record<string, unknown> {
  const t0 = performance.now();
  const result = specLib.checkSpecFiles([specDir], { apiVersion, now: NOW });
  const totalMs = performance.now() - t0;
  sampleHeap();
  return { mode: "validate", files: result.files.length, problems: count(result.problems), totalMs, specsPerSecond: result.files.length / (totalMs / 1000) };
}

const result = mode === "validate" ? validate() : pipeline();
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({
    ...result,
    startupMs: loaded - started,
    processStartToLoadedMs: loaded,
    maxRssMb: usage.maxRSS / 1024,
    peakHeapMb: peakHeap / 1024 / 1024,
    cpuUserMs: usage.userCPUTime / 1000,
    cpuSystemMs: usage.systemCPUTime / 1000,
    node: process.version,
  })}\n`,
);
