import type { Result } from "../../errors/result";

/** The value of a result that must have succeeded; its problems otherwise, as the failure. */
export function value<T, P>(result: Result<T, P>): T {
  if (!result.ok) throw new Error(`expected a value, got problems: ${JSON.stringify(result.problems, null, 2)}`);
  return result.value;
}

/** The problems of a result (none when it succeeded). */
export function problemsOf<T, P>(result: Result<T, P>): P[] {
  return result.ok ? [] : result.problems;
}

export function codes<T>(result: Result<T, { code: string }>): string[] {
  return problemsOf(result).map((p) => p.code);
}
