/**
 * One shape for every error and warning the tool reports: spec checks, plan checks, the service's errors
 * and the provider's. The CLI, `pulumi preview` and the logs all print it with `formatProblem`.
 */
export type Severity = "error" | "warning";

export interface Problem {
  /** Stable machine-readable code, e.g. `SpecSchemaViolation` or the service's `UserErrorRestoreToLowerVersion`. */
  code: string;
  severity: Severity;
  message: string;
  /** How to fix it, in one sentence. */
  remedy?: string;
  /** Dotted path of the spec field at fault, e.g. `spec.items.ranges[1].to`. */
  field?: string;
  file?: string;
  /** 1-based position in `file`. */
  line?: number;
  column?: number;
}

export function problem(code: string, message: string, extra: Partial<Problem> = {}): Problem {
  return { code, severity: "error", message, ...extra };
}

/** `file:line:col  field  message  (fix: remedy)`, with the parts that are known. */
export function formatProblem(p: Problem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}:${p.column ?? 1}` : ""}` : "";
  const parts = [where, p.field ?? "", `${p.severity === "warning" ? "warning: " : ""}${p.message}${p.remedy ? `  (fix: ${p.remedy})` : ""}`];
  return parts.filter((x) => x !== "").join("  ");
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}

/** Raised where a caller needs an exception (Pulumi, CLI exit paths); carries the problems as values. */
export class ProblemError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ProblemError";
    this.problems = problems;
  }
}
