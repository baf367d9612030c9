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
import { minimumCalls, vaultListingPages, type ReconcileInput, type ReconcileResult, type RouteCount } from "./reconcile-model";
import type { ReconcileSetup, ReconcileSpec } from "./world";

export { minimumCalls, vaultListingPages, type ReconcileInput, type ReconcileResult, type RouteCount } from "./reconcile-model";

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

/** The record an ended restore leaves in the stack (as record.ts writes it), for a spec's registration. */
function endedRecord(reg: Registration): Record<string, unknown> {
  const inputs = reg.inputs as { spec: { kind: string; metadata: { name: string; ticket?: string }; spec: { backupInstance: unknown } } };
  const jobId = `/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault/backupJobs/ended-${reg.name}`;
  return {
    ...reg.inputs,
    name: inputs.spec.metadata.name,
    kind: inputs.spec.kind,
    backupInstanceId: typeof inputs.spec.spec.backupInstance === "string" ? inputs.spec.spec.backupInstance : JSON.stringify(inputs.spec.spec.backupInstance),
    apiVersion: "2024-04-01",
    phase: "ended",
    jobId,
    status: "Completed",
    startTime: "2026-03-01T10:00:00.0000000Z",
    endTime: "2026-03-01T10:06:42.0000000Z",
    duration: "00:06:42",
    sourceDataStore: "VaultStore",
    recoveryPointId: "eb006fde78cb47198be5a320fbe45e9b",
    recoveryPointTime: "2026-02-28T16:31:16.0000000Z",
    target: "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver/databases/restored",
    request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", sourceDataStoreType: "VaultStore", recoveryPointId: "eb006fde78cb47198be5a320fbe45e9b", restoreTargetInfo: { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", restoreLocation: "westus" } },
    requestHash: "0".repeat(64),
    validatedAt: "2026-03-01T09:59:30.000Z",
    triggeredAt: "2026-03-01T09:59:58.000Z",
    adopted: false,
    firstAttemptAt: "2026-03-01T09:59:00.000Z",
    errors: [],
    warnings: [],
    ticket: inputs.spec.metadata.ticket,
  };
}

const PROVIDER_SUBSCRIPTION = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";

const lastSegment = (p: string) => p.replace(/\?.*$/, "").replace(/\/+$/, "").split("/").pop()!.toLowerCase();

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
  let hostAtStart = 0;
  let hostAfter = 0;
  const ended = input.endedRegistrationsFile ? (JSON.parse(fs.readFileSync(input.endedRegistrationsFile, "utf8")) as Registration[]) : [];
  const endedNames = new Set(ended.map((r) => r.name));
  try {
    await host.configure({
      "azure-restores:endpoint": emulator.url,
      "azure-restores:credential": "emulator",
      "azure-restores:caCertPath": emulator.caCertPath,
      "azure-restores:subscriptionId": PROVIDER_SUBSCRIPTION,
      "azure-restores:apiVersion": input.apiVersion,
      "azure-restores:jobPollInterval": `PT${input.jobPollSeconds}S`,
      "azure-restores:jobPollMaxInterval": `PT${input.jobPollMaxSeconds}S`,
      "azure-restores:operationPollInterval": `PT${input.operationPollSeconds}S`,
      "azure-restores:operationPollMaxInterval": `PT${input.operationPollMaxSeconds}S`,
    });
    const engine = new FakeEngine();
    if (ended.length > 0) {
      for (const reg of ended) {
        const outputs = JSON.parse(JSON.stringify(endedRecord(reg))) as Record<string, unknown>;
        engine.state.set(reg.name, { id: String(outputs.jobId), inputs: reg.inputs, outputs, initErrors: [] });
      }
      // The ended restores' specs are part of the program's registrations too.
      registrations.unshift(...ended);
      hostAtStart = procStatus(pid, "VmRSS") ?? 0;
    }
    listingPages = vaultListingPages(setup.specs.map((spec) => spec.vault), [...emulator.engine.store.jobs.values()], setup.settings.pageSize);
    virtualStart = emulator.engine.clock.now();
    const t0 = Date.now();
    steps = input.mode === "preview" ? await engine.preview(host, registrations) : await engine.up(host, registrations);
    wallMs = Date.now() - t0;
    hostAfter = procStatus(pid, "VmRSS") ?? 0;
    virtualEnd = emulator.engine.clock.now();
    hostPeak = Math.max(hostPeak, procStatus(pid, "VmHWM") ?? 0);
    hostCpu = procCpuSeconds(pid);
  } finally {
    clearInterval(sampler);
    await host.stop().catch(() => undefined);
  }

  const e = emulator.engine;
  const log = emulator.log.filter((x) => x.route !== "control");
  const logTruncated = false;
  // BENCH_DUMP_LOG=file: the request log and the run's start (virtual ms), to study a run's timeline.
  if (process.env.BENCH_DUMP_LOG) fs.writeFileSync(`${process.env.BENCH_DUMP_LOG}.${input.label}.json`, JSON.stringify({ virtualStart, log }));
  const newRegistrations = registrations.filter((r) => !endedNames.has(r.name));
  const operations = new Map([...e.store.operations.values()].map((op) => [op.id.toLowerCase(), op]));
  const jobs = [...e.store.jobs.values()];
  const specsByName = new Map(setup.specs.map((s) => [s.name, s]));
  const specKindOfInstance = new Map(setup.specs.filter((s) => s.instance).map((s) => [s.instance!.toLowerCase(), s.kind]));

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
  const minimumBySubscription = new Map<string, { reads: number; writes: number }>();
  // A spec naming its instance by parts without a subscription is the provider's subscription's.
  const subscriptionOf = (text: string) => /subscriptions\/([0-9a-f-]{36})/i.exec(text)?.[1]?.toLowerCase() ?? PROVIDER_SUBSCRIPTION;
  const WRITES = new Set(["validateRestore", "restore"]);
  for (const r of newRegistrations) {
    const spec = specsByName.get(r.name);
    if (!spec) continue;
    const sub = minimumBySubscription.get(subscriptionOf(spec.text)) ?? minimumBySubscription.set(subscriptionOf(spec.text), { reads: 0, writes: 0 }).get(subscriptionOf(spec.text))!;
    for (const [route, n] of Object.entries(minimumCalls(spec, setup, input))) {
      count(route).minimum += n;
      if (WRITES.has(route)) sub.writes += n;
      else sub.reads += n;
    }
  }
  if (input.mode !== "preview") count("listJobs").minimum += listingPages;
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
    const kind = `${specKindOfInstance.get(job.backupInstanceName.toLowerCase()) ?? job.target.kind} job`;
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
  for (const [instance, list] of input.mode === "preview" ? [] : byInstance) {
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
  const chain = (key: string, spec: ReconcileSpec) => {
    const c = chains.get(key) ?? { seconds: setup.seconds.validateRestore, restores: 0 };
    c.seconds += spec.jobSeconds;
    c.restores += 1;
    chains.set(key, c);
  };
  for (const r of newRegistrations) {
    const spec = specsByName.get(r.name);
    if (!spec) continue;
    if (input.mode === "preview") continue;
    chain(spec.lockKey, spec);
    // One restore at a time per backup instance when the service caps them at 1 (a cap above 1 is not modelled).
    if (input.perInstanceCap === 1 && spec.instance) chain(`backupInstance:${spec.vault.toLowerCase()}/${spec.instance.toLowerCase()}`, spec);
  }
  if (chains.size === 0) chains.set("validateRestore", { seconds: setup.seconds.validateRestore, restores: 1 });
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
    const bySubscription = [...minimumBySubscription].map(([subscription, m]) => {
      const mine = log.filter((x) => x.status !== 429 && subscriptionOf(x.path) === subscription);
      return {
        subscription,
        minimumReads: m.reads,
        minimumWrites: m.writes,
        actualReads: mine.filter((x) => x.method === "GET" || x.method === "HEAD").length,
        actualWrites: mine.filter((x) => x.method !== "GET" && x.method !== "HEAD").length,
        forcedReadsSeconds: forced(m.reads, readRule, readRule?.reads) / input.timeScale,
        forcedWritesSeconds: forced(m.writes, writeRule, writeRule?.writes) / input.timeScale,
      };
    });
    limits = {
      bySubscription,
      // A preview's last validation is accepted no sooner than the writes' windows allow, and ends its
      // duration later; an up's chains and windows are lower bounds each (the larger binds).
      boundSeconds:
        input.mode === "preview"
          ? Math.max(ideal, ...bySubscription.map((s) => Math.max(s.forcedReadsSeconds, s.forcedWritesSeconds + setup.seconds.validateRestore / input.timeScale)))
          : Math.max(ideal, ...bySubscription.map((s) => Math.max(s.forcedReadsSeconds, s.forcedWritesSeconds))),
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
    const label = `${spec.kind === "pg" ? "postgresql" : spec.kind}, recovery point: ${spec.recoveryPoint === "none" ? "none (point in time)" : spec.recoveryPoint === "get" ? "an ID" : "latest"}`;
    minimumBySpec[label] ??= minimumCalls(spec, setup, input);
  }
  const endedInstances = [...new Set(ended.map((r) => String(((r.inputs as { spec?: { spec?: { backupInstance?: unknown } } }).spec?.spec?.backupInstance as string | undefined) ?? "").split("/").pop()!.toLowerCase()))].filter(Boolean);
  const failures = steps.filter((s) => s.op !== (input.mode === "preview" ? "create" : "create") && !(ended.length > 0 && s.op === "same")).map((s) => ({ name: s.name, error: (s.error ?? s.failures?.join("; ") ?? s.op).slice(0, 400) }));
  const firstJob = jobs.length ? Math.min(...jobs.map((j) => j.startMs)) : virtualStart;
  const result: ReconcileResult = {
    label: input.label,
    restores: newRegistrations.length,
    ...(ended.length > 0
      ? {
          history: {
            ended: ended.length,
            callsOnEnded: log.filter((x) => endedInstances.some((name) => x.path.toLowerCase().includes(name))).length,
            hostRssAtStartMb: hostAtStart,
            hostRssAfterMb: hostAfter,
          },
        }
      : {}),
    steps: Object.fromEntries([...new Set(steps.map((s) => s.op))].map((op) => [op, steps.filter((s) => s.op === op).length])),
    failures,
    wallSeconds: wallMs / 1000,
    virtualSeconds: (virtualEnd - virtualStart) / 1000,
    idealSeconds: ideal,
    idealVirtualSeconds: idealVirtual,
    longestChain: `${longestKey} (${longest.restores} restores${asLong > 1 ? `; one of ${asLong} chains as long` : ""})`,
    ...(limits ? { limits } : {}),
    calls: { actual, throttled, minimum, perRestore: (actual + throttled) / newRegistrations.length, minimumPerRestore: minimum / newRegistrations.length },
    statuses: Object.fromEntries([...new Set(log.map((x) => x.status))].map((st) => [String(st), log.filter((x) => x.status === st).length])),
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
