import type { Problem, Severity } from "./problem";

/** A path into a spec value: property names and list indexes, e.g. `["spec", "items", "ranges", 1, "to"]`. */
export type FieldPath = ReadonlyArray<string | number>;

/**
 * A problem found in one spec, placed by field path. Pure checks (schema, rules, planners) produce these;
 * whoever knows the file turns them into positioned `Problem`s with `positioned`.
 */
export interface FieldProblem {
  path: FieldPath;
  code: string;
  severity: Severity;
  message: string;
  remedy: string;
  /** Point at the key rather than its value (unknown, missing or misplaced fields). */
  at?: "key" | "value";
}

/** An error at `path`. */
export function fieldError(path: FieldPath, code: string, message: string, remedy: string, at?: "key" | "value"): FieldProblem {
  return { path, code, severity: "error", message, remedy, ...(at ? { at } : {}) };
}

/** `spec.items.ranges[1].to` */
export function fieldPathText(path: FieldPath): string {
  let out = "";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  return out;
}

/** Where a spec came from: its file, and the way from a field path to a line and column. */
export interface SpecSource {
  file: string;
  locate?(path: FieldPath, at?: "key" | "value"): { line: number; column: number };
}

/** The one conversion from a field problem to a printed problem; positioned when the source can locate it. */
export function positioned(source: SpecSource, p: FieldProblem): Problem {
  const pos = source.locate?.(p.path, p.at);
  return {
    code: p.code,
    severity: p.severity,
    message: p.message,
    remedy: p.remedy,
    field: fieldPathText(p.path) || "(file)",
    file: source.file,
    ...(pos ? { line: pos.line, column: pos.column } : {}),
  };
}
