import * as fs from "fs";
import * as path from "path";
import { isPreviewVersion, type ApiVersion } from "./versions";

/** A Swagger 2.0 schema object, as far as the Data Protection definitions use it. */
export interface SwaggerSchema {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, SwaggerSchema>;
  additionalProperties?: boolean | SwaggerSchema;
  required?: string[];
  items?: SwaggerSchema;
  enum?: unknown[];
  "x-ms-enum"?: { name?: string; modelAsString?: boolean };
  allOf?: SwaggerSchema[];
  discriminator?: string;
  "x-ms-discriminator-value"?: string;
  readOnly?: boolean;
}

export interface SwaggerDocument {
  swagger: string;
  info: { version: string; title?: string };
  paths: Record<string, Record<string, unknown>>;
  definitions: Record<string, SwaggerSchema>;
  parameters?: Record<string, unknown>;
}

/**
 * The definitions folder sits beside this module in the source tree (api/definitions) and two levels
 * up from the compiled module (dist/api -> api/definitions), since JSON data is not copied by tsc.
 */
export function definitionsRoot(): string {
  const candidates = [path.join(__dirname, "definitions"), path.join(__dirname, "..", "..", "api", "definitions")];
  for (const candidate of candidates) {
    if (fs.existsSync(path.join(candidate, "stable"))) return candidate;
  }
  throw new Error(`API definitions not found (looked in ${candidates.join(", ")})`);
}

/** The folder of a version's definitions and examples: `stable/<version>`, or `preview/<version>` for a preview. */
export function definitionFolder(version: ApiVersion): string {
  return path.join(definitionsRoot(), isPreviewVersion(version) ? "preview" : "stable", version);
}

export function definitionFile(version: ApiVersion): string {
  return path.join(definitionFolder(version), "dataprotection.json");
}

const documents = new Map<string, SwaggerDocument>();

/** Reads a definitions file once per process (the files are large and never change at run time). */
export function readSwaggerFile(file: string): SwaggerDocument {
  const resolved = path.resolve(file);
  let doc = documents.get(resolved);
  if (!doc) {
    doc = JSON.parse(fs.readFileSync(resolved, "utf8")) as SwaggerDocument;
    documents.set(resolved, doc);
  }
  return doc;
}

export function loadDefinitions(version: ApiVersion): SwaggerDocument {
  return readSwaggerFile(definitionFile(version));
}
