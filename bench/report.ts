/**
 * The benchmark's table (terminal) and docs/benchmarks.md. Every figure with a target is shown as
 * value / target, so a regression is visible at a glance.
 */
import type { ReconcileResult, RouteCount } from "./reconcile";

export interface Row {
  section: string;
  figure: string;
  value: number;
  unit: string;
  /** `min`: at least the target; `max`: at most; `zero`: must be 0. No target: reported only. */
  target?: number;
  direction?: "min" | "max" | "zero";
  digits: number;
}

export interface OfflineResult {
  files: number;
  passed: number;
  rendered: number;
  renderFailures: number;
  problems: { errors: number; warnings: number };
  totalMs: number;
  specsPerSecond: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  phaseMedianMs: Record<string, number>;
  phaseTotalMs: Record<string, number>;
  startupMs: number;
  maxRssMb: number;
  peakHeapMb: number;
  cpuUserMs: number;
  cpuSystemMs: number;
}

export interface ProgramResult {
  registered: number;
  expected: number;
  error?: string;
  entered: number;
  pulumiLoaded: number;
  importStart: number;
  importEnd: number;
  firstRegisteredAt: number;
  allRegisteredAt: number;
  programImportMs: number;
  importToAllRegisteredMs: number;
  maxRssMb: number;
  cpuMs: number;
}

export interface BenchReport {
  machine: { cpu: string; cores: number; mhz?: number; memoryGb: number; os: string; node: string; date: string; loadAverageAtStart: number[]; loadAverageAtEnd?: number[] };
  parameters: Record<string, unknown>;
  rows: Row[];
  details: {
    offline?: { runs: OfflineResult[]; validate: OfflineResult; variants: Record<string, number>; best: OfflineResult; cli?: { spec: string; runsMs: number[] } };
    program?: { runs: ProgramResult[]; typechecked?: ProgramResult; median: number; variants: Record<string, number> };
    reconcile?: ReconcileResult;
    throttled?: ReconcileResult;
    varied?: ReconcileResult;
  };
  only: string[];
  elapsedSeconds?: number;
}

export function passes(row: Row): boolean {
  if (row.target === undefined) return true;
  if (row.direction === "min") return row.value >= row.target;
  if (row.direction === "zero") return row.value === 0;
  return row.value <= row.target;
}

function num(value: number, digits: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function targetText(row: Row): string {
  if (row.target === undefined) return "—";
  if (row.direction === "zero") return "0";
  return `${row.direction === "min" ? "≥" : "≤"} ${num(row.target, row.target < 10 && row.target % 1 ? 2 : 0)}${row.unit && row.unit !== "×" ? ` ${row.unit}` : row.unit === "×" ? "×" : ""}`;
}

function ratioText(row: Row): string {
  if (row.target === undefined) return "";
  if (row.direction === "zero") return row.value === 0 ? "0" : `${num(row.value, 0)} (≠ 0)`;
  return `${num(row.value / row.target, 2)} (${row.direction === "min" ? "≥ 1 passes" : "≤ 1 passes"})`;
}

function verdict(row: Row): string {
  if (row.target === undefined) return "info";
  return passes(row) ? "PASS" : "FAIL";
}

function valueText(row: Row): string {
  return `${num(row.value, row.digits)}${row.unit && row.unit !== "×" ? ` ${row.unit}` : row.unit === "×" ? "×" : ""}`;
}

export function renderTable(report: BenchReport): string {
  const header = ["figure", "value", "target", "value/target", ""];
  const lines: string[][] = [];
  let section = "";
  for (const row of report.rows) {
    if (row.section !== section) {
      section = row.section;
      lines.push([`${section}`, "", "", "", ""]);
    }
    lines.push([`  ${row.figure}`, valueText(row), targetText(row), ratioText(row), verdict(row)]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const m = report.machine;
  return [
    "",
    `azure-restores benchmarks — ${m.cpu}, ${m.cores} cores, ${m.memoryGb.toFixed(1)} GB, ${m.node}, ${m.date}`,
    "",
    fmt(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...lines.map(fmt),
    "",
  ].join("\n");
}

// ---- docs/benchmarks.md ---------------------------------------------------------------------------------

function mdTable(header: string[], rows: Array<Array<string | number>>): string {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map(String).join(" | ")} |`)].join("\n");
}

function routeTable(routes: RouteCount[], restores: number): string {
  const rows = routes
    .filter((r) => r.actual + r.throttled + r.minimum > 0)
    .map((r) => [
      `\`${r.route}\``,
      r.actual,
      r.throttled,
      r.minimum,
      (r.actual / restores).toFixed(2),
      (r.minimum / restores).toFixed(2),
      r.minimum ? ((r.actual + r.throttled) / r.minimum).toFixed(2) : r.actual + r.throttled ? "∞" : "—",
    ]);
  const total = routes.reduce((a, r) => ({ actual: a.actual + r.actual, throttled: a.throttled + r.throttled, minimum: a.minimum + r.minimum }), { actual: 0, throttled: 0, minimum: 0 });
  rows.push(["**all**", total.actual, total.throttled, total.minimum, (total.actual / restores).toFixed(2), (total.minimum / restores).toFixed(2), ((total.actual + total.throttled) / total.minimum).toFixed(2)]);
  return mdTable(["route", "calls", "429s", "minimum", "per restore", "minimum per restore", "(calls + 429s) / minimum"], rows);
}

function reconcileDetails(r: ReconcileResult): string {
  const late = Object.entries(r.lateness).map(([k, v]) => [k, v.count, v.meanSeconds.toFixed(1), v.maxSeconds.toFixed(1)]);
  const ra = Object.entries(r.retryAfter.byKind).map(([k, v]) => [k, v.checked, v.violations, v.worstGapMs !== undefined ? `${v.worstGapMs} ms after a Retry-After of ${v.retryAfterMs} ms` : ""]);
  return [
    `Wall time ${r.wallSeconds.toFixed(1)} s (${r.virtualSeconds.toFixed(0)} s of emulated time); ideal ${r.idealSeconds.toFixed(1)} s (${r.idealVirtualSeconds.toFixed(1)} s emulated; longest chain: \`${r.longestChain}\`). The first restore job started ${r.firstJobAfterSeconds.toFixed(1)} s (emulated) after \`up\` began.${r.failures.length ? ` Failures: ${r.failures.slice(0, 5).map((f) => `\`${f.name}\`: ${f.error.replace(/\n/g, " ")}`).join("; ")}` : ""}`,
    "",
    "API calls, from the emulator's request log:",
    "",
    routeTable(r.routes, r.restores),
    "",
    "When the provider learnt that an operation or job had ended (emulated seconds after its end; a job is learnt from the poll that first sees it done):",
    "",
    mdTable(["what", "count", "mean s late", "max s late"], late),
    "",
    r.chainGaps.count > 0 && r.chainGaps.meanSeconds !== null && r.chainGaps.maxSeconds !== null
      ? `Gap between one blob restore job's end and the next job's start on the same storage account: mean ${r.chainGaps.meanSeconds.toFixed(1)} s, max ${r.chainGaps.maxSeconds.toFixed(1)} s (emulated; ${r.chainGaps.count} hand-overs).`
      : "No blob restore job followed another on the same storage account.",
    "",
    ...(r.criticalChain
      ? [
          `The chain that finished last (backup instance \`${r.criticalChain.key}\`), emulated seconds after \`up\` began:`,
          "",
          mdTable(["s", "event"], r.criticalChain.events.map((e) => [e.at.toFixed(1), e.what])),
          "",
        ]
      : []),
    "Retry-After: every response that carried one, against the request that followed it (the retry of the same request for a 429, the next status poll of the operation otherwise):",
    "",
    ra.length ? mdTable(["response", "checked", "not honoured", "worst"], ra) : "(no response carried Retry-After)",
    "",
    `Peak memory: provider host ${r.memory.hostPeakRssMb.toFixed(0)} MB (VmHWM), driver + emulator ${r.memory.driverPeakRssMb.toFixed(0)} MB${r.hostCpuSeconds !== undefined ? `; the host used ${r.hostCpuSeconds.toFixed(1)} s of CPU` : ""}. Request log: ${r.logEntries} entries${r.logTruncated ? " (TRUNCATED: the emulator keeps 20,000)" : ""}.`,
  ].join("\n");
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const p = report.parameters;
  const d = report.details;
  const out: string[] = [];
  out.push(
    "# Benchmarks",
    "",
    `Written by \`npm run bench\` (the code is in \`bench/\`; it is not part of \`npm test\`) on ${m.date}, in ${(report.elapsedSeconds ?? 0).toFixed(0)} s. Every figure with a target is shown as value / target: for "≥" targets a ratio of 1 or more passes, for "≤" targets 1 or less.`,
    "",
    "## Machine",
    "",
    mdTable(
      ["CPU", "cores", "memory", "OS", "Node", "load average at start / end (1, 5, 15 min)"],
      [[m.cpu + (m.mhz ? ` (${m.mhz} MHz)` : ""), m.cores, `${m.memoryGb.toFixed(1)} GB`, m.os, m.node, `${m.loadAverageAtStart.map((x) => x.toFixed(2)).join(", ")} / ${(m.loadAverageAtEnd ?? []).map((x) => x.toFixed(2)).join(", ")}`]],
    ),
    "",
    "The machine is shared: other processes (other test runs) may have been running, which the load average shows. CPU-bound figures (1 and 2) are therefore the best of several runs; all runs are listed below.",
    "",
    "## Figures",
    "",
    mdTable(
      ["benchmark", "figure", "value", "target", "value / target", ""],
      report.rows.map((r) => [r.section, r.figure, valueText(r), targetText(r), ratioText(r), verdict(r) === "info" ? "" : `**${verdict(r)}**`]),
    ),
    "",
    "## Parameters",
    "",
    mdTable(
      ["parameter", "value"],
      Object.entries(p).map(([k, v]) => [k, `\`${typeof v === "string" ? v : JSON.stringify(v)}\``]),
    ),
    "",
  );

  out.push(
    "## 1. Offline checks",
    "",
    "What a pull request's pipeline runs over every spec: read the file, parse the YAML (with positions), check it (JSON Schema, rules, names across files), and render it (`planRestore`: the exact `validateRestore` and `restore` bodies, checked against the api-version's definitions), with the compiled code in `dist/`, in one `node` process (one thread: JavaScript runs on one core; the figure is wall-clock). One spec at a time: read and parse it (load), check it (`checkParsedSpecs` of the one file: schema, rules, file name), render it; only its name is kept for the duplicate-name check across files at the end. A spec's time is the sum of its three steps; specs per second is the number of files divided by the whole run (file discovery and the check across files included). `validate alone` is `checkSpecFiles` over the folder, which reads and parses every file first and keeps them, then checks them. Peak memory is the process's RSS high-water mark (`process.resourceUsage().maxRSS`). Rendering uses the fixtures' backup instances (`test/fixtures/instances/`) and twelve recovery points, as `render --instance --recovery-points` would.",
    "",
  );
  if (d.offline) {
    const o = d.offline;
    out.push(
      `The ${o.best.files} generated specs (\`bench/specs.ts\`, seeded), by form:`,
      "",
      mdTable(["form", "specs"], Object.entries(o.variants).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [`\`${k}\``, v])),
      "",
      `Of them ${o.best.passed} pass every check and are rendered (${o.best.rendered} plans); the \`bad-*\` files carry ${o.best.problems.errors} errors between them (the error paths, with positions and suggestions, are part of the measurement).`,
      "",
      mdTable(
        ["run", "specs/s", "median ms", "p99 ms", "total ms", "CPU ms (user + system)", "peak RSS MB"],
        o.runs.map((r, i) => [i + 1, r.specsPerSecond.toFixed(0), r.medianMs.toFixed(3), r.p99Ms.toFixed(3), r.totalMs.toFixed(0), (r.cpuUserMs + r.cpuSystemMs).toFixed(0), r.maxRssMb.toFixed(0)]),
      ),
      "",
      `Where the best run's time went: load (read + YAML parse) ${o.best.phaseTotalMs.load.toFixed(0)} ms, check ${o.best.phaseTotalMs.check.toFixed(0)} ms, render ${o.best.phaseTotalMs.render.toFixed(0)} ms, names across files ${o.best.phaseTotalMs.crossFile.toFixed(1)} ms; medians per spec: load ${o.best.phaseMedianMs.load.toFixed(3)} ms, check ${o.best.phaseMedianMs.check.toFixed(3)} ms, render ${o.best.phaseMedianMs.render.toFixed(3)} ms. The slowest spec (${o.best.maxMs.toFixed(1)} ms) is the first one checked: it loads the validators the build precompiled (ajv standalone code, \`dist/checks/validators.standalone.js\` and \`dist/api/validators/\`) and runs them for the first time. Loading the modules took ${o.best.startupMs.toFixed(0)} ms before the run; peak JS heap ${o.best.peakHeapMb.toFixed(0)} MB.`,
      "",
      `For comparison, \`checkSpecFiles\` alone (what \`azure-restores validate\` runs: no rendering) checked the same folder at ${o.validate.specsPerSecond.toFixed(0)} specs/s with a peak RSS of ${o.validate.maxRssMb.toFixed(0)} MB.`,
      "",
      ...(o.cli ? [`One spec's whole \`azure-restores validate ${o.cli.spec}\` (\`node bin/azure-restores.js\`, process start to exit), ${o.cli.runsMs.length} runs: ${o.cli.runsMs.map((ms) => ms.toFixed(0)).join(", ")} ms.`, ""] : []),
    );
  }

  out.push(
    "## 2. Program start",
    "",
    "`index.ts` under Pulumi's mocks (`pulumi.runtime.setMocks`), started the way the nodejs language host starts a TypeScript program: `node -r source-map-support/register -r ts-node/register/transpile-only` (the host requires `source-map-support/register`, then registers ts-node; transpile-only is what `PULUMI_NODEJS_TRANSPILE_ONLY=true` gives). The figure is the time from the start of the process (`performance.timeOrigin`) to the mocks' `newResource` call for the last Restore of a folder of generated specs (all valid, every form): node's start, ts-node's registration, loading `@pulumi/pulumi`, importing the program (reading and checking every spec) and registering every resource. `index.ts` imports the compiled modules of `dist/` (the ones the provider runs), so ts-node transpiles that one file; it creates the resources in a callback, where the stack Pulumi records for each resource's source position is a few frames deep instead of some thirty (source-mapped one by one).",
    "",
  );
  if (d.program) {
    const pr = d.program;
    out.push(
      mdTable(
        ["run", "start → all registered s", "start → program import s", "program import (checks + constructors) s", "import → first registered s", "import → all registered s", "CPU s", "peak RSS MB"],
        pr.runs.map((r, i) => [
          i + 1,
          (r.allRegisteredAt / 1000).toFixed(2),
          (r.importStart / 1000).toFixed(2),
          ((r.importEnd - r.importStart) / 1000).toFixed(2),
          ((r.firstRegisteredAt - r.importStart) / 1000).toFixed(2),
          (r.importToAllRegisteredMs / 1000).toFixed(2),
          (r.cpuMs / 1000).toFixed(2),
          r.maxRssMb.toFixed(0),
        ]),
      ),
      "",
      pr.typechecked
        ? pr.typechecked.error
          ? `With ts-node type-checking (Pulumi's default for a TypeScript program unless \`PULUMI_NODEJS_TRANSPILE_ONLY=true\`): failed: ${pr.typechecked.error}`
          : `With ts-node type-checking (Pulumi's default for a TypeScript program unless \`PULUMI_NODEJS_TRANSPILE_ONLY=true\`): ${(pr.typechecked.allRegisteredAt / 1000).toFixed(2)} s (one run).`
        : "",
      "",
    );
  }

  out.push(
    "## 3. Reconcile",
    "",
    "200 restores: 50 storage accounts, each with a blob backup instance and two restores of it (a point in time of the whole account, and the latest vaulted recovery point of a prefix); 50 PostgreSQL source databases, each with a backup instance and two restores into new databases of its own target server (one from a recovery point ID, one from `latest`). The world is generated in code (`bench/world.ts`); its durations and Retry-After values are the emulator's default world's (the seeds'): validateRestore 22 s (Retry-After 10 s), restore 4 s (Retry-After 30 s), blob restore job 4m16.28s, PostgreSQL restore job 6m42s; job listings are paged 10 to a page as in the default world. The emulator runs its clock at the time scale (emulated seconds per real second) and divides Retry-After by it (at least 1 s); the provider's first job poll interval is the default PT15S divided by the time scale. The api-version is 2024-04-01, whose 202 responses carry Retry-After (the emulator follows the definitions, and 2026-06-01's define none).",
    "",
    "The program is run under the mocks for the 200 specs to get the registrations; then the real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, loading `dist/providers/runtime.js`) is driven over gRPC by `FakeEngine.up` from `harness/engine.ts`: Check, then Create, for every resource, all in parallel, as `pulumi up` runs independent resources (its default parallelism is unbounded). This is `pulumi up --skip-preview`: a `pulumi up` with its preview runs Check (and so `validateRestore`) once more in the preview's host.",
    "",
    "**Ideal**: the longest chain of work that must run one after another: one `validateRestore` (22 s; all validations run at once at the start), then the restore jobs that share a lock key one after another (two blob jobs on one storage account: 22 + 2 × 256.28 = 534.57 s emulated). The restore operation (4 s) is not in the chain: the job starts when `restore` is accepted. Wall time is measured around `FakeEngine.up` and compared with the ideal divided by the time scale. (A client that honours Retry-After cannot see validateRestore end before ⌈22 / 10⌉ × 10 = 30 s, so its best possible is 542.57 s, 1.015 × the ideal; everything above that is the provider's own: its start, its hand-overs, and how late its job polls see a job end.)",
    "",
    "**Time scale and the provider's own clocks**: the emulator's clock runs at the time scale, the provider's timers in real time. The bench gives the provider `jobPollInterval` = PT15S / time scale and `jobPollMaxInterval` = PT60S / time scale (the follower's cap), so its job polls are what they would be against Azure. The durations the provider learns from the jobs it followed are measured on its own clock, so they are real seconds too. The client's 2 s fallback between operation status polls (used when a status answer has no Retry-After) is also real time.",
    "",
    "**Minimum API calls** of one restore, the calls the flow cannot do without: the backup instance GET; the recovery point GET (a spec naming an ID) or the recovery point listing (`latest`/`latestBefore`; one page here); `validateRestore`; the operation status polls that honouring Retry-After requires to see it end (⌈22 s / Retry-After⌉: 3 when Retry-After is 10 s); `restore`; its status polls (⌈4 s / Retry-After⌉: 1 with 30 s); and the job polls needed to notice the job's end within the follower's cap of 60 s (⌈job / 60 s⌉: 5 for a blob job, 7 for a PostgreSQL job): a follower that must notice the end within 60 s, not knowing when it comes, has to poll at least every 60 s. Besides, once per run: each vault's job list, all its pages as the run finds them (the guard against restoring twice after a crash looks for jobs started before the run; the jobs the run starts are its own), counted in the `listJobs` row below and not in the per-spec table. Actual calls are every ARM request in the emulator's log (429s counted apart). With the time scale, a Retry-After is what the emulator sends (at least 1 real second), in emulated seconds.",
    "",
  );
  const minima = (d.reconcile ?? d.throttled)?.minimumBySpec;
  if (minima) {
    const routes = [...new Set(Object.values(minima).flatMap((m) => Object.keys(m)))];
    out.push(
      "The minimum of one restore, by spec (as this run computed it):",
      "",
      mdTable(["spec", ...routes.map((r) => `\`${r}\``), "total"], Object.entries(minima).map(([k, m]) => [k, ...routes.map((r) => m[r] ?? 0), Object.values(m).reduce((a, b) => a + b, 0)])),
      "",
    );
  }
  if (d.reconcile) out.push(reconcileDetails(d.reconcile), "");

  out.push(
    "## 4. Throttled run",
    "",
    "The same 200 restores with the emulator enforcing Azure Resource Manager's subscription limits (token bucket since 2024, per subscription and principal: reads a bucket of 250 refilled at 25/s, writes 200 refilled at 10/s; https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling) through its `rateLimit` fault, which counts fixed windows of emulated time: 250 reads per 10 s and 200 writes per 20 s (the bucket size per bucket/refill seconds: the same sustained rate and burst). Over the limit a call gets 429 with the Retry-After that frees the window (divided by the time scale). The limits are in emulated time, so they scale with the clock.",
    "",
    "**What the limits allow**: the longer of the ideal and the time the windows force for the run's accepted calls (⌈reads / 250⌉ − 1 windows of 10 s, ⌈writes / 200⌉ − 1 windows of 20 s).",
    "",
  );
  if (d.throttled) {
    const t = d.throttled;
    if (t.limits) {
      out.push(
        `Accepted calls: ${t.limits.reads} reads and ${t.limits.writes} writes; the windows force at least ${t.limits.forcedReadsSeconds.toFixed(1)} s for the reads and ${t.limits.forcedWritesSeconds.toFixed(1)} s for the writes (a token bucket: ${t.limits.tokenBucketReadsSeconds.toFixed(1)} s and ${t.limits.tokenBucketWritesSeconds.toFixed(1)} s); the ideal is ${t.idealSeconds.toFixed(1)} s, so the limits allow ${t.limits.allowSeconds.toFixed(1)} s.`,
        "",
      );
    }
    out.push(reconcileDetails(t), "");
  }
  if (d.varied) {
    out.push(
      "## 5. Reconcile with varied job durations",
      "",
      "The world of 3. with each backup instance's restore job duration spread by up to ±25% (seeded; the ideal and the minimum follow the durations of each spec). In 3. every job of a kind takes the seeds' duration, the best case for a follower that learns durations from the jobs around it; here a similar job's end is only a hint, and a follower woken by one that finds its own job still running goes back to its growing interval. No target of its own: it shows how much of 3.'s result depends on equal durations.",
      "",
      reconcileDetails(d.varied),
      "",
    );
  }
  if (report.only.length < 5) out.push(`(This run covered only: ${report.only.join(", ")}.)`, "");
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}
