import * as fs from "fs";
import * as path from "path";
import { problem } from "../errors/problem";
import { buildReport, REPORT_FILES, REPORT_FORMATS, type ReportFormat } from "../report";
import { reportProblems, type CliIO } from "./io";

export interface ReportOptions {
  /** The export's file; `-` or undefined reads stdin. */
  file?: string;
  /** Directory the files are written to (default `drill-report`). */
  out?: string;
  /** `md`, `html`, `json` or `all` (default). */
  format?: string;
}

export const DEFAULT_REPORT_DIR = "drill-report";

const EXPORT_HINT = "pulumi stack export --file stack.json && azure-restores report stack.json (or pipe it: pulumi stack export | azure-restores report)";

/**
 * `azure-restores report [file|-]`: the drills' evidence of a `pulumi stack export` as report.md,
 * report.html and report.json in `--out`; the Markdown also appended to `$GITHUB_STEP_SUMMARY` when set.
 * Exit 0 once written (whether the drills passed is what the report says), 1 on bad input, 2 on usage.
 */
export async function reportCommand(options: ReportOptions, io: CliIO): Promise<number> {
  const format = options.format ?? "all";
  if (format !== "all" && !(REPORT_FORMATS as readonly string[]).includes(format)) {
    io.stderr(`--format ${format} is not one of md, html, json, all\n`);
    return 2;
  }
  const formats: ReportFormat[] = format === "all" ? [...REPORT_FORMATS] : [format as ReportFormat];
  const fromStdin = options.file === undefined || options.file === "-";
  const source = fromStdin ? "-" : options.file!;

  let text: string | undefined;
  try {
    text = fromStdin ? await io.stdin?.() : fs.readFileSync(source, "utf8");
  } catch (error) {
    reportProblems([problem("ReportInputUnreadable", `cannot read the stack export: ${(error as Error).message}`, { file: source, remedy: EXPORT_HINT })], io);
    return 1;
  }
  if (text === undefined) {
    io.stderr(`report reads a stack export from a file or from stdin, and nothing was piped in: ${EXPORT_HINT}\n`);
    return 2;
  }

  const built = buildReport(text, source);
  if (!built.ok) {
    reportProblems(built.problems, io);
    return 1;
  }
  const dir = options.out ?? DEFAULT_REPORT_DIR;
  const written: string[] = [];
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of formats) {
      const file = path.join(dir, REPORT_FILES[f]);
      fs.writeFileSync(file, built.value.files[f]);
      written.push(file);
    }
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (summary) {
      fs.appendFileSync(summary, `${built.value.files.md}\n`);
      written.push(`${summary} ($GITHUB_STEP_SUMMARY, appended)`);
    }
  } catch (error) {
    reportProblems([problem("ReportNotWritten", `cannot write the report: ${(error as Error).message}`, { file: dir, remedy: "pass --out a directory you can write to" })], io);
    return 1;
  }
  const t = built.value.report.totals;
  const counts = [`${t.passed} passed`, `${t.failed} failed`, t.noRuns ? `${t.noRuns} without runs` : "", t.secret ? `${t.secret} secret` : ""].filter(Boolean).join(", ");
  io.stdout(`${t.drills} drill${t.drills === 1 ? "" : "s"}: ${counts}\n${written.map((w) => `wrote ${w}\n`).join("")}`);
  return 0;
}
