import type { ErrorObject } from "ajv";
import { DEFAULT_API_VERSION, type ApiVersion } from "../api/versions";
import { ajvPath } from "../errors/ajv-path";
import { fieldError, fieldPathText, positioned, type FieldPath, type FieldProblem } from "../errors/field";
import type { Problem } from "../errors/problem";
import { DRILL_KIND, drillRules, type DrillSpec } from "../drills/spec";
import { KINDS, kindNamed, type RestoreSpec } from "../kinds";
import { commonRules, isObj } from "../language/common-rules";
import type { ParsedSpecFile } from "../language/yaml";
import { checkValidators } from "./validators";

export interface SpecCheckOptions {
  /** api-version whose definitions a RawRestore request is checked against. */
  apiVersion?: ApiVersion;
  now?: Date;
}

type Schema = Record<string, unknown>;

function valueAt(root: unknown, path: FieldPath): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function typeOf(value: unknown): string {
  return Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
}

function closest(word: string, candidates: string[]): string | undefined {
  const lower = word.toLowerCase();
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** ajv errors that the rules word better, or that only repeat a more precise error. */
function isCombinatorNoise(error: ErrorObject): boolean {
  return error.keyword === "if" || error.keyword === "oneOf" || error.keyword === "anyOf";
}

/**
 * For a `oneOf` between a string form and a mapping form (backupInstance, recoveryPoint), keep only
 * the errors of the branch whose type matches the value, so a bad ARM ID is not also told it lacks
 * `resourceGroup`.
 */
function dropOtherBranches(errors: ErrorObject[], root: unknown): ErrorObject[] {
  const dropPrefixes: string[] = [];
  const extra: ErrorObject[] = [];
  for (const error of errors) {
    if (error.keyword !== "oneOf" || !Array.isArray(error.schema)) continue;
    const branches = error.schema as Schema[];
    const value = valueAt(root, ajvPath(error.instancePath));
    const matching = branches.findIndex((b) => b.type === typeOf(value));
    const typed = branches.every((b) => typeof b.type === "string");
    if (!typed) {
      // A oneOf of `required` alternatives (PostgreSQL target): the rules say which one is missing.
      branches.forEach((_, i) => dropPrefixes.push(`${error.schemaPath}/${i}/`));
      continue;
    }
    branches.forEach((_, i) => {
      if (i !== matching) dropPrefixes.push(`${error.schemaPath}/${i}/`);
    });
    if (matching < 0) {
      extra.push({ ...error, keyword: "x-form", params: { forms: branches.map((b) => b.type) } });
    }
  }
  return [...errors.filter((e) => !dropPrefixes.some((p) => e.schemaPath.startsWith(p))), ...extra];
}

function schemaProblems(value: unknown): FieldProblem[] {
  const validate = checkValidators().spec;
  if (validate(value)) return [];
  const kind = typeof value === "object" && value !== null ? (value as Record<string, unknown>).kind : undefined;
  const out: FieldProblem[] = [];
  for (const error of dropOtherBranches(validate.errors ?? [], value)) {
    if (isCombinatorNoise(error)) continue;
    const path = ajvPath(error.instancePath);
    const parent = (error.parentSchema ?? {}) as Schema;
    const params = error.params as Record<string, unknown>;
    const fix = parent["x-fix"] as string | undefined;
    const problemAt = (p: FieldPath, code: string, message: string, remedy: string, at?: "key" | "value"): FieldProblem => ({
      path: p,
      code,
      severity: "error",
      message,
      remedy,
      ...(at ? { at } : {}),
    });
    switch (error.keyword) {
      case "additionalProperties": {
        const field = String(params.additionalProperty);
        const allowed = Object.keys((parent.properties as Schema | undefined) ?? {});
        const misplaced = path.length === 1 && path[0] === "spec" ? kindNamed(kind)?.misplacedFields?.[field] : undefined;
        const near = closest(field, allowed);
        out.push(
          problemAt(
            [...path, field],
            "SpecUnknownField",
            misplaced ? `${field} is not a field of ${String(kind)}: ${misplaced}` : `unknown field '${field}'`,
            misplaced ? `remove ${field}` : near ? `did you mean '${near}'?` : `remove it; fields here: ${allowed.join(", ")}`,
            "key",
          ),
        );
        break;
      }
      case "required": {
        const field = String(params.missingProperty);
        const props = (parent.properties as Record<string, Schema> | undefined) ?? {};
        const description = props[field]?.description as string | undefined;
        out.push(problemAt(path, "SpecMissingField", `missing required field '${field}'`, `add ${field}${description ? `: ${description}` : ""}`, "key"));
        break;
      }
      case "pattern":
        out.push(problemAt(path, "SpecInvalidValue", `'${String(valueAt(value, path))}' ${String(parent["x-message"] ?? "has the wrong form")}`, fix ?? "correct the value"));
        break;
      case "enum": {
        const allowed = (params.allowedValues as unknown[]).map(String);
        const given = valueAt(value, path);
        const near = typeof given === "string" ? closest(given, allowed) : undefined;
        out.push(
          problemAt(path, "SpecInvalidValue", `'${String(given)}' is not one of ${allowed.join(", ")}`, near ? `did you mean '${near}'? (values are case-sensitive)` : fix ?? `use one of ${allowed.join(", ")}`),
        );
        break;
      }
      case "const":
        out.push(problemAt(path, "SpecInvalidValue", `must be '${String(params.allowedValue)}'`, fix ?? `write ${String(params.allowedValue)}`));
        break;
      case "type": {
        const expected = String(params.type);
        const given = valueAt(value, path);
        const scalar = given !== null && typeof given !== "object";
        out.push(
          problemAt(
            path,
            "SpecWrongType",
            `must be ${expected === "object" ? "a mapping" : expected === "array" ? "a list" : `a ${expected}`}, not ${typeOf(given)}`,
            expected === "string" && scalar ? `quote it: "${String(given)}"` : fix ?? `write a ${expected} here`,
          ),
        );
        break;
      }
      case "x-form": {
        const given = valueAt(value, path);
        out.push(problemAt(path, "SpecWrongType", `must be a string or a mapping, not ${typeOf(given)}`, (parent.description as string | undefined) ?? "see the schema"));
        break;
      }
      case "minItems":
        out.push(problemAt(path, "SpecEmptyList", "the list is empty", "list at least one entry, or remove the field", "key"));
        break;
      default:
        out.push(problemAt(path, "SpecInvalidValue", error.message ?? error.keyword, fix ?? "see the schema"));
    }
  }
  return out;
}

/** The common rules and the rules of the spec's kind; any parsed value (shape errors are the schema's). */
function ruleProblems(value: unknown, context: { now: Date; apiVersion: ApiVersion }): FieldProblem[] {
  if (!isObj(value) || !isObj(value.spec)) return [];
  if (value.kind === DRILL_KIND) return drillRules(value.spec, context);
  const kind = kindNamed(value.kind);
  if (!kind) return [];
  const crossRegion =
    value.spec.fromSecondaryRegion === true && !kind.crossRegionRestore
      ? [fieldError(["spec", "fromSecondaryRegion"], "SpecCrossRegionNotSupported", `${kind.title} cannot be restored from the secondary region: Azure Backup's cross-region restore covers ${KINDS.filter((k) => k.crossRegionRestore).map((k) => k.title).join(", ")} (Az.DataProtection manifests, supportCrossRegionRestore)`, "remove spec.fromSecondaryRegion, and restore in the vault's region", "key")]
      : [];
  return [...kind.rules(value.spec, context), ...commonRules(value.spec, context), ...crossRegion];
}

/**
 * Every problem of one spec value: shape (JSON Schema) and relationships (the rules of its kind, which
 * for RawRestore include the request against the official definitions). Pure.
 */
export function checkSpecValue(value: unknown, options: SpecCheckOptions = {}): FieldProblem[] {
  const problems = [...schemaProblems(value), ...ruleProblems(value, { now: options.now ?? new Date(), apiVersion: options.apiVersion ?? DEFAULT_API_VERSION })];
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${fieldPathText(p.path)}|${p.code}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Problems of one parsed file, positioned; the spec itself when it has no errors. */
export function checkParsedSpec(parsed: ParsedSpecFile, options: SpecCheckOptions = {}): { spec?: RestoreSpec; drill?: DrillSpec; problems: Problem[] } {
  const problems = checkSpecValue(parsed.value, options).map((p) => positioned(parsed, p));
  if (problems.some((p) => p.severity === "error")) return { problems };
  const isDrill = (parsed.value as { kind?: unknown }).kind === DRILL_KIND;
  return { ...(isDrill ? { drill: parsed.value as DrillSpec } : { spec: parsed.value as RestoreSpec }), problems };
}
