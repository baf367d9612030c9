/**
 * What a report says of each drill, computed once from the evidence and rendered three ways (Markdown,
 * HTML, JSON). Pure. The drill's own verdicts (`passed`, `rtoMet`, `rpoMet`) are authoritative; the
 * report computes met-or-not only where the evidence has none but gives both the value and an objective.
 */
import type { CheckResult, DrillRestoreEvidence, DrillRun, RecoveryTime } from "../drills/evidence";
import { durationSeconds, formatSeconds } from "./duration";
import { withoutUndefined } from "./fields";
import type { ExportedDrill, ExportedRestore, StackExport } from "./stack-export";

export interface Objectives {
  /** As the drill wrote them: ISO 8601 durations. */
  rto?: string;
  rpo?: string;
  rtoSeconds?: number;
  rpoSeconds?: number;
}

/** One backup instance in one run: a row of the run's table, a point of the chart. */
export interface RestoreOutcome {
  backupInstanceId: string;
  kind: string;
  passed: boolean;
  recoveryPointId?: string;
  recoveryPointTime?: string;
  /** The recovery time by step, as recorded; `rtoSeconds` is its total. */
  rto?: RecoveryTime;
  rtoSeconds?: number;
  rtoMet?: boolean;
  rpoSeconds?: number;
  rpoMet?: boolean;
  jobId?: string;
  jobStatus?: string;
  target?: string;
  checks: CheckResult[];
  error?: { code: string; message: string };
}

/** A run as recorded (drills/evidence.ts), its objectives in seconds too and each restore as an outcome. */
export interface RunSummary extends Pick<DrillRun, "window" | "windowStart" | "windowEnd" | "startedAt" | "endedAt" | "seed" | "passed"> {
  objectives?: Objectives;
  restores: RestoreOutcome[];
}

/** A backup instance as the newest run that sampled it left it, and how it did over the kept runs. */
export interface InstanceSummary extends RestoreOutcome {
  window: number;
  startedAt: string;
  rtoObjectiveSeconds?: number;
  rpoObjectiveSeconds?: number;
  runs: number;
  passedRuns: number;
}

/** Why a restore of a run failed: a check, an objective, an error (or nothing recorded). */
export interface Finding {
  window: number;
  startedAt: string;
  backupInstanceId: string;
  what: "check" | "rto" | "rpo" | "error" | "failed";
  check?: CheckResult["check"];
  code?: string;
  detail: string;
}

export interface Rate {
  passed: number;
  of: number;
  /** passed / of, or null with nothing to count. */
  rate: number | null;
}

export interface DrillSummary {
  name: string;
  urn: string;
  /** `passed`/`failed`: the newest run's verdict. */
  status: "passed" | "failed" | "no runs" | "secret";
  lastWindow?: number;
  lastRun?: { window: number; startedAt: string; endedAt: string; seed: string; passed: boolean };
  /** The newest run's objectives. */
  objectives?: Objectives;
  /** Runs passed over runs kept, and restores passed over restores in them. */
  runRate: Rate;
  restoreRate: Rate;
  instances: InstanceSummary[];
  /** Newest run first. */
  findings: Finding[];
  /** Newest first. */
  runs: RunSummary[];
  /** Fields under the resource's outputs that were encrypted in the export. */
  secretFields: string[];
  secretEvidence?: string;
  /** What the report could not read (an objective that is not an ISO 8601 duration...). */
  notes: string[];
}

export interface DrillReport {
  schema: "azure-restores/drill-report/v1";
  source: string;
  stack?: string;
  project?: string;
  exportedAt?: string;
  totals: { drills: number; passed: number; failed: number; noRuns: number; secret: number };
  drills: DrillSummary[];
  restores: ExportedRestore[];
}

const time = (t: string) => {
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
};

/** Newest first: by start time, then window. */
export function newestFirst<T extends { startedAt: string; window: number }>(runs: readonly T[]): T[] {
  return [...runs].sort((a, b) => time(b.startedAt) - time(a.startedAt) || b.window - a.window);
}

function rate(passed: number, of: number): Rate {
  return { passed, of, rate: of === 0 ? null : passed / of };
}

function objectivesOf(run: DrillRun, notes: Set<string>): Objectives | undefined {
  if (!run.objectives) return undefined;
  const out: Objectives = { ...run.objectives };
  for (const key of ["rto", "rpo"] as const) {
    const text = run.objectives[key];
    if (text === undefined) continue;
    const seconds = durationSeconds(text);
    if (seconds === undefined) notes.add(`the ${key.toUpperCase()} objective ${JSON.stringify(text)} is not an ISO 8601 duration (e.g. PT1H)`);
    else out[key === "rto" ? "rtoSeconds" : "rpoSeconds"] = seconds;
  }
  return out;
}

const met = (recorded: boolean | undefined, value: number | undefined, objective: number | undefined) =>
  recorded ?? (value !== undefined && objective !== undefined ? value <= objective : undefined);

function outcome(e: DrillRestoreEvidence, objectives: Objectives | undefined): RestoreOutcome {
  const rtoSeconds = e.rto?.totalSeconds;
  return withoutUndefined({
    backupInstanceId: e.backupInstanceId,
    kind: e.kind,
    passed: e.passed,
    recoveryPointId: e.recoveryPointId,
    recoveryPointTime: e.recoveryPointTime,
    rto: e.rto,
    rtoSeconds,
    rtoMet: met(e.rtoMet, rtoSeconds, objectives?.rtoSeconds),
    rpoSeconds: e.rpoSeconds,
    rpoMet: met(e.rpoMet, e.rpoSeconds, objectives?.rpoSeconds),
    jobId: e.jobId,
    jobStatus: e.jobStatus,
    target: e.target,
    checks: e.checks,
    error: e.error,
  });
}


function findingsOf(run: DrillRun, e: DrillRestoreEvidence, o: RestoreOutcome, objectives: Objectives | undefined): Finding[] {
  const at = { window: run.window, startedAt: run.startedAt, backupInstanceId: e.backupInstanceId };
  const out: Finding[] = [];
  if (e.error) out.push({ ...at, what: "error", code: e.error.code, detail: e.error.message });
  for (const c of e.checks) if (!c.passed) out.push({ ...at, what: "check", check: c.check, detail: c.detail });
  const over = (seconds: number | undefined, text: string | undefined) => `${seconds === undefined ? "?" : formatSeconds(seconds)} over the objective ${text ?? "?"}`;
  if (o.rtoMet === false) out.push({ ...at, what: "rto", detail: `RTO ${over(o.rtoSeconds, objectives?.rto)}` });
  if (o.rpoMet === false) out.push({ ...at, what: "rpo", detail: `RPO ${over(o.rpoSeconds, objectives?.rpo)}` });
  if (!e.passed && out.length === 0) out.push({ ...at, what: "failed", detail: "failed, with no failed check, objective or error recorded" });
  return out;
}

export function summarizeDrill(drill: ExportedDrill): DrillSummary {
  const notes = new Set<string>();
  const runs = newestFirst(drill.runs);
  const instances = new Map<string, InstanceSummary>();
  const findings: Finding[] = [];
  const summaries: RunSummary[] = runs.map((run) => {
    const objectives = objectivesOf(run, notes);
    const restores = [...run.restores].sort((a, b) => a.backupInstanceId.localeCompare(b.backupInstanceId));
    const outcomes = restores.map((e) => {
      const o = outcome(e, objectives);
      findings.push(...findingsOf(run, e, o, objectives));
      const key = e.backupInstanceId.toLowerCase();
      const seen = instances.get(key);
      if (seen) Object.assign(seen, { runs: seen.runs + 1, passedRuns: seen.passedRuns + (e.passed ? 1 : 0) });
      else {
        instances.set(key, {
          ...o,
          window: run.window,
          startedAt: run.startedAt,
          ...(objectives?.rtoSeconds !== undefined ? { rtoObjectiveSeconds: objectives.rtoSeconds } : {}),
          ...(objectives?.rpoSeconds !== undefined ? { rpoObjectiveSeconds: objectives.rpoSeconds } : {}),
          runs: 1,
          passedRuns: e.passed ? 1 : 0,
        });
      }
      return o;
    });
    const { window, windowStart, windowEnd, startedAt, endedAt, seed, passed } = run;
    return { window, windowStart, windowEnd, startedAt, endedAt, seed, passed, ...(objectives ? { objectives } : {}), restores: outcomes };
  });
  const newest = summaries[0];
  const restoresKept = summaries.flatMap((r) => r.restores);
  return {
    name: drill.name,
    urn: drill.urn,
    status: drill.secretEvidence !== undefined ? "secret" : !newest ? "no runs" : newest.passed ? "passed" : "failed",
    ...(drill.lastWindow !== undefined ? { lastWindow: drill.lastWindow } : {}),
    ...(newest ? { lastRun: { window: newest.window, startedAt: newest.startedAt, endedAt: newest.endedAt, seed: newest.seed, passed: newest.passed } } : {}),
    ...(newest?.objectives ? { objectives: newest.objectives } : {}),
    runRate: rate(summaries.filter((r) => r.passed).length, summaries.length),
    restoreRate: rate(restoresKept.filter((r) => r.passed).length, restoresKept.length),
    instances: [...instances.values()].sort((a, b) => a.backupInstanceId.localeCompare(b.backupInstanceId)),
    findings,
    runs: summaries,
    secretFields: drill.secretFields,
    ...(drill.secretEvidence !== undefined ? { secretEvidence: drill.secretEvidence } : {}),
    notes: [...notes],
  };
}

export function summarize(exported: StackExport): DrillReport {
  const drills = exported.drills.map(summarizeDrill);
  const count = (status: DrillSummary["status"]) => drills.filter((d) => d.status === status).length;
  return {
    schema: "azure-restores/drill-report/v1",
    source: exported.source,
    ...(exported.stack !== undefined ? { stack: exported.stack } : {}),
    ...(exported.project !== undefined ? { project: exported.project } : {}),
    ...(exported.exportedAt !== undefined ? { exportedAt: exported.exportedAt } : {}),
    totals: { drills: drills.length, passed: count("passed"), failed: count("failed"), noRuns: count("no runs"), secret: count("secret") },
    drills,
    restores: exported.restores,
  };
}
