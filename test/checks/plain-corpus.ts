import * as fs from "fs";
import * as path from "path";
import { generateSpecs } from "../../bench/specs";
import { prng } from "../../emulator/faults";
import * as jsYaml from "js-yaml";
import { parseCareful } from "../../language/yaml";
import type { Position } from "../../language/position";

const root = path.join(__dirname, "..", "..");

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

export const EDGE_CASES = [
  "a: 1\nb:\n  c: [1, 2, {d: e}]\n  'quoted key': \"v\"\n  \"dq\\tkey\": x\n",
  "# comment\n\nkind: X # trailing\nspec:\n  # inside\n  list:\n  - a\n  -   b\n  - { k: v }\n  -\n    nested: 1\n",
  "spec:\n  text: |\n    line\n  folded: >-\n    more\n  empty:\n  tagged: !!str 12\n  1: number key\n  true: bool key\n  null: null key\n",
  "spec: { a: 1, b, c: }\n",
  "spec:\n  ? explicit\n  : value\n",
  "spec: [a, b: c, ]\n",
  "spec:\n  - [1, 2]\n  - [[3]]\n",
  "apiVersion: azure-restores/v1\nkind: BlobRestore\nmetadata: {name: x}\nspec:\n  items:\n    ranges:\n      - { from: a, to: b }\n      - {from: c,to: d}\n",
  // comments where they may end a block, or continue a scalar
  "spec:\n  a: 1\n# out of line\n  b: 2\n",
  "spec:\n  a: plain\n    # deeper comment\n  b: 2\n",
  "spec: # on the key\n  a: 1\n",
  "spec:\n  list: # on the key\n  - a\n  - b # after\n  c: d#not a comment\n",
  "spec:\n  url: https://example.com/a#frag\n  time: 2021-07-01T00:00:00Z\n  text: a, b and [c]\n",
  // a list at the key's indentation, lists of lists, mappings in lists
  "spec:\n- a\n- b\nnext: 1\n",
  "spec:\n  - - a\n    - b\n  - - c\n",
  "spec:\n  - a: 1\n    b: 2\n  - c: 3\n    d:\n      e: 4\n    f:\n    - g\n",
  "spec:\n  -   a: 1\n      b: [x, y]\n",
  // flow style: nested, spaced, trailing commas, empty, JSON-like
  "spec: {a: {b: [1, {c: d}]}, e: []}\n",
  "spec: { a: [ x , y ], b: { } , c: z, }\n",
  "spec: {\"a\": 1}\n",
  "spec: [a, b,]\n",
  "spec: {a: b}   # trailing\nnext: [1]\n",
  "spec: {a: b} x\n",
  "spec: {a: 1,\n  b: 2}\n",
  "spec: [a\n  , b]\n",
  "spec: {a:b}\n",
  "spec: {a: b:c, d: https://x.example/y?z=1, e: f:}\n",
  "spec: [a:b, c:, d]\n",
  "spec: {a: b:c, d: https://x.example/y?z=1}\n",
  "spec: {a: b:, c: d}\n",
  "spec: { a : b }\n",
  // anchors, aliases, tags
  "base: &b\n  a: 1\nspec: *b\n",
  "spec:\n  a: &x 1\n  b: *x\n",
  "spec: !!map\n  a: 1\n",
  "spec:\n  a: !!str 1\n",
  // quoted keys and values
  "'spec':\n  a: 1\n",
  "spec:\n  'a': 1\n  \"b\": \"two\"\n  c: 'three'\n",
  "spec:\n  a: 'multi\n    line'\n",
  // plain scalars over several lines, empty values
  "spec:\n  a: one\n    two\n  b: 1\n",
  "spec:\n  - one\n    two\n",
  "spec:\n  a:\n  b: 1\n",
  "spec:\n  -\n  - b\n",
  "spec:\n  a: value: more\n",
  "spec:\n  a: -1\n  b: - x\n",
  // CR, tabs, BOM, markers, indentation
  "spec:\r\n  a: 1\r\n  b: [x, y]\r\n",
  "spec:\r\n  a: 1\r\n\r\n  # c\r\n  b:\r\n  - x # y\r\n",
  "spec:\n  a: 1\r  b: 2\n",
  "spec:\n  a:\t1\n",
  "spec:\n\ta: 1\n",
  "---\nspec:\n  a: 1\n",
  "spec:\n  a: 1\n...\n",
  "%YAML 1.2\n---\nspec: 1\n",
  "  spec:\n    a: 1\n",
  "spec:\n    a: 1\n    b:\n        c: 2\n",
  "spec:\n  a: 1\n   b: 2\n",
  "spec: 1\nspec2:\n\n\n  deep: 2\n\n",
  "spec:\n  key with spaces: 1\n  k.e/y-1: 2\n  _x: 3\n",
  "spec:\n  Null: 1\n  true_ish: 2\n  ~: 3\n",
  "spec:\n  a: ünïcödé\n  b: 😀 x\n  c: [😀, b]\n",
  "spec:\n  a: {b: 'q'}\n",
  "spec:\n  a: \"x \\\" # y\"  # c\n  b: 'it''s: # no'\n  c: [\"a, b\", 'c']\n  d: x\n",
  "spec:\n  d: \"open\n    close\"\n  e: 1\n",
  "spec:\n  a: \"x\" y\n",
  "spec:\n  a: [\"x\": y]\n",
  "spec:\n  a: [b, \"q\"]\n",
  "spec:\n  a: [b # c\n    ]\n",
  "- a\n- b: 1\n",
  // scalars the core schema reads as numbers, booleans or null; strings that only look like them
  "spec:\n  a: 12\n  b: -3\n  c: 0x1F\n  d: 0o17\n  e: 1_000\n  f: 1.5e3\n  g: .inf\n  h: -.Inf\n  i: .NaN\n  j: 007\n  k: +12\n  l: 0b101\n",
  "spec:\n  a: true\n  b: False\n  c: TRUE\n  d: yes\n  e: ~\n  f: null\n  g: NULL\n  h: nULL\n  i: on\n  j: 2021-07-01\n  k: 2021-07-01T00:00:00Z\n  l: 12:30\n",
  "spec: [1, -2, 0x10, true, null, ~, .5, 1e3, x1, 1x, 00, -0, +.inf, 12:30]\n",
  "spec: {a: 1, b: true, c: ~, d: 1.0, e: -0.0, f: 0.}\n",
  "spec:\n  a: '1'\n  b: \"true\"\n  c: ''\n  d: \"\"\n  e: 'a''b'\n  f: ' padded '\n  g: \"x\\ny\"\n",
  "spec:\n  a: x\u00a0\n  b: y \u3000\n  c: \u00a0z\n",
  "spec:\n  __proto__: 1\n",
  "spec:\n  _1: 1\n  a_: 2\n  A1: 3\n  a.b: 4\n  a/b: 5\n  a-b: 6\n",
  "spec:\n  a: 1\n  a: 2\n",
  "spec: {a: 1, a: 2}\n",
  "spec:\n  a: x\u0007\n",
  "spec:\n  a: x\u0085y\n",
  "spec:\n  a: x\u2028y\n",
  "spec:\n  a: x y  z   \n  b: 'q'   \n",
  "spec:\n  a: ---\n  b: ...\n  c: a --- b\n",
  "spec:\n  a: x:y\n  b: x::\n  c: '#'\n  d: a#b\n  e: :x\n",
  "scalar only\n",
];

/** Specs in the varied styles a person writes them in, from the generated ones. */
function restyled(text: string, r: () => number): string {
  let out = text;
  if (r() < 0.3) out = out.replace(/\n(\s+)(\w+):/g, (m, indent: string, key: string) => (r() < 0.2 ? `\n${indent}# note\n${indent}${key}:` : m));
  if (r() < 0.3) out = out.replace(/: (\S+)\n/g, (m, v: string) => (r() < 0.2 ? `: ${v} # why\n` : r() < 0.1 ? `:   ${v}\n` : m));
  if (r() < 0.2) out = out.replace(/\{ /g, "{").replace(/ \}/g, "}");
  if (r() < 0.1) out = out.replace(/\n/g, "\r\n");
  if (r() < 0.1) out = out.replace(/: (\S+)\n/, ": '$1'\n");
  if (r() < 0.1) out = out.replace(/\n {2}(\w+):/, "\n  \"$1\":");
  if (r() < 0.1) out = out.replace(/\n {4}/, "\n\t");
  if (r() < 0.1) out = `---\n${out}`;
  if (r() < 0.2) out = out.replace(/\n {2}- /g, "\n-   ");
  return out;
}


/** A spec with one slip of the keyboard: a character dropped, doubled or typed in, a line moved in or out. */
function mutated(text: string, r: () => number): string {
  const at = Math.floor(r() * text.length);
  const typed = [" ", ":", "-", "#", "'", '"', "{", "}", "[", "]", ",", "\n", "a", "0", "\t", "\r", ".", "~", "?", "|", "\\", "é"][Math.floor(r() * 22)];
  switch (Math.floor(r() * 5)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + text[at] + text.slice(at);
    case 2:
      return text.slice(0, at) + typed + text.slice(at);
    case 3:
      return text.slice(0, at) + typed + " " + text.slice(at);
    default: {
      const lines = text.split("\n");
      const k = Math.floor(r() * lines.length);
      lines[k] = r() < 0.5 ? ` ${lines[k]}` : lines[k].replace(/^ /, "");
      return lines.join("\n");
    }
  }
}

/** The files read by the tests of the plain style: examples, fixtures, generated, restyled and broken specs, edge cases. */
export function texts(): string[] {
  const r = prng(3);
  const generated = generateSpecs(1500, { seed: 9 }).map((s) => s.text);
  return [
    ...yamlFiles(path.join(root, "restores")).map((f) => fs.readFileSync(f, "utf8")),
    ...yamlFiles(path.join(root, "test", "fixtures")).map((f) => fs.readFileSync(f, "utf8")),
    ...generated,
    ...generated.slice(0, 600).map((t) => restyled(t, r)),
    ...generated.map((t) => mutated(t, r)),
    ...generated.map((t) => mutated(mutated(t, r), r)),
    ...EDGE_CASES,
  ];
}

/** Every path to a value of a parsed document, in document order. */
export function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const at = [...prefix, Array.isArray(value) ? Number(k) : k];
    return [at, ...paths(v, at)];
  });
}

type Path = Array<string | number>;

/**
 * Asks a fast locator where every path of each parseable text is (and some that are not there), in
 * both modes, and hands each answer it gives with the careful parse's to `same`; returns the share of
 * questions it answered.
 */
export function compareWithCareful(texts: string[], locatorOf: (text: string) => { locate(p: Path, mode: "key" | "value"): Position | undefined }, same: (got: object, want: object) => void, extra: Path[] = []): number {
  let answered = 0;
  let asked = 0;
  for (const text of texts) {
    let value: unknown;
    try {
      value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
    } catch {
      continue;
    }
    const careful = parseCareful("x.yaml", text).parsed;
    if (!careful) continue;
    const fast = locatorOf(text);
    const all = paths(value).flatMap((p) => [p, [...p, "nosuchfield"], [...p, 7], ...extra.map((e) => [...p, ...e])]);
    for (const p of [[], ["nosuchfield"], ...extra, ...all]) {
      for (const mode of ["key", "value"] as const) {
        asked += 1;
        const got = fast.locate(p, mode);
        if (got === undefined) continue;
        answered += 1;
        same({ text, path: p, mode, at: got }, { text, path: p, mode, at: careful.locate(p, mode) });
      }
    }
  }
  return answered / asked;
}
