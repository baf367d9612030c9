/**
 * The report's tables as plain cells, the same for Markdown and HTML: each renderer escapes and lays
 * them out its way (markdown.ts, html.ts). Pure.
 */
import { formatSeconds } from "./duration";
import type { DrillReport, DrillSummary, Finding, Objectives, RestoreOutcome, RunSummary } from "./summary";
import { formatRate, formatTime, shortInstance } from "./text";

export interface Cell {
  text: string;
  /** Colours the HTML cell; Markdown has the ✅/❌ in the text. */
  tone?: "passed" | "failed" | "muted";
  /** The whole value where `text` shortens it (HTML shows it on hover). */
  title?: string;
  /** An identifier: monospace in HTML. */
  id?: boolean;
  num?: boolean;
}

export interface Table {
  head: string[];
  rows: Cell[][];
}

const NONE: Cell = { text: "—", tone: "muted" };
const mark = (met: boolean | undefined) => (met === true ? " ✅" : met === false ? " ❌" : "");

export const STATUS: Record<DrillSummary["status"], Cell> = {
  passed: { text: "✅ passed", tone: "passed" },
  failed: { text: "❌ failed", tone: "failed" },
  "no runs": { text: "⏳ no runs yet", tone: "muted" },
  secret: { text: "🔒 secret", tone: "muted" },
};

const verdict = (passed: boolean): Cell => (passed ? STATUS.passed : STATUS.failed);

export function objectivesText(o: Objectives | undefined): string {
  const parts = [o?.rto !== undefined ? `RTO ${o.rto}` : "", o?.rpo !== undefined ? `RPO ${o.rpo}` : ""].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "none";
}

/** `30m 14s ✅ (≤ 1h)`: a measure, whether it met its objective, and the objective. */
export function measure(seconds: number | undefined, met: boolean | undefined, objective?: number): Cell {
  if (seconds === undefined) return NONE;
  return { text: `${formatSeconds(seconds)}${mark(met)}${objective !== undefined ? ` (≤ ${formatSeconds(objective)})` : ""}`, title: `${seconds} s`, num: true, ...(met === false ? { tone: "failed" as const } : {}) };
}

const seconds = (s: number | undefined): Cell => (s === undefined ? NONE : { text: formatSeconds(s), title: `${s} s`, num: true });
const instance = (id: string): Cell => ({ text: shortInstance(id), title: id, id: true });

function recoveryPoint(o: RestoreOutcome): Cell {
  if (o.recoveryPointTime === undefined && o.recoveryPointId === undefined) return NONE;
  const parts = [o.recoveryPointTime !== undefined ? formatTime(o.recoveryPointTime) : "", o.recoveryPointId ?? ""].filter(Boolean);
  return { text: parts.join(" · "), ...(o.recoveryPointTime !== undefined ? { title: o.recoveryPointTime } : {}) };
}

function checks(o: RestoreOutcome): Cell {
  if (o.checks.length === 0) return o.error ? { text: `❌ ${o.error.code}`, tone: "failed", title: o.error.message } : NONE;
  return { text: o.checks.map((c) => `${c.passed ? "✅" : "❌"} ${c.check}`).join(", "), title: o.checks.map((c) => `${c.check}: ${c.detail}`).join("\n"), ...(o.checks.some((c) => !c.passed) ? { tone: "failed" as const } : {}) };
}

/** The newest run, one row per backup instance: recovery point, RPO, RTO by step, checks, verdict. */
export function lastRunTable(d: DrillSummary): Table | undefined {
  const run = d.runs[0];
  if (!run) return undefined;
  const o = run.objectives;
  return {
    head: ["backup instance", "recovery point", "RPO", "validate", "job", "verify", "RTO", "checks", "result"],
    rows: run.restores.map((r) => [instance(r.backupInstanceId), recoveryPoint(r), measure(r.rpoSeconds, r.rpoMet, o?.rpoSeconds), seconds(r.rto?.validateSeconds), seconds(r.rto?.jobSeconds), seconds(r.rto?.verifySeconds), measure(r.rtoSeconds, r.rtoMet, o?.rtoSeconds), checks(r), verdict(r.passed)]),
  };
}

const most = (values: (number | undefined)[]) => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
};
const allMet = (flags: (boolean | undefined)[]) => (flags.includes(false) ? false : flags.includes(true) ? true : undefined);

/** Every kept run, newest first. */
export function historyTable(d: DrillSummary): Table {
  const row = (r: RunSummary): Cell[] => [
    { text: `${r.window}`, num: true },
    { text: formatTime(r.startedAt), title: r.startedAt },
    verdict(r.passed),
    { text: `${r.restores.filter((x) => x.passed).length}/${r.restores.length}`, num: true },
    measure(most(r.restores.map((x) => x.rtoSeconds)), allMet(r.restores.map((x) => x.rtoMet))),
    measure(most(r.restores.map((x) => x.rpoSeconds)), allMet(r.restores.map((x) => x.rpoMet))),
    { text: objectivesText(r.objectives) },
  ];
  return { head: ["window", "started", "result", "restores passed", "longest RTO", "oldest RPO", "objectives"], rows: d.runs.map(row) };
}

/** Each backup instance as the newest run that sampled it left it. */
export function instancesTable(d: DrillSummary): Table {
  return {
    head: ["backup instance", "kind", "last window", "RTO", "RPO", "result", "runs passed", "restored to"],
    rows: d.instances.map((i) => [instance(i.backupInstanceId), { text: i.kind }, { text: `${i.window}`, num: true }, measure(i.rtoSeconds, i.rtoMet), measure(i.rpoSeconds, i.rpoMet), verdict(i.passed), { text: `${i.passedRuns}/${i.runs}`, num: true }, i.target !== undefined ? { text: i.target, id: true } : NONE]),
  };
}

function findingWhat(f: Finding): string {
  if (f.what === "check") return `check ${f.check ?? ""}`;
  if (f.what === "error") return `error ${f.code ?? ""}`;
  return f.what === "failed" ? "failed" : `${f.what.toUpperCase()} objective`;
}

export function findingsTable(findings: readonly Finding[]): Table {
  return {
    head: ["window", "started", "backup instance", "what", "detail"],
    rows: findings.map((f) => [{ text: `${f.window}`, num: true }, { text: formatTime(f.startedAt) }, instance(f.backupInstanceId), { text: findingWhat(f) }, { text: f.detail }]),
  };
}

export function overviewTable(report: DrillReport): Table {
  return {
    head: ["drill", "last run", "result", "runs passed", "restores passed", "instances", "objectives"],
    rows: report.drills.map((d) => [
      { text: d.name },
      d.lastRun ? { text: `window ${d.lastRun.window}, ${formatTime(d.lastRun.startedAt)}` } : NONE,
      STATUS[d.status],
      { text: formatRate(d.runRate), num: true },
      { text: formatRate(d.restoreRate), num: true },
      { text: `${d.instances.length}`, num: true },
      { text: objectivesText(d.objectives) },
    ]),
  };
}

export function restoresTable(report: DrillReport): Table | undefined {
  if (report.restores.length === 0) return undefined;
  const text = (t: string | undefined, id = false): Cell => (t === undefined ? NONE : { text: t, id });
  return {
    head: ["restore", "kind", "status", "job", "started", "ended", "duration"],
    rows: report.restores.map((r) => [text(r.name), text(r.kind), text(r.status), text(r.jobId, true), text(r.startTime && formatTime(r.startTime)), text(r.endTime && formatTime(r.endTime)), text(r.duration)]),
  };
}
