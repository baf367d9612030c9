import type { ErrorObject } from "ajv";
import type { ApiVersion } from "./versions";

/** ajv's errors on a body as problems that name the field, the definition and what it allows (see ./schema). */

type JsonSchema = Record<string, unknown>;

export interface BodyProblem {
  /** JSON path of the offending value, e.g. `restoreRequestObject.restoreTargetInfo.objectType`. */
  path: string;
  /** The same path as segments (property names and array indexes). */
  segments: Array<string | number>;
  message: string;
  /** Name of the definition whose rule was broken, when known. */
  definition?: string;
}

function segmentsOf(instancePath: string, extra?: string): Array<string | number> {
  const segments: Array<string | number> = instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (extra !== undefined) segments.push(extra);
  return segments;
}

function located(instancePath: string, extra?: string): { path: string; segments: Array<string | number> } {
  const segments = segmentsOf(instancePath, extra);
  let path = "";
  for (const segment of segments) path += typeof segment === "number" ? `[${segment}]` : path === "" ? segment : `.${segment}`;
  return { path: path === "" ? "(body)" : path, segments };
}

function definitionAt(error: ErrorObject): string | undefined {
  return (error.parentSchema as JsonSchema | undefined)?.["x-definition"] as string | undefined;
}

function unionMembers(root: JsonSchema, union: JsonSchema | undefined): string[] {
  const defs = root.definitions as Record<string, JsonSchema>;
  const oneOf = (union?.oneOf as Array<{ $ref: string }> | undefined) ?? [];
  return oneOf.map((m) => {
    const target = defs[m.$ref.replace("#/definitions/", "")];
    const props = target?.properties as Record<string, { const?: string }> | undefined;
    return props?.objectType?.const ?? m.$ref;
  });
}

export function describeErrors(errors: ErrorObject[], root: JsonSchema, version: ApiVersion): BodyProblem[] {
  const problems: BodyProblem[] = [];
  const seen = new Set<string>();
  const add = (problem: BodyProblem) => {
    const key = `${problem.path}|${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  };
  for (const error of errors) {
    const definition = definitionAt(error) ?? "the request";
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case "required":
        add({ ...located(error.instancePath, String(params.missingProperty)), message: `is required by ${definition} (api-version ${version})`, definition });
        break;
      case "additionalProperties":
        add({
          ...located(error.instancePath, String(params.additionalProperty)),
          message: `is not a property of ${definition} in api-version ${version}`,
          definition,
        });
        break;
      case "discriminator": {
        const tag = String(params.tag);
        const value = params.tagValue;
        const members = unionMembers(root, error.parentSchema as JsonSchema | undefined);
        const near = members.find((m) => typeof value === "string" && m.toLowerCase() === value.toLowerCase());
        add({
          ...located(error.instancePath, tag),
          message:
            params.error === "tag" && value === undefined
              ? `is required: one of ${members.join(", ")}`
              : `'${String(value)}' is not a known ${definition} type in api-version ${version}; expected one of ${members.join(", ")}` +
                (near ? ` (did you mean '${near}'? values are case-sensitive)` : ""),
          definition,
        });
        break;
      }
      case "const":
        add({ ...located(error.instancePath), message: `must be '${String(params.allowedValue)}'`, definition });
        break;
      case "enum":
        add({ ...located(error.instancePath), message: `must be one of ${(params.allowedValues as unknown[]).join(", ")}`, definition });
        break;
      case "type":
        add({ ...located(error.instancePath), message: `must be ${String(params.type)}`, definition });
        break;
      case "format":
        add({ ...located(error.instancePath), message: `must be ${describeFormat(String(params.format))}`, definition });
        break;
      case "oneOf":
        // The discriminator already reported which member was chosen and why it failed.
        break;
      default:
        add({ ...located(error.instancePath), message: error.message ?? error.keyword, definition });
    }
  }
  return problems;
}

function describeFormat(format: string): string {
  switch (format) {
    case "date-time":
      return "an ISO 8601 date-time, e.g. 2021-07-08T00:00:00Z";
    case "duration":
      return "an ISO 8601 duration, e.g. P15D";
    case "uuid":
      return "a GUID";
    default:
      return `a valid ${format}`;
  }
}

/** One line per problem, for logs and HTTP error messages. */
export function formatBodyProblems(problems: BodyProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join("; ");
}
