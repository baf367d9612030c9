import { formatProblem, type Problem } from "../errors/problem";

/** Where a command writes and what it reads of its environment; tests pass their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** All of standard input, or undefined when it is a terminal (nothing piped in). */
  stdin?(): Promise<string | undefined>;
}

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  stdin: readStdin,
};

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** A GitHub Actions workflow command, so the problem shows on the pull request's diff. */
export function githubAnnotation(p: Problem): string {
  const props = [
    p.file ? `file=${escapeProperty(p.file)}` : "",
    p.line ? `line=${p.line}` : "",
    p.column ? `col=${p.column}` : "",
    `title=${escapeProperty(`${p.code}${p.field ? ` ${p.field}` : ""}`)}`,
  ].filter(Boolean);
  const message = `${p.field ? `${p.field}: ` : ""}${p.message}${p.remedy ? ` (fix: ${p.remedy})` : ""}`;
  return `::${p.severity === "warning" ? "warning" : "error"} ${props.join(",")}::${escapeData(message)}`;
}

/** Writes problems as `file:line:col  field  message  (fix: …)`, plus annotations under GitHub Actions. */
export function reportProblems(problems: readonly Problem[], io: CliIO): void {
  for (const p of problems) io.stderr(`${formatProblem(p)}\n`);
  if (io.env.GITHUB_ACTIONS === "true") for (const p of problems) io.stdout(`${githubAnnotation(p)}\n`);
}
