/**
 * The report as GitHub-flavoured Markdown: for `$GITHUB_STEP_SUMMARY`, an issue or a pull request.
 * Tables only, no HTML of its own; every piece of data escaped (text.ts). Pure.
 */
import type { DrillReport, DrillSummary } from "./summary";
import { findingsTable, historyTable, instancesTable, lastRunTable, objectivesText, overviewTable, restoresTable, STATUS, type Table } from "./tables";
import { escapeMarkdown as md, formatRate, formatTime } from "./text";

/** Findings listed per drill; the rest are counted (the HTML and JSON hold them all). */
export const MARKDOWN_FINDINGS = 20;

const row = (cells: string[]) => `| ${cells.join(" | ")} |`;

function table(t: Table): string {
  return [row(t.head), row(t.head.map(() => "---")), ...t.rows.map((cells) => row(cells.map((c) => md(c.text))))].join("\n");
}

function secretLines(d: DrillSummary): string[] {
  if (d.secretEvidence !== undefined) return [`🔒 The evidence is secret in this export (outputs.${md(d.secretEvidence)} is encrypted): export with \`pulumi stack export --show-secrets\` to report it.`];
  if (d.secretFields.length === 0) return [];
  const some = d.secretFields.slice(0, 5).map((f) => md(f)).join(", ");
  return [`🔒 ${d.secretFields.length} field${d.secretFields.length === 1 ? " is" : "s are"} secret in this export and read \`[secret]\`: ${some}${d.secretFields.length > 5 ? ", …" : ""}.`];
}

function drillSection(d: DrillSummary): string {
  const out = [`### ${STATUS[d.status].text.split(" ")[0]} ${md(d.name)}`, ""];
  const last = lastRunTable(d);
  if (d.lastRun && last) {
    const verdict = d.lastRun.passed ? "passed" : "failed";
    out.push(`Last run **${verdict}**: window ${d.lastRun.window}, ${formatTime(d.lastRun.startedAt)} to ${formatTime(d.lastRun.endedAt)} (seed ${md(d.lastRun.seed)}). Objectives: ${md(objectivesText(d.objectives))}. Runs passed: ${formatRate(d.runRate)}; restores passed: ${formatRate(d.restoreRate)}.`, "");
    out.push(table(last), "");
  } else if (d.status === "no runs") out.push("No run is recorded yet.", "");
  for (const line of [...secretLines(d), ...d.notes.map((n) => `⚠️ ${md(n)}.`)]) out.push(line, "");
  if (d.findings.length > 0) {
    const shown = d.findings.slice(0, MARKDOWN_FINDINGS);
    out.push(`**What failed** (${d.findings.length} in the kept runs, newest first)`, "", table(findingsTable(shown)), "");
    if (d.findings.length > shown.length) out.push(`…and ${d.findings.length - shown.length} more: see the HTML or JSON report.`, "");
  }
  if (d.runs.length > 0) out.push(`**History** (${d.runs.length} run${d.runs.length === 1 ? "" : "s"} kept, newest first)`, "", table(historyTable(d)), "");
  if (d.instances.length > 0) out.push("**Backup instances** (as the newest run that sampled each left it)", "", table(instancesTable(d)), "");
  return out.join("\n");
}

export function renderMarkdown(report: DrillReport): string {
  const where = report.stack !== undefined ? `: stack ${md(report.stack)}${report.project !== undefined ? ` of ${md(report.project)}` : ""}` : "";
  const t = report.totals;
  const counts = [`${t.passed} passed`, `${t.failed} failed`, t.noRuns ? `${t.noRuns} without runs` : "", t.secret ? `${t.secret} secret` : ""].filter(Boolean).join(", ");
  const restores = restoresTable(report);
  return [
    `## Restore drills${where}`,
    "",
    `From ${md(report.source === "-" ? "stdin" : report.source)}${report.exportedAt ? `, deployment of ${formatTime(report.exportedAt)}` : ""}. ${t.drills} drill${t.drills === 1 ? "" : "s"}: ${counts}.`,
    "",
    table(overviewTable(report)),
    "",
    ...report.drills.map(drillSection),
    ...(restores ? ["### Restores", "", table(restores), ""] : []),
  ]
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\n*$/, "\n");
}
