import * as jsYaml from "js-yaml";
import type { Document, Node } from "yaml";
import type { FieldPath } from "../errors/field";
import { problem, type Problem } from "../errors/problem";
import { lineLocator, type LineLocator } from "./line-locator";
import { NOT_PLAIN_STRING, readPlainStyle } from "./plain-style";
import { plainValue } from "./plain-value";
import type { Position } from "./position";

/** Largest spec file read; a restore spec is a few hundred bytes. */
export const MAX_SPEC_BYTES = 256 * 1024;
/** Aliases a spec may expand (anchors are handy; an alias bomb is not). */
export const MAX_ALIAS_COUNT = 50;
/** Nesting deeper than any valid spec (RawRestore bodies included). */
export const MAX_DEPTH = 32;

export type { Position } from "./position";

/** A parsed spec file: its plain value and a way back from a field path to a position in the text. */
export interface ParsedSpecFile {
  file: string;
  value: unknown;
  locate(path: FieldPath, at?: "key" | "value"): Position;
}

/** Nesting deeper than `limit`: a value at depth `limit + 1` (the root is at 0). */
function deeperThan(value: unknown, limit: number): boolean {
  if (limit < 0) return true;
  if (!value || typeof value !== "object") return false;
  for (const child of Object.values(value)) if (deeperThan(child, limit - 1)) return true;
  return false;
}

/** Anchors or aliases: left to the careful parser, which bounds how far aliases expand. */
const hasAnchorOrAlias = (text: string): boolean => text.includes("&") || text.includes("*");

/**
 * The common case, fast: a file with no anchors, aliases or YAML errors is read from its lines when it
 * is in the plain style (plain-style.ts), else with js-yaml (several times faster than `yaml`), the same
 * value either way; positions are computed only if a problem needs one: from its lines, else from yaml's
 * tokens, else from the composed document. Anything else goes through `yaml`, which reports every
 * problem with its position.
 */
function parseFast(file: string, text: string): ParsedSpecFile | undefined {
  if (hasAnchorOrAlias(text)) return undefined;
  const plain = readPlainStyle(text);
  const read = plain && plainValue(plain);
  let value: unknown;
  if (read) value = read.value;
  else {
    try {
      value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false });
    } catch {
      return undefined;
    }
  }
  if (value === undefined || value === null || deeperThan(value, MAX_DEPTH)) return undefined;
  // The structure is read again for a file with a problem (one in ten), rather than kept for every file.
  let lines: LineLocator | undefined;
  let tokens: TokenLocator | undefined;
  let careful: ParsedSpecFile | undefined;
  return {
    file,
    value,
    locate(path, at) {
      lines ??= lineLocator(text);
      const fromLines = lines.locate(path, at ?? "value");
      if (fromLines) return fromLines;
      tokens ??= tokenLocator(text);
      const found = tokens.locate(path, at ?? "value");
      if (found) return found;
      careful ??= parseCareful(file, text).parsed;
      return careful ? careful.locate(path, at) : { line: 1, column: 1 };
    },
  };
}

/**
 * Positions from `yaml`'s tokens alone (its lexer and parser, without composing the document: a third of
 * the work), for a file the fast path read. It answers exactly as the composed document does (`offsetOf`)
 * where the tokens are plain: mappings and lists, block or flow, with plain or quoted keys; anything else
 * (explicit keys, tags, empty values, keys that are not plainly strings) it leaves to the composed
 * document (undefined).
 */
export interface TokenLocator {
  locate(path: FieldPath, at: "key" | "value"): Position | undefined;
}

type Token = import("yaml").CST.Token;
type CollectionItem = import("yaml").CST.CollectionItem;

export function tokenLocator(text: string): TokenLocator {
  const { CST, LineCounter, Parser } = careful();
  const lineCounter = new LineCounter();
  let doc: import("yaml").CST.Document | undefined;
  let documents = 0;
  for (const token of new Parser(lineCounter.addNewLine).parse(text)) {
    if (token.type === "document") {
      documents += 1;
      doc = token;
    }
  }
  const plainItem = (item: CollectionItem): boolean =>
    item.start.every((t) => t.type === "space" || t.type === "newline" || t.type === "comment" || t.type === "comma" || t.type === "seq-item-ind") &&
    (item.sep ?? []).every((t) => t.type === "space" || t.type === "newline" || t.type === "comment" || t.type === "map-value-ind");
  const keyText = (key: Token | null | undefined): string | undefined => {
    if (!key) return undefined;
    if (key.type === "scalar") return NOT_PLAIN_STRING.test(key.source) ? undefined : key.source;
    if (key.type === "single-quoted-scalar" || key.type === "double-quoted-scalar") {
      let ok = true;
      const resolved = CST.resolveAsScalar(key, false, () => (ok = false));
      return ok && resolved ? resolved.value : undefined;
    }
    return undefined;
  };
  const offset = (path: FieldPath, mode: "key" | "value"): number | undefined => {
    if (documents !== 1 || !doc?.value) return undefined;
    let node: Token = doc.value;
    let best = node.offset;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i];
      const last = i === path.length - 1;
      const isMap = node.type === "block-map" || (node.type === "flow-collection" && node.start.source === "{");
      const isSeq = node.type === "block-seq" || (node.type === "flow-collection" && node.start.source === "[");
      if (isMap) {
        const items = (node as { items: CollectionItem[] }).items;
        let match: CollectionItem | undefined;
        for (const item of items) {
          if (!plainItem(item) || !item.sep || !item.value) return undefined;
          const key = keyText(item.key);
          if (key === undefined) return undefined;
          if (match === undefined && key === String(segment)) match = item;
        }
        if (!match) return best;
        if (last && mode === "key") return match.key!.offset;
        node = match.value!;
        best = node.offset;
      } else if (isSeq && typeof segment === "number") {
        const items = (node as { items: CollectionItem[] }).items;
        for (const item of items) if (!plainItem(item) || item.key || item.sep || !item.value) return undefined;
        const item = items[segment];
        if (!item) return best;
        node = item.value!;
        best = node.offset;
      } else if (node.type === "scalar" || node.type === "single-quoted-scalar" || node.type === "double-quoted-scalar" || node.type === "block-scalar") {
        return best;
      } else {
        return undefined;
      }
    }
    return best;
  };
  return {
    locate(path, mode) {
      const at = offset(path, mode);
      if (at === undefined) return undefined;
      const pos = lineCounter.linePos(at);
      return { line: pos.line, column: pos.col };
    },
  };
}

/**
 * Parses one spec file's text. Pure: never throws, never reads the disk. Every YAML problem comes back
 * positioned; a file with problems yields no value.
 */
export function parseSpecText(file: string, text: string): { parsed?: ParsedSpecFile; problems: Problem[] } {
  if (text.length <= MAX_SPEC_BYTES && !text.includes("\u0000")) {
    const fast = parseFast(file, text);
    if (fast) return { parsed: fast, problems: [] };
  }
  return parseCareful(file, text);
}

/** The `yaml` package, loaded when a file needs it: most files never do (see parseFast). */
let yamlLib: typeof import("yaml") | undefined;
function careful(): typeof import("yaml") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlLib ??= require("yaml") as typeof import("yaml");
  return yamlLib;
}

export function parseCareful(file: string, text: string): { parsed?: ParsedSpecFile; problems: Problem[] } {
  const { LineCounter, parseAllDocuments } = careful();
  const at = (line: number, column: number, code: string, message: string, remedy: string): Problem =>
    problem(code, message, { file, line, column, remedy });
  if (text.length > MAX_SPEC_BYTES) {
    return { problems: [at(1, 1, "SpecTooLarge", `the file is ${text.length} bytes; a spec may be at most ${MAX_SPEC_BYTES} bytes`, "keep one restore per file; a spec is a few hundred bytes")] };
  }
  if (text.includes("\u0000")) {
    return { problems: [at(1, 1, "SpecNotText", "the file holds NUL bytes: it is not a YAML text file", "save the spec as UTF-8 text")] };
  }
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: true, strict: true }) as Document.Parsed[];
  } catch (error) {
    const reason = error instanceof RangeError ? "nesting too deep to parse" : (error as Error).message;
    return { problems: [at(1, 1, "SpecYamlSyntax", `not valid YAML: ${reason}`, "fix the YAML syntax")] };
  }
  if (!Array.isArray(docs)) docs = [docs];
  const problems: Problem[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      const duplicate = error.code === "DUPLICATE_KEY";
      if (/call stack/i.test(error.message)) {
        problems.push(at(pos.line, pos.col, "SpecTooDeep", `nesting deeper than ${MAX_DEPTH} levels`, "a spec is a few levels deep; remove the nested structure"));
        continue;
      }
      problems.push(
        at(
          pos.line,
          pos.col,
          duplicate ? "SpecDuplicateKey" : "SpecYamlSyntax",
          duplicate ? "the same key appears twice in one mapping" : `not valid YAML: ${error.message.split("\n")[0]}`,
          duplicate ? "keep one of the two keys" : "fix the YAML syntax at this position",
        ),
      );
    }
  }
  if (problems.length > 0) return { problems };
  const nonEmpty = docs.filter((d) => d.contents !== null);
  if (nonEmpty.length === 0) return { problems: [at(1, 1, "SpecEmpty", "the file holds no spec", "write a spec (see restores/ for examples) or delete the file")] };
  if (nonEmpty.length > 1) {
    const second = lineCounter.linePos(nonEmpty[1].range[0]);
    return { problems: [at(second.line, second.col, "SpecMultipleDocuments", "the file holds more than one YAML document", "put each restore in its own file")] };
  }
  const doc = nonEmpty[0];
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = /alias/i.test((error as Error).message)
      ? `aliases expand more than ${MAX_ALIAS_COUNT} times (a YAML alias bomb?)`
      : `cannot read the YAML: ${(error as Error).message}`;
    return { problems: [at(1, 1, "SpecYamlAliases", message, "write the values out instead of using many aliases")] };
  }
  if (deeperThan(value, MAX_DEPTH)) {
    return { problems: [at(1, 1, "SpecTooDeep", `nesting deeper than ${MAX_DEPTH} levels`, "a spec is a few levels deep; remove the nested structure")] };
  }
  const locate = (path: FieldPath, mode: "key" | "value" = "value"): Position => {
    const offset = offsetOf(doc, path, mode);
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return { parsed: { file, value, locate }, problems: [] };
}

/** Offset of the node at `path`, or of its nearest existing ancestor. */
function offsetOf(doc: Document.Parsed, path: FieldPath, mode: "key" | "value"): number {
  const { isMap, isPair, isScalar, isSeq } = careful();
  let node: Node | null | undefined = doc.contents as Node | null;
  let best = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return best;
      const keyNode = pair.key as Node;
      if (last && mode === "key") return keyNode.range?.[0] ?? best;
      node = pair.value as Node | null;
      best = node?.range?.[0] ?? keyNode.range?.[0] ?? best;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment] as Node | undefined;
      if (!node) return best;
      best = node.range?.[0] ?? best;
    } else {
      return best;
    }
  }
  return best;
}
