/**
 * The report as one self-contained HTML page: inline CSS, an inline SVG chart per drill (chart.ts), no
 * script, nothing fetched (a Content-Security-Policy of `default-src 'none'` says so to the browser as
 * well). Every piece of data is escaped. Pure.
 */
import { renderChart } from "./chart";
import { formatSeconds } from "./duration";
import type { DrillReport, DrillSummary, Objectives } from "./summary";
import { findingsTable, historyTable, instancesTable, lastRunTable, overviewTable, restoresTable, STATUS, type Cell, type Table } from "./tables";
import { escapeHtml as h, formatRate, formatTime } from "./text";

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2.5rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:13px}th,td{border:1px solid #d0d7de;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}code,.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.passed{color:#1a7f37}.failed{color:#cf222e}.muted{color:#59636e}.note{background:#fff8c5;border:1px solid #d4a72c;padding:.4rem .6rem}
.chart{max-width:100%;height:auto;margin:.5rem 0}.chart text{font-size:11px;fill:#1f2328}.chart .panel-title{font-size:12px;font-weight:600}
.chart .grid{stroke:#eaeef2}.chart .axis{stroke:#8c959f}.chart .objective{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:6 4}
.chart .objective-label{fill:#cf222e}.chart .series{fill:none;stroke-width:1.5;opacity:.6}.chart .point{stroke:#fff;stroke-width:1}
.chart .point.missed{stroke:#cf222e;stroke-width:2.5}.chart .missing{fill:none;stroke-width:2}
`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const cls = (c: Cell) => [c.tone, c.num ? "num" : ""].filter(Boolean).join(" ");

function cell(c: Cell): string {
  const text = c.id ? `<span class="id">${h(c.text)}</span>` : h(c.text);
  const body = c.title !== undefined && c.title !== c.text ? `<span title="${h(c.title)}">${text}</span>` : text;
  return `<td${cls(c) ? ` class="${cls(c)}"` : ""}>${body}</td>`;
}

function table(t: Table | undefined, name: string): string {
  if (!t) return "";
  return `<table class="${name}"><thead><tr>${t.head.map((x) => `<th>${h(x)}</th>`).join("")}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map(cell).join("")}</tr>`).join("")}</tbody></table>`;
}

function objectivesText(o: Objectives | undefined): string {
  const parts = [
    o?.rto !== undefined ? `RTO ${h(o.rto)}${o.rtoSeconds !== undefined ? ` (${formatSeconds(o.rtoSeconds)})` : ""}` : "",
    o?.rpo !== undefined ? `RPO ${h(o.rpo)}${o.rpoSeconds !== undefined ? ` (${formatSeconds(o.rpoSeconds)})` : ""}` : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "none";
}

function drillSection(d: DrillSummary, index: number): string {
  const status = STATUS[d.status];
  const out = [`<section class="drill" data-drill="${h(d.name)}"><h2>${h(d.name)} <span class="${status.tone}">${h(status.text)}</span></h2>`];
  if (d.lastRun) {
    out.push(`<p>Last run <strong class="${d.lastRun.passed ? "passed" : "failed"}">${d.lastRun.passed ? "passed" : "failed"}</strong>: window ${d.lastRun.window}, ${h(formatTime(d.lastRun.startedAt))} to ${h(formatTime(d.lastRun.endedAt))} (seed <code>${h(d.lastRun.seed)}</code>). Objectives: ${objectivesText(d.objectives)}. Runs passed: ${formatRate(d.runRate)}; restores passed: ${formatRate(d.restoreRate)}.</p>`);
  } else if (d.status === "no runs") out.push(`<p class="muted">No run is recorded yet.</p>`);
  if (d.secretEvidence !== undefined) out.push(`<p class="note">The evidence is secret in this export (<code>outputs.${h(d.secretEvidence)}</code> is encrypted): export with <code>pulumi stack export --show-secrets</code> to report it.</p>`);
  else if (d.secretFields.length > 0) out.push(`<p class="note">Secret in this export, shown as <code>[secret]</code>: ${d.secretFields.map((f) => `<code>${h(f)}</code>`).join(", ")}.</p>`);
  for (const note of d.notes) out.push(`<p class="note">${h(note)}.</p>`);
  out.push(table(lastRunTable(d), "last-run"), renderChart(d, index));
  if (d.findings.length > 0) out.push(`<h3>What failed, newest first</h3>`, table(findingsTable(d.findings), "findings"));
  if (d.runs.length > 0) out.push(`<h3>History, newest first</h3>`, table(historyTable(d), "history"));
  if (d.instances.length > 0) out.push(`<h3>Backup instances</h3>`, table(instancesTable(d), "instances"));
  out.push("</section>");
  return out.join("\n");
}

function restoresSection(report: DrillReport): string {
  const t = restoresTable(report);
  return t ? `<section class="restores"><h2>Restores</h2>${table(t, "restores")}</section>` : "";
}

export function renderHtml(report: DrillReport): string {
  const title = `Restore drills${report.stack !== undefined ? `: stack ${report.stack}` : ""}`;
  const t = report.totals;
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    `<title>${h(title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${h(title)}${report.project !== undefined ? ` <span class="muted">(${h(report.project)})</span>` : ""}</h1>`,
    `<p>From <code>${h(report.source === "-" ? "stdin" : report.source)}</code>${report.exportedAt ? `, deployment of ${h(formatTime(report.exportedAt))}` : ""}. ${t.drills} drill${t.drills === 1 ? "" : "s"}: ${t.passed} passed, ${t.failed} failed${t.noRuns ? `, ${t.noRuns} without runs` : ""}${t.secret ? `, ${t.secret} secret` : ""}.</p>`,
    table(overviewTable(report), "overview"),
    ...report.drills.map(drillSection),
    restoresSection(report),
    "</body></html>",
    "",
  ].join("\n");
}
