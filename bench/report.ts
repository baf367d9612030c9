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

/** One stack size of the history run: its program start, preview, and (smallest and largest) up. */
export interface HistoryRun {
  ended: number;
  programStartSeconds: number;
  programRssMb: number;
  preview: ReconcileResult;
  up?: ReconcileResult;
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
    dr?: ReconcileResult;
    preview?: ReconcileResult;
    history?: HistoryRun[];
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

  const scale = p.timeScale as number;
  out.push(
    "## 3 and 4. Reconcile over every kind",
    "",
    `Restores of every kind of the kinds/ registry (\`bench/kinds-world.ts\`): blob (storage accounts with two restores each, a point in time and the latest vaulted point of a prefix, one after the other since Azure runs one blob restore per account), PostgreSQL single server (instances with two restores each into two databases of their own server), and clones of the default world's disk, PostgreSQL and MySQL flexible server, Data Lake, AKS, Elastic SAN and Cosmos DB instances, each restored by its example spec of \`restores/\` into a target of its own. Each instance's job takes its kind's recorded duration (the default world's \`restoreJob.duration\`, from the recordings: blob 4m16s, PostgreSQL 6m42s, disk 3m34s, MySQL 1m34s, Data Lake 6m21s, AKS 3m36s, Elastic SAN 2m5s; PostgreSQL flexible and Cosmos DB, with none recorded, the world's 4m16s). **3.** spreads each instance's duration by up to ±${25}% (seeded): the main figure; **4.** keeps them equal per kind. The api-version is ${p.onlineApiVersion}, whose 202s carry no Retry-After, as none of the recorded 2023-2026 ones does: the client keeps its own schedule (\`operationPollInterval\` PT10S growing by half to PT30S).`,
    "",
    "The program is run under the mocks for the specs to get the registrations; then the real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, loading `dist/providers/runtime.js`) is driven over gRPC by `FakeEngine.up` of `harness/engine.ts`: Check, then Create, for every resource, all in parallel, as `pulumi up` runs independent resources. Wall time is measured around `FakeEngine.up`.",
    "",
    `**Time scale**: the emulator's clock runs ${scale}× (${p.drTimeScale}× in the disaster-recovery run); the provider's timers run in real time, so the bench gives it \`jobPollInterval\` PT15S, \`jobPollMaxInterval\` PT60S, \`operationPollInterval\` PT10S and \`operationPollMaxInterval\` PT30S, each divided by the time scale: its polls are what they would be against Azure. The provider's own CPU time (checking and planning every spec in the first Check) is not scaled: at ${scale}× one real second is ${scale} emulated seconds, which is why the scale stays at ${scale} (at 20 the start alone cost some 4% of the chain).`,
    "",
    "**Ideal**: the longest chain of work that must run one after another: one `validateRestore` (22 s), then the jobs that share a lock key (the target: the storage account, disk, database, file prefix, cluster, volume group or account the restore writes) one after another; in the disaster-recovery run, where the service runs one restore per backup instance, the jobs of one instance too. **Minimum API calls** of one restore: the backup instance GET; the recovery point GET (a spec naming an ID) or listing (`latest`/`latestBefore`); `validateRestore` and `restore`; the status polls a client must make to see each end within its cap of 30 s, not knowing when it comes (⌈22 / 30⌉ = ⌈4 / 30⌉ = 1), and the job polls to see the job end within the follower's cap of 60 s (⌈job / 60 s⌉); once per run each vault's job list, all its pages. The access check's reads (the vault's identity, its role assignments per subscription, each role definition: a few per run, not per restore) are counted as calls but not in the minimum.",
    "",
  );
  for (const [title, r] of [
    ["3. Varied durations", d.varied],
    ["4. Equal durations", d.reconcile],
  ] as const) {
    if (!r) continue;
    out.push(`### ${title}`, "", r.kinds ? `Restores by kind: ${Object.entries(r.kinds).map(([k, n]) => `${k} ${n}`).join(", ")}.` : "", "", reconcileDetails(r), "");
  }
  const minima = (d.varied ?? d.reconcile ?? d.dr)?.minimumBySpec;
  if (minima) {
    const routes = [...new Set(Object.values(minima).flatMap((m) => Object.keys(m)))];
    out.push("The minimum of one restore, by kind and recovery point (the job polls of the first spec of each):", "", mdTable(["spec", ...routes.map((r) => `\`${r}\``), "total"], Object.entries(minima).map(([k, m]) => [k, ...routes.map((r) => m[r] ?? 0), Object.values(m).reduce((a, b) => a + b, 0)])), "");
  }

  out.push(
    "## 5. Disaster recovery",
    "",
    `${p.drRestores} restores of every kind (the varied world, ±25%) over five vaults (the bench's blob and PostgreSQL vault, testBkpVault with the disk, flexible server and Data Lake instances, and the AKS, Elastic SAN and Cosmos DB vaults), in one \`up\` through the provider host. The emulator enforces ARM's subscription limits (token bucket since 2024, per subscription and principal: reads 250 refilled at 25/s, writes 200 refilled at 10/s; https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling) as fixed windows of emulated time (250 reads per 10 s, 200 writes per 20 s) in each of the two subscriptions; one blob restore per storage account (409 \`UserErrorPitrRestoreInProgress\`, Blob troubleshooting), and one running restore per backup instance (\`settings.maxConcurrentRestoresPerInstance: ${p.drPerInstanceCap}\`; 409 \`UserErrorMaxConcurrentOperationLimitReached\`, the disk guide's code; the cap and the status are the emulator's own, see emulator/README.md).`,
    "",
    "**What the limits and the jobs allow** (the bound): the longest of (a) the ideal above, with the per-instance chains, and (b) for each subscription, the time ARM's windows force for the flow's minimum calls there: ⌈reads / 250⌉ − 1 windows of 10 s, ⌈writes / 200⌉ − 1 windows of 20 s. Each is a lower bound on any client's wall time; the larger binds. It is computed from the minimum calls, not the calls made, so calls beyond the minimum count against the provider.",
    "",
  );
  if (d.dr) {
    const l = d.dr.limits;
    if (l) out.push(mdTable(["subscription", "minimum reads", "minimum writes", "reads made", "writes made", "reads' windows s", "writes' windows s"], l.bySubscription.map((s) => [s.subscription, s.minimumReads, s.minimumWrites, s.actualReads, s.actualWrites, s.forcedReadsSeconds.toFixed(1), s.forcedWritesSeconds.toFixed(1)])), "", `Bound: ${l.boundSeconds.toFixed(1)} s (the ideal ${d.dr.idealSeconds.toFixed(1)} s: \`${d.dr.longestChain}\`). Responses by status: ${Object.entries(d.dr.statuses).map(([k, v]) => `${k}: ${v}`).join(", ")}.`, "");
    out.push(reconcileDetails(d.dr), "");
  }

  out.push(
    "## 6. Preview",
    "",
    `${p.previewSpecs} new specs of every kind in \`pulumi preview\` (\`FakeEngine.preview\`: Check for each, which reads the instance and the recovery point, checks access and runs Azure's \`validateRestore\` to its end), with ARM's limits as in 5. **Limit-bound time of the validations**: the longest of one validation (22 s), the reads' windows for the minimum reads (instance, recovery point, one status poll each), and the writes' windows for the ${p.previewSpecs} \`validateRestore\` POSTs plus the 22 s the last one then takes.`,
    "",
  );
  if (d.preview) {
    const l = d.preview.limits;
    if (l) out.push(`Bound: ${l.boundSeconds.toFixed(1)} s; ${l.bySubscription.map((s) => `${s.subscription}: ${s.minimumReads} minimum reads (${s.actualReads} made), ${s.minimumWrites} writes (${s.actualWrites} made)`).join("; ")}.`, "");
    out.push("API calls:", "", routeTable(d.preview.routes, d.preview.restores), "");
  }

  out.push(
    "## 7. History",
    "",
    "A stack holding N ended restores (generated specs of every form, `bench/specs.ts`, whose records are loaded as the stack's state: phase `ended`, status `Completed`) and 10 new ones of every kind. For each N: the program start (`bench/program-start.ts`: process start to the last of the N + 10 resources registered), then `preview` through the provider host (Check and Diff of every resource), then (for N = 0 and the largest N) `up`. The ended restores' backup instances are not in the emulator's world: any call for one would be in the request log (the first figure counts the requests whose path names one of them). The target: program start + preview with N ended ≤ 2 × (the same with none + 1 ms per ended restore). Memory: the provider host's RSS after the preview, and the program process's peak, at each N.",
    "",
  );
  if (d.history) {
    out.push(
      mdTable(
        ["ended restores", "program start s", "preview s", "start + preview s", "calls naming an ended restore", "host RSS after preview MB", "program peak RSS MB", "up s (10 new)"],
        d.history.map((h) => [h.ended, h.programStartSeconds.toFixed(2), h.preview.wallSeconds.toFixed(2), (h.programStartSeconds + h.preview.wallSeconds).toFixed(2), (h.preview.history?.callsOnEnded ?? 0) + (h.up?.history?.callsOnEnded ?? 0), (h.preview.history?.hostRssAfterMb ?? h.preview.memory.hostPeakRssMb).toFixed(0), h.programRssMb.toFixed(0), h.up ? h.up.wallSeconds.toFixed(2) : ""]),
      ),
      "",
    );
  }
  if (d.throttled) out.push("## Throttled reconcile (issue 7)", "", reconcileDetails(d.throttled), "");
  if (report.only.length < 7) out.push(`(This run covered only: ${report.only.join(", ")}.)`, "");
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n").trim()}\n`;
}
