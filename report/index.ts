/**
 * `azure-restores report`: a `pulumi stack export` read (stack-export.ts), summarized once
 * (summary.ts) and rendered as Markdown, HTML and JSON. Pure: the CLI reads and writes the files.
 */
import type { ProblemResult } from "../errors/result";
import { ok } from "../errors/result";
import { renderHtml } from "./html";
import { renderMarkdown } from "./markdown";
import { parseStackExport } from "./stack-export";
import { summarize, type DrillReport } from "./summary";

export type { DrillReport, DrillSummary, RestoreOutcome, RunSummary } from "./summary";
export { parseStackExport, DRILL_TYPE, RESTORE_TYPE, type StackExport } from "./stack-export";
export { renderHtml } from "./html";
export { renderMarkdown } from "./markdown";
export { summarize } from "./summary";

export const REPORT_FORMATS = ["md", "html", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The file each format is written to. */
export const REPORT_FILES: Record<ReportFormat, string> = { md: "report.md", html: "report.html", json: "report.json" };

/** The summary as JSON: what the Markdown and HTML show, and all of it. */
export function renderJson(report: DrillReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export interface RenderedReport {
  report: DrillReport;
  files: Record<ReportFormat, string>;
}

/** The three renderings of the export's text; `source` names it in the report and in problems (`-` for stdin). */
export function buildReport(text: string, source: string): ProblemResult<RenderedReport> {
  const parsed = parseStackExport(text, source);
  if (!parsed.ok) return parsed;
  const report = summarize(parsed.value);
  return ok({ report, files: { md: renderMarkdown(report), html: renderHtml(report), json: renderJson(report) } });
}
