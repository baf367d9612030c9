/**
 * Reconcile benchmark (child process, ts-node): every restore of the generated world through the real
 * dynamic-provider host (the process `pulumi up` starts, loading dist/providers/runtime.js), driven over
 * gRPC like the engine (`FakeEngine.up`: Check then Create for every resource, all in parallel), against
 * the emulator with the world's durations on a scaled clock. Afterwards it reads the emulator's request
 * log, its operations and jobs, and the response headers, and works out the figures.
 *
 *   BENCH_INPUT=<input.json> node -r ts-node/register/transpile-only bench/reconcile.ts
 *
 * Prints one JSON line (see ReconcileResult).
 */
import * as fs from "fs";
import type { RequestLogEntry } from "../emulator/engine";
import type { FaultRule } from "../emulator/faults";
import { FakeEngine, type Registration } from "../harness/engine";
import { startProviderHost } from "../harness/host";
import { startBenchEmulator } from "./emulator";
import type { ReconcileSetup, ReconcileSpec } from "./world";

export interface ReconcileInput {
  setupFile: string;
  registrationsFile: string;
  timeScale: number;
  apiVersion: string;
  /** First job poll interval given to the provider (jobPollInterval), real seconds. */
  jobPollSeconds: number;
  /**
   * Longest job poll interval given to the provider (jobPollMaxInterval, real seconds): the follower's
   * 60 s cap divided by the time scale. A provider that does not know the key ignores it and keeps
   * 60 s of real time, i.e. 60 × time scale emulated seconds.
   */
  jobPollMaxSeconds: number;
  /** The follower's cap on poll intervals, virtual seconds (as it applies against Azure). */
  followerCapSeconds: number;
  faults: FaultRule[];
  certDir: string;
  label: string;
}

export interface RouteCount {
  route: string;
  actual: number;
  throttled: number;
  minimum: number;
}

export interface ReconcileResult {
  label: string;
  restores: number;
  failures: Array<{ name: string; error: string }>;
  wallSeconds: number;
  virtualSeconds: number;
  idealSeconds: number;
  idealVirtualSeconds: number;
  longestChain: string;
  limits?: { reads: number; writes: number; forcedReadsSeconds: number; forcedWritesSeconds: number; allowSeconds: number; tokenBucketReadsSeconds: number; tokenBucketWritesSeconds: number };
  calls: { actual: number; throttled: number; minimum: number; perRestore: number; minimumPerRestore: number };
  /** The minimum of one restore of each kind of spec, by route. */
  minimumBySpec: Record<string, Record<string, number>>;
  routes: RouteCount[];
  retryAfter: { checked: number; violations: number; byKind: Record<string, { checked: number; violations: number; worstGapMs?: number; retryAfterMs?: number }> };
  lateness: Record<string, { count: number; meanSeconds: number; maxSeconds: number }>;
  chainGaps: { count: number; meanSeconds: number; maxSeconds: number };
  /** The chain that ended last: what happened when (emulated seconds after `up` began). */
  criticalChain?: { key: string; events: Array<{ at: number; what: string }> };
  firstJobAfterSeconds: number;
  memory: { hostPeakRssMb: number; driverPeakRssMb: number };
  logEntries: number;
  logTruncated: boolean;
  hostCpuSeconds?: number;
}

function stats(xs: number[]): { count: number; meanSeconds: number; maxSeconds: number } {
  return { count: xs.length, meanSeconds: xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN, maxSeconds: xs.length ? Math.max(...xs) : NaN };
}

function procStatus(pid: number, key: string): number | undefined {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function procCpuSeconds(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    // utime and stime are fields 14 and 15 of stat (12 and 13 after pid and comm are cut)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

const lastSegment = (p: string) => p.replace(/\?.*$/, "").replace(/\/+$/, "").split("/").pop()!.toLowerCase();

/** The calls one restore cannot do without (see docs/benchmarks.md, "API calls"). */
export function minimumCalls(spec: ReconcileSpec, setup: ReconcileSetup, input: Pick<ReconcileInput, "timeScale" | "apiVersion" | "followerCapSeconds">): Record<string, number> {
  const ra = setup.settings.retryAfter;
  // The Retry-After the 202 carries, in virtual seconds (the emulator divides by the time scale and sends at least 1 s).
  const effective = (seconds: number) => Math.max(1, Math.ceil(seconds / input.timeScale)) * input.timeScale;
  const validatePolls = Math.ceil(setup.seconds.validateRestore / effective(ra.validateRestore));
  const restorePolls = Math.ceil(setup.seconds.restore / effective(ra.restore));
  return {
    getBackupInstance: 1,
    getRecoveryPoint: spec.recoveryPoint === "get" ? 1 : 0,
    listRecoveryPoints: spec.recoveryPoint === "list" ? 1 : 0,
    // The job list is the run's, not the restore's: see vaultListingPages.
    listJobs: 0,
    validateRestore: 1,
    "operationStatus:validateRestore": validatePolls,
    restore: 1,
    "operationStatus:restore": restorePolls,
    getJob: Math.max(1, Math.ceil(spec.jobSeconds / input.followerCapSeconds)),
  };
}

/**
 * The job listing the flow needs: each vault's list once per run (the guard against restoring twice
 * after a crash looks for jobs started before the run), all its pages as they are when the run starts.
 */
export function vaultListingPages(vaults: string[], jobsAtStart: Array<{ vaultName: string }>, pageSize: number): number {
  return [...new Set(vaults.map((v) => v.toLowerCase()))].reduce((pages, vault) => {
    const jobs = jobsAtStart.filter((j) => j.vaultName.toLowerCase() === vault).length;
    return pages + Math.max(1, Math.ceil(jobs / pageSize));
  }, 0);
}

async function main(): Promise<void> {
  const input = JSON.parse(fs.readFileSync(process.env.BENCH_INPUT!, "utf8")) as ReconcileInput;
  const setup = JSON.parse(fs.readFileSync(input.setupFile, "utf8")) as ReconcileSetup;
  const registrations = JSON.parse(fs.readFileSync(input.registrationsFile, "utf8")) as Registration[];
  const emulator = await startBenchEmulator({ world: setup.world, timeScale: input.timeScale, faults: input.faults, certDir: input.certDir });
  const host = await startProviderHost();
  const pid = host.process.pid!;
  let hostPeak = 0;
  const sampler = setInterval(() => (hostPeak = Math.max(hostPeak, procStatus(pid, "VmHWM") ?? 0)), 500);
  let steps: Awaited<ReturnType<FakeEngine["up"]>> = [];
  let wallMs = 0;
  let virtualStart = 0;
  let virtualEnd = 0;
  let hostCpu: number | undefined;
  let listingPages = 0;
  try {
    await host.configure({
      "azure-restores:endpoint": emulator.url,
      "azure-restores:credential": "emulator",
      "azure-restores:caCertPath": emulator.caCertPath,
      "azure-restores:subscriptionId": "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f",
      "azure-restores:apiVersion": input.apiVersion,
      "azure-restores:jobPollInterval": `PT${input.jobPollSeconds}S`,
      "azure-restores:jobPollMaxInterval": `PT${input.jobPollMaxSeconds}S`,
    });
    const engine = new FakeEngine();
    listingPages = vaultListingPages(setup.specs.map((spec) => spec.vault), [...emulator.engine.store.jobs.values()], setup.settings.pageSize);
    virtualStart = emulator.engine.clock.now();
    const t0 = Date.now();
    steps = await engine.up(host, registrations);
    wallMs = Date.now() - t0;
    virtualEnd = emulator.engine.clock.now();
    hostPeak = Math.max(hostPeak, procStatus(pid, "VmHWM") ?? 0);
    hostCpu = procCpuSeconds(pid);
  } finally {
    clearInterval(sampler);
    await host.stop().catch(() => undefined);
  }

  const e = emulator.engine;
  const log = e.requestLog().filter((x) => x.route !== "control");
  const logTruncated = log.length > 0 && log[0].seq !== 1;
  const operations = new Map([...e.store.operations.values()].map((op) => [op.id.toLowerCase(), op]));
  const jobs = [...e.store.jobs.values()];
  const specsByName = new Map(setup.specs.map((s) => [s.name, s]));

  // ---- calls per route, actual against minimum
  const routeOf = (x: RequestLogEntry): string => {
    if (x.route === "operationStatus" || x.route === "operationResults") return `${x.route}:${operations.get(lastSegment(x.path))?.kind ?? "unknown"}`;
    return x.route;
  };
  const counts = new Map<string, RouteCount>();
  const count = (route: string) => {
    let c = counts.get(route);
    if (!c) counts.set(route, (c = { route, actual: 0, throttled: 0, minimum: 0 }));
    return c;
  };
  for (const x of log) {
    const c = count(routeOf(x));
    if (x.status === 429) c.throttled += 1;
    else c.actual += 1;
  }
  for (const r of registrations) {
    const spec = specsByName.get(r.name);
    if (!spec) continue;
    for (const [route, n] of Object.entries(minimumCalls(spec, setup, input))) count(route).minimum += n;
  }
  count("listJobs").minimum += listingPages;
  const routes = [...counts.values()].sort((a, b) => b.actual - a.actual);
  const actual = routes.reduce((s, r) => s + r.actual, 0);
  const throttled = routes.reduce((s, r) => s + r.throttled, 0);
  const minimum = routes.reduce((s, r) => s + r.minimum, 0);

  // ---- Retry-After: every response that carried one, against the request that followed it
  const byKind: ReconcileResult["retryAfter"]["byKind"] = {};
  const bySeq = [...log].sort((a, b) => a.seq - b.seq);
  const nextByClientId = new Map<string, RequestLogEntry[]>();
  const pollsByOperation = new Map<string, RequestLogEntry[]>();
  for (const x of bySeq) {
    if (x.clientRequestId) (nextByClientId.get(x.clientRequestId) ?? nextByClientId.set(x.clientRequestId, []).get(x.clientRequestId)!).push(x);
    if (x.route === "operationStatus" || x.route === "operationResults") {
      const id = lastSegment(x.path);
      (pollsByOperation.get(id) ?? pollsByOperation.set(id, []).get(id)!).push(x);
    }
  }
  const check = (kind: string, retryAfterMs: number, writtenAt: number, next: RequestLogEntry | undefined) => {
    if (!next) return;
    const k = (byKind[kind] ??= { checked: 0, violations: 0 });
    const gap = Date.parse(next.startedAt) - writtenAt;
    k.checked += 1;
    if (gap < retryAfterMs - 5) {
      k.violations += 1;
      if (k.worstGapMs === undefined || gap < k.worstGapMs) {
        k.worstGapMs = gap;
        k.retryAfterMs = retryAfterMs;
      }
    }
  };
  for (const x of bySeq) {
    const response = emulator.responses.get(x.requestId);
    if (!response || response.retryAfter === undefined) continue;
    const ra = response.retryAfter * 1000;
    if (x.status === 429) {
      const same = nextByClientId.get(x.clientRequestId ?? "") ?? [];
      check("429 retry", ra, response.writtenAt, same.find((y) => y.seq > x.seq));
    } else if (response.asyncOperation) {
      const polls = pollsByOperation.get(lastSegment(response.asyncOperation)) ?? [];
      check(`first poll after ${x.route} 202`, ra, response.writtenAt, polls.find((y) => y.seq > x.seq));
    } else if (x.route === "operationStatus" || x.route === "operationResults") {
      const polls = pollsByOperation.get(lastSegment(x.path)) ?? [];
      check(`next poll after ${x.route}`, ra, response.writtenAt, polls.find((y) => y.seq > x.seq));
    }
  }
  const retryAfter = { checked: Object.values(byKind).reduce((s, k) => s + k.checked, 0), violations: Object.values(byKind).reduce((s, k) => s + k.violations, 0), byKind };

  // ---- when the provider noticed the end of each operation and job (virtual seconds late)
  const lateness: Record<string, number[]> = {};
  for (const [id, polls] of pollsByOperation) {
    const op = operations.get(id);
    if (!op || op.endMs === null) continue;
    const last = polls.filter((p) => p.status === 200).at(-1);
    if (last) (lateness[`${op.kind} operation`] ??= []).push((Date.parse(last.virtualTime) - op.endMs) / 1000);
  }
  const jobPolls = new Map<string, RequestLogEntry[]>();
  for (const x of bySeq) if (x.route === "getJob" && x.status === 200) (jobPolls.get(lastSegment(x.path)) ?? jobPolls.set(lastSegment(x.path), []).get(lastSegment(x.path))!).push(x);
  for (const job of jobs) {
    const polls = jobPolls.get(job.name.toLowerCase());
    const kind = job.target.kind === "storageAccount" ? "blob job" : "PostgreSQL job";
    if (polls?.length) (lateness[kind] ??= []).push((Date.parse(polls.at(-1)!.virtualTime) - (job.startMs + job.durationMs)) / 1000);
  }
  // ---- between one job's end and the next job's start on the same storage account
  const gaps: number[] = [];
  const byAccount = new Map<string, typeof jobs>();
  for (const job of jobs) if (job.target.kind === "storageAccount") (byAccount.get(job.target.id.toLowerCase()) ?? byAccount.set(job.target.id.toLowerCase(), []).get(job.target.id.toLowerCase())!).push(job);
  for (const list of byAccount.values()) {
    list.sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < list.length; i++) gaps.push((list[i].startMs - (list[i - 1].startMs + list[i - 1].durationMs)) / 1000);
  }

  // ---- the chain that finished last, step by step
  const noticed = (jobName: string) => {
    const polls = jobPolls.get(jobName.toLowerCase());
    return polls?.length ? Date.parse(polls.at(-1)!.virtualTime) : undefined;
  };
  const byInstance = new Map<string, typeof jobs>();
  for (const job of jobs) (byInstance.get(job.backupInstanceName.toLowerCase()) ?? byInstance.set(job.backupInstanceName.toLowerCase(), []).get(job.backupInstanceName.toLowerCase())!).push(job);
  let critical: ReconcileResult["criticalChain"];
  let criticalEnd = -Infinity;
  for (const [instance, list] of byInstance) {
    list.sort((a, b) => a.startMs - b.startMs);
    const end = Math.max(...list.map((j) => noticed(j.name) ?? 0));
    if (end <= criticalEnd) continue;
    criticalEnd = end;
    const rel = (ms: number) => Math.round((ms - virtualStart) / 100) / 10;
    const events: Array<{ at: number; what: string }> = [];
    const ops = [...operations.values()].filter((op) => op.backupInstanceName?.toLowerCase() === instance).sort((a, b) => a.startMs - b.startMs);
    for (const op of ops) {
      events.push({ at: rel(op.startMs), what: `${op.kind} accepted` });
      if (op.endMs !== null) events.push({ at: rel(op.endMs), what: `${op.kind} ended` });
      const last = pollsByOperation.get(op.id.toLowerCase())?.filter((p) => p.status === 200).at(-1);
      if (last) events.push({ at: rel(Date.parse(last.virtualTime)), what: `${op.kind} end seen (${pollsByOperation.get(op.id.toLowerCase())!.length} polls)` });
    }
    for (const job of list) {
      events.push({ at: rel(job.startMs), what: "job started" }, { at: rel(job.startMs + job.durationMs), what: "job ended" });
      const seen = noticed(job.name);
      if (seen !== undefined) events.push({ at: rel(seen), what: `job end seen (${jobPolls.get(job.name.toLowerCase())!.length} polls)` });
    }
    events.sort((a, b) => a.at - b.at);
    critical = { key: instance, events };
  }

  // ---- the ideal: the longest chain of work that must run one after another
  const chains = new Map<string, { seconds: number; restores: number }>();
  for (const r of registrations) {
    const spec = specsByName.get(r.name);
    if (!spec) continue;
    const c = chains.get(spec.lockKey) ?? { seconds: setup.seconds.validateRestore, restores: 0 };
    c.seconds += spec.jobSeconds;
    c.restores += 1;
    chains.set(spec.lockKey, c);
  }
  const [longestKey, longest] = [...chains].sort((a, b) => b[1].seconds - a[1].seconds)[0];
  const asLong = [...chains.values()].filter((c) => c.seconds === longest.seconds).length;
  const idealVirtual = longest.seconds;
  const ideal = idealVirtual / input.timeScale;

  // ---- what the rate limits allow (rateLimit rules: limit per window, virtual time)
  let limits: ReconcileResult["limits"];
  const readRule = input.faults.find((f) => f.kind === "rateLimit" && f.reads !== undefined);
  const writeRule = input.faults.find((f) => f.kind === "rateLimit" && f.writes !== undefined);
  if (readRule || writeRule) {
    const reads = log.filter((x) => x.status !== 429 && (x.method === "GET" || x.method === "HEAD")).length;
    const writes = log.filter((x) => x.status !== 429 && x.method !== "GET" && x.method !== "HEAD").length;
    const forced = (n: number, rule?: FaultRule, limit?: number) => (rule && limit ? (Math.ceil(n / limit) - 1) * (rule.windowSeconds ?? 60) : 0);
    const forcedReads = forced(reads, readRule, readRule?.reads);
    const forcedWrites = forced(writes, writeRule, writeRule?.writes);
    const bucket = (n: number, size?: number, windowSeconds?: number) => (size && windowSeconds ? Math.max(0, (n - size) / (size / windowSeconds)) : 0);
    limits = {
      reads,
      writes,
      forcedReadsSeconds: forcedReads / input.timeScale,
      forcedWritesSeconds: forcedWrites / input.timeScale,
      allowSeconds: Math.max(idealVirtual, forcedReads, forcedWrites) / input.timeScale,
      tokenBucketReadsSeconds: bucket(reads, readRule?.reads, readRule?.windowSeconds) / input.timeScale,
      tokenBucketWritesSeconds: bucket(writes, writeRule?.writes, writeRule?.windowSeconds) / input.timeScale,
    };
  }

  const minimumBySpec: Record<string, Record<string, number>> = {};
  for (const spec of setup.specs) {
    const label = `${spec.kind === "blob" ? "blob" : "PostgreSQL"}, recovery point: ${spec.recoveryPoint === "none" ? "none (point in time)" : spec.recoveryPoint === "get" ? "an ID" : "latest"}`;
    minimumBySpec[label] ??= minimumCalls(spec, setup, input);
  }
  const failures = steps.filter((s) => s.op !== "create").map((s) => ({ name: s.name, error: (s.error ?? s.failures?.join("; ") ?? s.op).slice(0, 400) }));
  const firstJob = jobs.length ? Math.min(...jobs.map((j) => j.startMs)) : virtualStart;
  const result: ReconcileResult = {
    label: input.label,
    restores: registrations.length,
    failures,
    wallSeconds: wallMs / 1000,
    virtualSeconds: (virtualEnd - virtualStart) / 1000,
    idealSeconds: ideal,
    idealVirtualSeconds: idealVirtual,
    longestChain: `${longestKey} (${longest.restores} restores${asLong > 1 ? `; one of ${asLong} chains as long` : ""})`,
    ...(limits ? { limits } : {}),
    calls: { actual, throttled, minimum, perRestore: (actual + throttled) / registrations.length, minimumPerRestore: minimum / registrations.length },
    minimumBySpec,
    routes,
    retryAfter,
    lateness: Object.fromEntries(Object.entries(lateness).map(([k, v]) => [k, stats(v)])),
    chainGaps: stats(gaps),
    ...(critical ? { criticalChain: critical } : {}),
    firstJobAfterSeconds: (firstJob - virtualStart) / 1000,
    memory: { hostPeakRssMb: hostPeak, driverPeakRssMb: process.resourceUsage().maxRSS / 1024 },
    logEntries: log.length,
    logTruncated,
    ...(hostCpu !== undefined ? { hostCpuSeconds: hostCpu } : {}),
  };
  await emulator.stop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stdout.write(`${JSON.stringify({ error: (e as Error).stack })}\n`);
      process.exit(1);
    },
  );
}
