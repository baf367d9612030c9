import type { FieldProblem } from "./field";
import type { Problem } from "./problem";

/** A value, or the problems that kept it from being made. Checked with `result.ok`, never with `in`. */
export type Result<T, P = FieldProblem> = { ok: true; value: T } | { ok: false; problems: P[] };

export type ProblemResult<T> = Result<T, Problem>;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function failed<P = FieldProblem>(...problems: P[]): { ok: false; problems: P[] } {
  return { ok: false, problems };
}
