import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { checkBody } from "../api/schema";
import { DEFAULT_API_VERSION, type ApiVersion } from "../api/versions";
import type { Problem } from "../errors/problem";
import type { RestoreSpec } from "./model";
import { specRules, type FieldProblem } from "./rules";
import { RAW_REQUEST_SCHEMA_FILE, restoreSchema } from "./schema-source";
import { fieldPathText, type FieldPath, type ParsedSpecFile } from "./yaml";

export interface SpecCheckOptions {
  /** api-version whose definitions a RawRestore request is checked against. */
  apiVersion?: ApiVersion;
  now?: Date;
}

type Schema = Record<string, unknown>;
let compiled: ValidateFunction | undefined;

function specValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    // RawRestore requests are checked against the definitions of the run's api-version below, not here.
    ajv.addSchema({ type: "object" }, RAW_REQUEST_SCHEMA_FILE);
    compiled = ajv.compile(restoreSchema());
  }
  return compiled;
}

function pathOf(instancePath: string): Array<string | number> {
  if (instancePath === "") return [];
  return instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

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

/** Fields that belong to another kind or tier: say where they belong instead of "unknown field". */
const MISPLACED: Record<string, Record<string, string>> = {
  PostgreSQLRestore: {
    pointInTime: "PostgreSQL restores from a recovery point, not a point in time: use recoveryPoint",
    items: "item-level restore is for blobs; a PostgreSQL restore takes the whole database",
  },
  BlobRestore: {
    sourceDataStore: "a blob restore picks its tier from pointInTime (operational) or recoveryPoint (vaulted): remove sourceDataStore",
    rehydration: "rehydration is for PostgreSQL restores from ArchiveStore",
  },
};

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
    const value = valueAt(root, pathOf(error.instancePath));
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
  const validate = specValidator();
  if (validate(value)) return [];
  const kind = typeof value === "object" && value !== null ? (value as Record<string, unknown>).kind : undefined;
  const out: FieldProblem[] = [];
  for (const error of dropOtherBranches(validate.errors ?? [], value)) {
    if (isCombinatorNoise(error)) continue;
    const path = pathOf(error.instancePath);
    if (path[0] === "spec" && path[1] === "request" && kind === "RawRestore") continue;
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
        const misplaced = path.length === 1 && path[0] === "spec" && typeof kind === "string" ? MISPLACED[kind]?.[field] : undefined;
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

function rawRequestProblems(value: unknown, apiVersion: ApiVersion): FieldProblem[] {
  const request = valueAt(value, ["spec", "request"]);
  if ((value as { kind?: unknown })?.kind !== "RawRestore" || typeof request !== "object" || request === null) return [];
  return checkBody(apiVersion, "AzureBackupRestoreRequest", request, { strict: true }).map((p) => ({
    path: ["spec", "request", ...p.segments],
    code: "SpecRequestInvalid",
    severity: "error" as const,
    message: `${p.message}`,
    remedy: `follow the ${p.definition ?? "AzureBackupRestoreRequest"} definition of api-version ${apiVersion}`,
  }));
}

/**
 * Every problem of one spec value: shape (JSON Schema), relationships (rules) and, for RawRestore, the
 * request against the official definitions. Pure.
 */
export function checkSpecValue(value: unknown, options: SpecCheckOptions = {}): FieldProblem[] {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const problems = [...schemaProblems(value), ...specRules(value, { now: options.now ?? new Date() }), ...rawRequestProblems(value, apiVersion)];
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${fieldPathText(p.path)}|${p.code}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function toProblem(parsed: Pick<ParsedSpecFile, "file" | "locate">, p: FieldProblem): Problem {
  const pos = parsed.locate(p.path, p.at);
  return {
    code: p.code,
    severity: p.severity,
    message: p.message,
    remedy: p.remedy,
    field: fieldPathText(p.path) || "(file)",
    file: parsed.file,
    line: pos.line,
    column: pos.column,
  };
}

/** Problems of one parsed file, positioned; the spec itself when it has no errors. */
export function checkParsedSpec(parsed: ParsedSpecFile, options: SpecCheckOptions = {}): { spec?: RestoreSpec; problems: Problem[] } {
  const problems = checkSpecValue(parsed.value, options).map((p) => toProblem(parsed, p));
  const failed = problems.some((p) => p.severity === "error");
  return { ...(failed ? {} : { spec: parsed.value as RestoreSpec }), problems };
}
