import type { ApiVersion } from "../api/versions";
import { fieldError, type FieldPath, type FieldProblem } from "../errors/field";
import { durationDays, parseUtcTime } from "./time";

/** Rules every kind applies to the fields it shares; pure, and each looks only at values of the type it expects. */
export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export interface RuleContext {
  /** "Now", for rules about the future; injected so the rules stay pure. */
  now: Date;
  /** The api-version the restore will be sent with. */
  apiVersion: ApiVersion;
}

/** A time the spec names: a real date, and not in the future. */
export function pastTime(path: FieldPath, raw: unknown, context: RuleContext): FieldProblem[] {
  if (typeof raw !== "string") return [];
  const time = parseUtcTime(raw);
  if (!time) return []; // the schema reports the format
  if (Number.isNaN(time.getTime())) return [fieldError(path, "SpecInvalidTime", `'${raw}' is not a real date`, "check the day and month")];
  if (time.getTime() > context.now.getTime()) return [fieldError(path, "SpecTimeInFuture", `${raw} is in the future`, "restore to a time that has passed")];
  return [];
}

/** The rules of the common fields and of `recoveryPoint: { latestBefore }`. */
export function commonRules(spec: Obj, context: RuleContext): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (isObj(spec.recoveryPoint)) out.push(...pastTime(["spec", "recoveryPoint", "latestBefore"], spec.recoveryPoint.latestBefore, context));
  if (isObj(spec.wait) && typeof spec.wait.timeout === "string") {
    const days = durationDays(spec.wait.timeout);
    if (days !== undefined && days <= 0) out.push(fieldError(["spec", "wait", "timeout"], "SpecInvalidTimeout", "the timeout is zero", "give the job time to finish, e.g. PT2H"));
  }
  return out;
}

/** Entries listed twice: a warning on the second. */
export function duplicateEntries(path: FieldPath, values: string[], what: string): FieldProblem[] {
  const seen = new Map<string, number>();
  const out: FieldProblem[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) out.push({ ...fieldError([...path, index], "SpecDuplicateItem", `${what} '${value}' is listed twice (also at [${seen.get(value)}])`, `remove the second '${value}'`), severity: "warning" });
    else seen.set(value, index);
  });
  return out;
}
