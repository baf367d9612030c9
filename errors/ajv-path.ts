import type { FieldPath } from "./field";

/** An ajv `instancePath` (JSON Pointer, `/spec/items/0`) as a field path; digits become list indexes. */
export function ajvPath(instancePath: string): FieldPath {
  if (instancePath === "") return [];
  return instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
