import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type Ajv from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import { definitionFile, readSwaggerFile, type SwaggerSchema } from "./definitions";
import { describeErrors, type BodyProblem } from "./body-problems";
import { canonicalNames } from "./names";
import type { ApiVersion } from "./versions";

/**
 * Turns the Swagger 2.0 definitions of one api-version into JSON Schema that ajv can check a body with.
 *
 * - Inheritance (`allOf` to a parent) is flattened, so a closed schema (`strict`) can list every property.
 * - A reference to a type that has subtypes becomes a union keyed on the discriminator (`objectType`),
 *   checked with ajv's `discriminator` keyword so the errors speak of the chosen subtype only.
 * - Enums marked `x-ms-enum.modelAsString` are open, as the service treats them: not enforced.
 */

export { formatBodyProblems, type BodyProblem } from "./body-problems";

export interface BodyCheckOptions {
  /** Reject properties the definitions do not declare (Azure ignores them; our tests should not). */
  strict?: boolean;
}

const ISO_DURATION = /^P(?!$)(\d+(?:[.,]\d+)?Y)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?W)?(\d+(?:[.,]\d+)?D)?(T(?=\d)(\d+(?:[.,]\d+)?H)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?S)?)?$/;

interface QualifiedName {
  file: string;
  name: string;
}

type JsonSchema = Record<string, unknown>;

class DefinitionIndex {
  private readonly children = new Map<string, string[]>();
  private readonly loadedFiles = new Set<string>();

  constructor(private readonly mainFile: string) {
    this.indexFile(mainFile);
  }

  key(q: QualifiedName): string {
    return q.file === this.mainFile ? q.name : `${path.basename(path.dirname(q.file))}.${path.basename(q.file, ".json")}.${q.name}`;
  }

  get(q: QualifiedName): SwaggerSchema {
    const schema = readSwaggerFile(q.file).definitions[q.name];
    if (!schema) throw new Error(`definition ${q.name} not found in ${q.file}`);
    return schema;
  }

  resolveRef(ref: string, fromFile: string): QualifiedName {
    const [filePart, pointer] = ref.split("#");
    const file = filePart ? path.resolve(path.dirname(fromFile), filePart) : fromFile;
    const match = /^\/definitions\/(.+)$/.exec(pointer ?? "");
    if (!match) throw new Error(`unsupported $ref ${ref}`);
    this.indexFile(file);
    return { file, name: match[1] };
  }

  /** Direct subtypes: definitions whose allOf names this one. */
  subtypes(q: QualifiedName): QualifiedName[] {
    return (this.children.get(this.key(q)) ?? []).map((name) => ({ file: this.mainFile, name }));
  }

  descendants(q: QualifiedName): QualifiedName[] {
    const out: QualifiedName[] = [];
    const visit = (parent: QualifiedName) => {
      for (const child of this.subtypes(parent)) {
        out.push(child);
        visit(child);
      }
    };
    visit(q);
    return out;
  }

  /** The discriminator property of the hierarchy `q` belongs to, if any. */
  discriminatorOf(q: QualifiedName): string | undefined {
    const schema = this.get(q);
    if (schema.discriminator) return schema.discriminator;
    for (const parent of schema.allOf ?? []) {
      if (parent.$ref) {
        const found = this.discriminatorOf(this.resolveRef(parent.$ref, q.file));
        if (found) return found;
      }
    }
    return undefined;
  }

  private indexFile(file: string): void {
    if (this.loadedFiles.has(file)) return;
    this.loadedFiles.add(file);
    if (file !== this.mainFile) return;
    const defs = readSwaggerFile(file).definitions;
    for (const [name, schema] of Object.entries(defs)) {
      for (const parent of schema.allOf ?? []) {
        if (parent.$ref && parent.$ref.startsWith("#/definitions/")) {
          const parentName = parent.$ref.slice("#/definitions/".length);
          const list = this.children.get(parentName) ?? [];
          list.push(name);
          this.children.set(parentName, list);
        }
      }
    }
  }
}

class SchemaBuilder {
  readonly definitions: Record<string, JsonSchema> = {};
  private readonly index: DefinitionIndex;

  constructor(mainFile: string, private readonly strict: boolean) {
    this.index = new DefinitionIndex(mainFile);
  }

  /** A $ref to the checked form of definition `name`, building what it needs on first use. */
  refTo(q: QualifiedName): JsonSchema {
    const target = this.index.get(q);
    if (target.type && target.type !== "object" && !target.allOf) return this.convert({ ...target, $ref: undefined }, q.file);
    const descendants = this.index.descendants(q);
    if (descendants.length > 0 && this.index.discriminatorOf(q)) return { $ref: `#/definitions/${this.union(q, descendants)}` };
    return { $ref: `#/definitions/${this.concrete(q)}` };
  }

  private union(q: QualifiedName, descendants: QualifiedName[]): string {
    const key = `${this.index.key(q)}~any`;
    if (this.definitions[key]) return key;
    const discriminator = this.index.discriminatorOf(q)!;
    this.definitions[key] = {}; // reserve the slot before recursing
    const schema = this.index.get(q);
    const isRoot = Boolean(schema.discriminator);
    const members = [...(isRoot && !schema["x-ms-discriminator-value"] ? [] : [q]), ...descendants];
    this.definitions[key] = {
      type: "object",
      required: [discriminator],
      discriminator: { propertyName: discriminator },
      oneOf: members.map((member) => ({ $ref: `#/definitions/${this.concrete(member)}` })),
      "x-definition": q.name,
    };
    return key;
  }

  private concrete(q: QualifiedName): string {
    const key = this.index.key(q);
    if (this.definitions[key]) return key;
    this.definitions[key] = {}; // reserve the slot before recursing
    const properties: Record<string, JsonSchema> = {};
    const required = new Set<string>();
    let additional: boolean | JsonSchema | undefined;
    const collect = (current: QualifiedName) => {
      const schema = this.index.get(current);
      for (const parent of schema.allOf ?? []) {
        if (parent.$ref) collect(this.index.resolveRef(parent.$ref, current.file));
        else this.mergeInline(parent, current.file, properties, required);
      }
      this.mergeInline(schema, current.file, properties, required);
      if (schema.additionalProperties !== undefined && typeof schema.additionalProperties === "object") {
        additional = this.convert(schema.additionalProperties, current.file);
      }
    };
    collect(q);
    const discriminator = this.index.discriminatorOf(q);
    if (discriminator) {
      const schema = this.index.get(q);
      properties[discriminator] = { type: "string", const: schema["x-ms-discriminator-value"] ?? q.name };
      required.add(discriminator);
    }
    this.definitions[key] = {
      type: "object",
      properties,
      ...(required.size > 0 ? { required: [...required] } : {}),
      additionalProperties: additional ?? !this.strict,
      "x-definition": q.name,
    };
    return key;
  }

  private mergeInline(schema: SwaggerSchema, file: string, properties: Record<string, JsonSchema>, required: Set<string>) {
    for (const [name, prop] of Object.entries(schema.properties ?? {})) properties[name] = this.convert(prop, file);
    for (const name of schema.required ?? []) required.add(name);
  }

  convert(schema: SwaggerSchema, file: string): JsonSchema {
    if (schema.$ref) return this.refTo(this.index.resolveRef(schema.$ref, file));
    if (schema.allOf && schema.allOf.length > 0) {
      if (schema.allOf.length === 1 && schema.allOf[0].$ref && !schema.properties) return this.convert(schema.allOf[0], file);
      return { allOf: schema.allOf.map((part) => this.convert(part, file)) };
    }
    const type = schema.type ?? (schema.properties ? "object" : undefined);
    switch (type) {
      case "object": {
        const properties: Record<string, JsonSchema> = {};
        for (const [name, prop] of Object.entries(schema.properties ?? {})) properties[name] = this.convert(prop, file);
        const additional =
          typeof schema.additionalProperties === "object"
            ? this.convert(schema.additionalProperties, file)
            : schema.additionalProperties ?? (schema.properties ? !this.strict : true);
        return { type: "object", properties, ...(schema.required ? { required: schema.required } : {}), additionalProperties: additional };
      }
      case "array":
        return { type: "array", ...(schema.items ? { items: this.convert(schema.items, file) } : {}) };
      case "string": {
        const out: JsonSchema = { type: "string" };
        if (schema.enum && !schema["x-ms-enum"]?.modelAsString) out.enum = schema.enum;
        if (schema.format === "date-time") out.format = "date-time";
        if (schema.format === "duration") out.format = "duration";
        if (schema.format === "uuid") out.format = "uuid";
        return out;
      }
      case "integer":
        return { type: "integer" };
      case "number":
        return { type: "number" };
      case "boolean":
        return { type: "boolean" };
      default:
        return {};
    }
  }
}

const AJV_OPTIONS = { allErrors: true, strict: false, discriminator: true, validateFormats: true, verbose: true } as const;

/** The formats the definitions use, as ajv-formats (full mode) defines them, and ISO 8601 durations. */
export function bodyFormats(): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fullFormats } = require("ajv-formats/dist/formats") as typeof import("ajv-formats/dist/formats");
  return { "date-time": fullFormats["date-time"], uuid: fullFormats.uuid, uri: fullFormats.uri, duration: ISO_DURATION };
}

let formats: Record<string, unknown> | undefined;

function createAjv(standaloneFormats?: string): Ajv {
  // Loaded on the first body compiled: `validate` of specs without a request body never needs ajv, nor
  // does a build's process for the validators it precompiled (bodyValidatorSource).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const AjvClass = (require("ajv") as typeof import("ajv")).default;
  const { _ } = require("ajv") as typeof import("ajv");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const ajv = new AjvClass({ ...AJV_OPTIONS, ...(standaloneFormats ? { code: { source: true, formats: _`require(${standaloneFormats}).bodyFormats()` } } : {}) });
  formats ??= bodyFormats();
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format as RegExp);
  return ajv;
}

const validators = new Map<string, ValidateFunction>();

/** Definition `definition` of `version` as a self-contained JSON Schema (draft-07 plus ajv's `discriminator`). */
export function definitionJsonSchema(version: ApiVersion, definition: string, options: BodyCheckOptions = {}): JsonSchema {
  const file = definitionFile(version);
  const builder = new SchemaBuilder(file, Boolean(options.strict));
  const entry = builder.refTo({ file, name: definition });
  return { ...entry, definitions: builder.definitions };
}

/**
 * The request bodies whose validators a build precompiles (checks/precompile.ts), for every api-version:
 * what the checks and the plans check, strictly. Compiling one took a tenth of a second or more.
 */
export const PRECOMPILED_BODIES = ["ValidateRestoreRequestObject", "AzureBackupRestoreRequest"] as const;

/** Where a build keeps the precompiled body validators, relative to this module. */
export const BODY_VALIDATORS_DIR = "validators";

function bodyFileName(version: ApiVersion, definition: string, strict: boolean): string {
  return `${version}.${definition}.${strict ? "strict" : "loose"}.js`;
}

function bodyFingerprint(schema: JsonSchema): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ajvVersion = (require("ajv/package.json") as { version: string }).version;
  return createHash("sha256").update(JSON.stringify({ ajvVersion, options: AJV_OPTIONS, formats: Object.keys(bodyFormats()), duration: ISO_DURATION.source, schema })).digest("hex").slice(0, 32);
}

/**
 * The standalone module of one body validator, `fileName` in BODY_VALIDATORS_DIR of a build; its formats
 * are `bodyFormats()` of `schemaModule` (this module, as the generated one requires it).
 */
export function bodyValidatorSource(version: ApiVersion, definition: string, options: BodyCheckOptions, schemaModule = "../schema"): { fileName: string; source: string } {
  const schema = definitionJsonSchema(version, definition, options);
  const ajv = createAjv(schemaModule);
  const validate = ajv.compile(schema);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const standalone = (require("ajv/dist/standalone") as typeof import("ajv/dist/standalone")).default;
  const code = standalone(ajv, validate);
  return {
    fileName: bodyFileName(version, definition, Boolean(options.strict)),
    source: `// Generated by checks/precompile.ts (npm run build) from the definitions of ${version}; do not edit.\n${code}\nmodule.exports.fingerprint = ${JSON.stringify(bodyFingerprint(schema))};\n`,
  };
}

/** A precompiled validator from `file` when it was generated from `schema`; undefined otherwise. */
export function loadBodyValidator(file: string, schema: JsonSchema): ValidateFunction | undefined {
  if (!fs.existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validate = require(file) as ValidateFunction & { fingerprint?: string };
  if (typeof validate !== "function" || validate.fingerprint !== bodyFingerprint(schema)) return undefined;
  // describeErrors reads the schema the errors refer to.
  (validate as { schema: unknown }).schema = schema;
  return validate;
}

/** A validator for one definition of one api-version (cached per process): the build's, else compiled. */
export function bodyValidator(version: ApiVersion, definition: string, options: BodyCheckOptions = {}): ValidateFunction {
  const cacheKey = `${version}|${definition}|${options.strict ? "strict" : "loose"}`;
  let validate = validators.get(cacheKey);
  if (!validate) {
    const schema = definitionJsonSchema(version, definition, options);
    validate = loadBodyValidator(path.join(__dirname, BODY_VALIDATORS_DIR, bodyFileName(version, definition, Boolean(options.strict))), schema) ?? createAjv().compile(schema);
    validators.set(cacheKey, validate);
  }
  return validate;
}

const looseSchemas = new Map<string, JsonSchema>();

/** `body` with its property names spelled as definition `definition` of `version` spells them (the service matches names without regard to case). */
export function canonicalBody(version: ApiVersion, definition: string, body: unknown): unknown {
  const key = `${version}|${definition}`;
  let schema = looseSchemas.get(key);
  if (!schema) looseSchemas.set(key, (schema = definitionJsonSchema(version, definition)));
  return canonicalNames(schema, schema, body);
}

/** Removes properties whose value is null: the service reads them as absent. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === "object") {
    // Keys rather than entries: no pair array per property of every body planned.
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(record)) if (record[k] !== null) out[k] = withoutNulls(record[k]);
    return out;
  }
  return value;
}

/**
 * Checks `body` against definition `definition` of `version`. Returns every problem found, each with
 * the JSON path of the value at fault; an empty list means the body is valid.
 */
export function checkBody(version: ApiVersion, definition: string, body: unknown, options: BodyCheckOptions = {}): BodyProblem[] {
  const validate = bodyValidator(version, definition, options);
  if (validate(withoutNulls(body))) return [];
  return describeErrors(validate.errors ?? [], validate.schema as JsonSchema, version);
}

