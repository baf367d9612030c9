import type { FieldPath } from "../errors/field";
import type { Position } from "./position";

/**
 * Positions in a file the fast path read, from one pass over its lines, for the plain block style specs
 * are written in: mappings and lists in block style with plain keys, plain scalars, and flow mappings
 * and lists closed on their line. It answers as `yaml`'s tokens do (tokenLocator); a file with anything
 * else (quoted keys, block scalars, tags, explicit keys, empty values, a value spanning lines, tabs,
 * a CR alone, document markers) it leaves to them (undefined), so the answers do not depend on which
 * one gave them.
 */
export interface LineLocator {
  locate(path: FieldPath, at: "key" | "value"): Position | undefined;
}

/** Plain scalars that the core schema reads as something other than the same string. */
export const NOT_PLAIN_STRING = /^(?:[-+.0-9~]|(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$)/;

/** Keys this locator reads; any other key (quoted, spaced, odd characters) is left to the tokens. */
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

/** Index just past a quoted scalar that opens at `i` and closes on its line. */
function quotedEnd(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    if (quote === '"' && text[j] === "\\") j++;
    else if (text[j] === quote) {
      if (quote === "'" && text[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  return unsure();
}

const isQuote = (c: string | undefined): boolean => c === '"' || c === "'";

/** Characters a plain scalar may not start with here (quotes, indicators, comments, flow ends). */
const NOT_PLAIN_START = /^[-?:,\]}#&*!|>'"%@`]/;

/** Whatever the locator cannot read; caught at the top, where it means "ask the tokens". */
class Unsure extends Error {}

type Node =
  | { kind: "map"; at: Position; entries: Array<{ key: string; keyAt: Position; value: Node }> }
  | { kind: "seq"; at: Position; items: Node[] }
  | { kind: "scalar"; at: Position };

/** A line that holds more than whitespace or a comment: its number (0-based), text and indentation. */
interface Line {
  index: number;
  text: string;
  indent: number;
}

function unsure(): never {
  throw new Unsure();
}

function contentLines(text: string): Line[] {
  if (/[\t\uFEFF]|\r(?!\n)/.test(text)) unsure();
  const lines: Line[] = [];
  const raw = text.split("\n");
  for (let index = 0; index < raw.length; index++) {
    const line = raw[index].endsWith("\r") ? raw[index].slice(0, -1) : raw[index];
    let indent = 0;
    while (indent < line.length && line.charCodeAt(indent) === 32) indent++;
    if (indent === line.length || line[indent] === "#") continue;
    if (indent === 0 && (/^(?:---|\.\.\.)(?: |$)/.test(line) || line[0] === "%")) unsure();
    lines.push({ index, text: line, indent });
  }
  return lines;
}

const pos = (line: Line, column: number): Position => ({ line: line.index + 1, column: column + 1 });

/** Index just past the spaces from `i`. */
function skipSpaces(text: string, i: number): number {
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}

/** Nothing but spaces and a comment from `i` to the end of the line. */
function restIsBlank(text: string, i: number): boolean {
  const j = skipSpaces(text, i);
  return j === text.length || (text[j] === "#" && (j === 0 || text[j - 1] === " "));
}

/** The `key: ` at `i`: its end (the colon) when the line holds a simple key there. */
function keyEnd(text: string, i: number): number | undefined {
  const colon = text.indexOf(":", i);
  if (colon < 0 || (colon + 1 < text.length && text[colon + 1] !== " ")) return undefined;
  return colon;
}

function simpleKey(key: string): string {
  if (!SIMPLE_KEY.test(key) || NOT_PLAIN_STRING.test(key)) unsure();
  return key;
}

/** A flow collection opening at `i` and closing on the same line; returns it and the index past it. */
function flow(line: Line, i: number): { node: Node; end: number } {
  const text = line.text;
  const at = pos(line, i);
  const isMap = text[i] === "{";
  const close = isMap ? "}" : "]";
  const entries: Array<{ key: string; keyAt: Position; value: Node }> = [];
  const items: Node[] = [];
  i = skipSpaces(text, i + 1);
  while (text[i] !== close) {
    let keyAt: Position | undefined;
    let key: string | undefined;
    if (isMap) {
      const end = scalarEnd(text, i);
      if (text[end] !== ":" || text[end + 1] !== " ") unsure();
      keyAt = pos(line, i);
      key = simpleKey(text.slice(i, end).trimEnd());
      i = skipSpaces(text, end + 1);
    }
    let value: Node;
    if (text[i] === "{" || text[i] === "[") {
      const inner = flow(line, i);
      value = inner.node;
      i = inner.end;
    } else if (isQuote(text[i])) {
      value = { kind: "scalar", at: pos(line, i) };
      i = quotedEnd(text, i);
    } else {
      const end = scalarEnd(text, i);
      if (end === i || text[end] === ":") unsure();
      value = { kind: "scalar", at: pos(line, i) };
      i = end;
    }
    if (key !== undefined && keyAt) entries.push({ key, keyAt, value });
    else items.push(value);
    i = skipSpaces(text, i);
    if (text[i] === ",") i = skipSpaces(text, i + 1);
    else if (text[i] !== close) unsure();
  }
  return { node: isMap ? { kind: "map", at, entries } : { kind: "seq", at, items }, end: i + 1 };
}

/** End of a plain scalar in a flow collection starting at `i` (at `,`, `: `, or the closing bracket). */
function scalarEnd(text: string, i: number): number {
  if (i >= text.length || NOT_PLAIN_START.test(text[i]) || text[i] === "{" || text[i] === "[") unsure();
  let j = i;
  for (; j < text.length; j++) {
    const c = text[j];
    if (c === "," || c === "}" || c === "]") break;
    if (c === ":" && (j + 1 === text.length || " ,[]{}".includes(text[j + 1]))) break;
    if (c === "#" || c === "{" || c === "[" || c === "'" || c === '"') unsure();
  }
  if (j === text.length) unsure();
  let end = j;
  while (end > i && text.charCodeAt(end - 1) === 32) end--;
  return end;
}

/** Reads the block structure of the content lines. */
function reader(lines: Line[]) {
  let next = 0;

  /** A value written on the line from `i`, or on the lines below (deeper, or a list at `indent` under a key). */
  function value(line: Line, i: number, indent: number, underKey: boolean): Node {
    const text = line.text;
    if (restIsBlank(text, i)) {
      const below = lines[next];
      if (below && below.indent > indent) return block(next, below.indent);
      if (below && underKey && below.indent === indent && isItem(below.text, below.indent)) return seq(next, below.indent);
      return unsure();
    }
    if (text[i] === "{" || text[i] === "[") {
      const { node, end } = flow(line, i);
      if (!restIsBlank(text, end)) unsure();
      return node;
    }
    if (isQuote(text[i])) {
      if (!restIsBlank(text, quotedEnd(text, i))) unsure();
      return { kind: "scalar", at: pos(line, i) };
    }
    if (NOT_PLAIN_START.test(text[i])) unsure();
    const comment = text.indexOf(" #", i);
    const scalar = comment < 0 ? text.slice(i) : text.slice(i, comment);
    if (scalar.includes(": ") || scalar.trimEnd().endsWith(":")) unsure();
    return { kind: "scalar", at: pos(line, i) };
  }

  /** A mapping or a list whose first entry starts at column `column` of line `k`. */
  function block(k: number, column: number): Node {
    return isItem(lines[k].text, column) ? seq(k, column) : map(k, column);
  }

  /** A mapping from `column` of line `k`, then of each following line at that indentation. */
  function map(k: number, column: number): Node {
    const entries: Array<{ key: string; keyAt: Position; value: Node }> = [];
    for (let line = lines[k]; ; line = lines[next]) {
      const end = keyEnd(line.text, column);
      if (end === undefined) return unsure();
      const key = simpleKey(line.text.slice(column, end));
      next = k + 1;
      entries.push({ key, keyAt: pos(line, column), value: value(line, skipSpaces(line.text, end + 1), column, true) });
      k = next;
      const below = lines[k];
      if (!below || below.indent < column) break;
      if (below.indent > column || isItem(below.text, column)) unsure();
    }
    return { kind: "map", at: entries[0].keyAt, entries };
  }

  /** A list from `column` of line `k`, then of each following line at that indentation that is an item. */
  function seq(k: number, column: number): Node {
    const items: Node[] = [];
    const first = lines[k];
    for (let line = first; ; line = lines[next]) {
      const text = line.text;
      const after = skipSpaces(text, column + 1);
      next = k + 1;
      const nested = !restIsBlank(text, after) && (isItem(text, after) || (text[after] !== "{" && text[after] !== "[" && keyEnd(text, after) !== undefined));
      items.push(nested ? block(k, after) : value(line, after, column, false));
      k = next;
      const below = lines[k];
      if (!below || below.indent < column) break;
      if (below.indent > column) unsure();
      if (!isItem(below.text, column)) break;
    }
    return { kind: "seq", at: pos(first, column), items };
  }

  return {
    document(): Node {
      if (lines.length === 0) unsure();
      const root = block(0, lines[0].indent);
      if (next !== lines.length) unsure();
      return root;
    },
  };
}

function isItem(text: string, i: number): boolean {
  return text[i] === "-" && (i + 1 === text.length || text[i + 1] === " ");
}

/** The structure of `text`, or undefined when it is not all in the plain style this locator reads. */
function plainDocument(text: string): Node | undefined {
  try {
    return reader(contentLines(text)).document();
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
}

export function lineLocator(text: string): LineLocator {
  const root = plainDocument(text);
  return {
    locate(path, mode) {
      if (!root) return undefined;
      let node = root;
      let best = node.at;
      for (let i = 0; i < path.length; i++) {
        const segment = path[i];
        if (node.kind === "map") {
          const entry = node.entries.find((e) => e.key === String(segment));
          if (!entry) return best;
          if (i === path.length - 1 && mode === "key") return entry.keyAt;
          node = entry.value;
        } else if (node.kind === "seq" && typeof segment === "number") {
          const item = node.items[segment];
          if (!item) return best;
          node = item;
        } else if (node.kind === "scalar") {
          return best;
        } else {
          return undefined;
        }
        best = node.at;
      }
      return best;
    },
  };
}
