import type { Position } from "./position";

/**
 * The plain block style specs are written in, read in one pass over the lines: mappings and lists in
 * block style with simple keys, plain scalars and quoted ones closed on their line, and flow mappings
 * and lists closed on their line; comments, blank lines and CRLF. Anything else (quoted or odd keys,
 * block scalars, tags, anchors, explicit keys, empty values, a value spanning lines, duplicate keys,
 * tabs, a CR alone, document markers, non-printable characters) it does not read (undefined), so the
 * caller reads the file as before: what it reads, it reads as js-yaml and yaml's tokens do.
 */
export type PlainNode =
  | { kind: "map"; at: Position; entries: Array<{ key: string; keyAt: Position; value: PlainNode }> }
  | { kind: "seq"; at: Position; items: PlainNode[] }
  | { kind: "scalar"; at: Position; style: "plain" | "single" | "double"; source: string };

/** Plain scalars that the core schema reads as something other than the same string. */
export const NOT_PLAIN_STRING = /^(?:[-+.0-9~]|(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$)/;

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
const NOT_PLAIN_START = /^[:,\]}#&*!|>'"%@`]/;

/** A plain scalar may start at `i`: `-` and `?` only before a character other than a space (or, in flow, a flow indicator). */
function plainStart(text: string, i: number, inFlow: boolean): boolean {
  const c = text[i];
  if (c === undefined || NOT_PLAIN_START.test(c)) return false;
  if (c !== "-" && c !== "?") return true;
  const following = text[i + 1];
  return following !== undefined && following !== " " && !(inFlow && ",[]{}".includes(following));
}

/** Whatever the reader does not read; thrown (one object, no stack) and caught at the top. */
const UNSURE = { unsure: true } as const;

/** A line that holds more than whitespace or a comment: its number (0-based), text and indentation. */
interface Line {
  index: number;
  text: string;
  indent: number;
}

function unsure(): never {
  throw UNSURE;
}

/**
 * Characters other than line breaks and the printable ones outside js-yaml's doubts: tabs, control
 * characters (NEL included), the other line breaks, a BOM, surrogates (an emoji too: js-yaml reads those
 * files), U+FFFE and U+FFFF. One character class, so the test is one quick scan.
 */
const NOT_PLAIN_TEXT = /[^\n\r\x20-\x7E\u00A0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD]/;

function contentLines(text: string): Line[] {
  if (NOT_PLAIN_TEXT.test(text) || (text.includes("\r") && /\r(?!\n)/.test(text))) unsure();
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

/**
 * `key` when it is simple (a letter or `_`, then letters, digits and `_./-`), not a word the core
 * schema reads as null or a boolean, not already in `entries`, and not `__proto__` (which js-yaml
 * defines rather than sets). Such a key is the same string to js-yaml and to yaml's tokens.
 */
function simpleKey(key: string, entries: ReadonlyArray<{ key: string }>): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    if (!letter && (i === 0 || !((c >= 48 && c <= 57) || c === 46 || c === 47 || c === 45))) unsure();
  }
  if (key.length === 0 || NOT_PLAIN_STRING.test(key) || key === "__proto__" || entries.some((e) => e.key === key)) unsure();
  return key;
}

/** Nesting deeper than any spec (the caller's depth limit is lower), left to the parsers and their limits. */
const MAX_NESTING = 64;

/** A flow collection opening at `i` and closing on the same line; returns it and the index past it. */
function flow(line: Line, i: number, depth: number): { node: PlainNode; end: number } {
  if (depth > MAX_NESTING) unsure();
  const text = line.text;
  const at = pos(line, i);
  const isMap = text[i] === "{";
  const close = isMap ? "}" : "]";
  const entries: Array<{ key: string; keyAt: Position; value: PlainNode }> = [];
  const items: PlainNode[] = [];
  i = skipSpaces(text, i + 1);
  while (text[i] !== close) {
    let keyAt: Position | undefined;
    let key: string | undefined;
    if (isMap) {
      const end = scalarEnd(text, i);
      if (text[end] !== ":" || text[end + 1] !== " ") unsure();
      keyAt = pos(line, i);
      key = simpleKey(text.slice(i, end), entries);
      i = skipSpaces(text, end + 1);
    }
    let value: PlainNode;
    if (text[i] === "{" || text[i] === "[") {
      const inner = flow(line, i, depth + 1);
      value = inner.node;
      i = inner.end;
    } else if (isQuote(text[i])) {
      const end = quotedEnd(text, i);
      value = quoted(line, i, end);
      i = end;
    } else {
      const end = scalarEnd(text, i);
      if (end === i || text[end] === ":") unsure();
      value = { kind: "scalar", at: pos(line, i), style: "plain", source: text.slice(i, end) };
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
  if (!plainStart(text, i, true) || text[i] === "{" || text[i] === "[") unsure();
  let j = i;
  for (; j < text.length; j++) {
    const c = text[j];
    if (c === "," || c === "}" || c === "]") break;
    if (c === ":" && (j + 1 === text.length || " ,[]{}".includes(text[j + 1]))) break;
    if (c === "#" || c === "{" || c === "[" || c === "'" || c === '"') unsure();
  }
  if (j === text.length) unsure();
  return trimSpaces(text, i, j);
}

/** `end` moved back over the spaces before it, not before `start` (js-yaml trims spaces and tabs only). */
function trimSpaces(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return end;
}

/** The quoted scalar from `i` to `end` (past its closing quote). */
function quoted(line: Line, i: number, end: number): PlainNode {
  return { kind: "scalar", at: pos(line, i), style: line.text[i] === "'" ? "single" : "double", source: line.text.slice(i + 1, end - 1) };
}

/** Reads the block structure of the content lines. */
function reader(lines: Line[]) {
  let next = 0;
  let depth = 0;

  /** A value written on the line from `i`, or on the lines below (deeper, or a list at `indent` under a key). */
  function value(line: Line, i: number, indent: number, underKey: boolean): PlainNode {
    const text = line.text;
    if (restIsBlank(text, i)) {
      const below = lines[next];
      if (below && below.indent > indent) return block(next, below.indent);
      if (below && underKey && below.indent === indent && isItem(below.text, below.indent)) return block(next, below.indent);
      return unsure();
    }
    if (text[i] === "{" || text[i] === "[") {
      const { node, end } = flow(line, i, depth);
      if (!restIsBlank(text, end)) unsure();
      return node;
    }
    if (isQuote(text[i])) {
      const end = quotedEnd(text, i);
      if (!restIsBlank(text, end)) unsure();
      return quoted(line, i, end);
    }
    if (!plainStart(text, i, false)) unsure();
    const comment = text.indexOf(" #", i);
    const source = text.slice(i, trimSpaces(text, i, comment < 0 ? text.length : comment));
    if (source.includes(": ") || source.endsWith(":")) unsure();
    return { kind: "scalar", at: pos(line, i), style: "plain", source };
  }

  /** A mapping or a list whose first entry starts at column `column` of line `k`. */
  function block(k: number, column: number): PlainNode {
    if (++depth > MAX_NESTING) unsure();
    const node = isItem(lines[k].text, column) ? seq(k, column) : map(k, column);
    depth -= 1;
    return node;
  }

  /** A mapping from `column` of line `k`, then of each following line at that indentation. */
  function map(k: number, column: number): PlainNode {
    const entries: Array<{ key: string; keyAt: Position; value: PlainNode }> = [];
    for (let line = lines[k]; ; line = lines[next]) {
      const end = keyEnd(line.text, column);
      if (end === undefined) return unsure();
      const key = simpleKey(line.text.slice(column, end), entries);
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
  function seq(k: number, column: number): PlainNode {
    const items: PlainNode[] = [];
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
    document(): PlainNode {
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

/** The structure of `text`, or undefined when it is not all in the plain style. */
export function readPlainStyle(text: string): PlainNode | undefined {
  try {
    return reader(contentLines(text)).document();
  } catch (error) {
    if (error === UNSURE) return undefined;
    throw error;
  }
}
