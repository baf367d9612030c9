/**
 * Reading typed fields out of the JSON of a `pulumi stack export`, with the path of each, so bad input
 * is a problem naming the field, and with Pulumi's secrets understood.
 *
 * A secret property value is `{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 * "ciphertext": "…" }`, or with `--show-secrets` `"plaintext": "<the value, JSON-serialized>"` (Pulumi's
 * deployment schema, developer-docs/architecture/deployment-schema.md, "Secret Property Values";
 * the same keys as `specialSigKey`/`specialSecretSig` in @pulumi/pulumi's runtime/rpc).
 */
import { problem, type Problem } from "../errors/problem";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** What a string field reads when its value is an encrypted secret. */
export const SECRET_TEXT = "[secret]";

/** What `reveal` gives for an encrypted secret. */
export const ENCRYPTED: unique symbol = Symbol("encrypted");

/** Thrown when a value the report needs (not a string it can show as `[secret]`) is encrypted. */
export class SecretValue extends Error {
  constructor(readonly path: string) {
    super(`${path} is secret`);
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecret(value: Json | undefined): value is JsonObject {
  return isObject(value) && value[SIG_KEY] === SECRET_SIG;
}

/** Reads fields of one file, collecting what is wrong (as problems) and what was secret (as paths). */
export class FieldReader {
  readonly problems: Problem[] = [];
  readonly secrets: string[] = [];

  constructor(
    readonly file: string,
    private readonly remedy: string,
  ) {}

  wrong(path: string, message: string, remedy = this.remedy): void {
    this.problems.push(problem("StackExportField", message, { file: this.file, field: path, remedy }));
  }

  /** The value itself: a decrypted secret's plaintext parsed; an encrypted one ENCRYPTED (its path noted). */
  reveal(value: Json | undefined, path: string): Json | undefined | typeof ENCRYPTED {
    if (!isSecret(value)) return value;
    if (typeof value.plaintext === "string") {
      try {
        return JSON.parse(value.plaintext) as Json;
      } catch {
        this.wrong(path, "a secret's plaintext is not JSON", "export the stack again: `pulumi stack export --show-secrets --file stack.json`");
        return undefined;
      }
    }
    this.secrets.push(path);
    return ENCRYPTED;
  }

  /** The value, which the report needs: an encrypted secret throws SecretValue. */
  private need(value: Json | undefined, path: string): Json | undefined {
    const v = this.reveal(value, path);
    if (v === ENCRYPTED) throw new SecretValue(path);
    return v;
  }

  string(obj: JsonObject, key: string, path: string): string;
  string(obj: JsonObject, key: string, path: string, optional: true): string | undefined;
  string(obj: JsonObject, key: string, path: string, optional = false): string | undefined {
    const at = `${path}.${key}`;
    const v = this.reveal(obj[key], at);
    if (v === ENCRYPTED) return SECRET_TEXT;
    if (typeof v === "string") return v;
    if (v === undefined || v === null) {
      if (!optional) this.wrong(at, `${key} is missing: a text is expected`);
      return optional ? undefined : "";
    }
    this.wrong(at, `${key} is ${describe(v)}; a text is expected`);
    return optional ? undefined : "";
  }

  number(obj: JsonObject, key: string, path: string): number;
  number(obj: JsonObject, key: string, path: string, optional: true): number | undefined;
  number(obj: JsonObject, key: string, path: string, optional = false): number | undefined {
    const at = `${path}.${key}`;
    const v = this.need(obj[key], at);
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if ((v === undefined || v === null) && optional) return undefined;
    this.wrong(at, v === undefined || v === null ? `${key} is missing: a number is expected` : `${key} is ${describe(v)}; a number is expected`);
    return optional ? undefined : 0;
  }

  boolean(obj: JsonObject, key: string, path: string): boolean;
  boolean(obj: JsonObject, key: string, path: string, optional: true): boolean | undefined;
  boolean(obj: JsonObject, key: string, path: string, optional = false): boolean | undefined {
    const at = `${path}.${key}`;
    const v = this.need(obj[key], at);
    if (typeof v === "boolean") return v;
    if ((v === undefined || v === null) && optional) return undefined;
    this.wrong(at, v === undefined || v === null ? `${key} is missing: true or false is expected` : `${key} is ${describe(v)}; true or false is expected`);
    return optional ? undefined : false;
  }

  object(obj: JsonObject, key: string, path: string): JsonObject;
  object(obj: JsonObject, key: string, path: string, optional: true): JsonObject | undefined;
  object(obj: JsonObject, key: string, path: string, optional = false): JsonObject | undefined {
    const at = `${path}.${key}`;
    const v = this.need(obj[key], at);
    if (isObject(v)) return v;
    if ((v === undefined || v === null) && optional) return undefined;
    this.wrong(at, v === undefined || v === null ? `${key} is missing: an object is expected` : `${key} is ${describe(v)}; an object is expected`);
    return optional ? undefined : {};
  }

  /** Each element of an array field, read by `item` (an element that is not an object is a problem). */
  array<T>(obj: JsonObject, key: string, path: string, item: (element: JsonObject, path: string) => T): T[] {
    const at = `${path}.${key}`;
    const v = this.need(obj[key], at);
    if (!Array.isArray(v)) {
      this.wrong(at, v === undefined || v === null ? `${key} is missing: a list is expected` : `${key} is ${describe(v)}; a list is expected`);
      return [];
    }
    const out: T[] = [];
    v.forEach((element, i) => {
      const e = this.need(element, `${at}[${i}]`);
      if (isObject(e)) out.push(item(e, `${at}[${i}]`));
      else this.wrong(`${at}[${i}]`, `${key}[${i}] is ${describe(e)}; an object is expected`);
    });
    return out;
  }
}

/** `the number 3`, `the text "3"`, `a list`...: what was found, for messages. */
export function describe(value: Json | undefined): string {
  if (value === undefined || value === null) return "missing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === "number" ? "the number" : "the value"} ${String(value)}`;
}

/** The object without its undefined fields (JSON and deep equality read the same). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
