import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import * as jsYaml from "js-yaml";
import { generateSpecs } from "../../bench/specs";
import { prng } from "../../emulator/faults";
import { lineLocator } from "../../language/line-locator";
import { parseCareful, parseSpecText } from "../../language/yaml";

/**
 * A file the fast path read is positioned from one pass over its lines where it is in the plain block
 * style. Wherever the lines answer, they must answer as the composed document does; anything they are
 * unsure of goes to yaml's tokens.
 */
const root = path.join(__dirname, "..", "..");

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

const EDGE_CASES = [
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

function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const at = [...prefix, Array.isArray(value) ? Number(k) : k];
    return [at, ...paths(v, at)];
  });
}

function texts(): string[] {
  const r = prng(3);
  const generated = generateSpecs(1500, { seed: 9 }).map((s) => s.text);
  return [
    ...yamlFiles(path.join(root, "restores")).map((f) => fs.readFileSync(f, "utf8")),
    ...yamlFiles(path.join(root, "test", "fixtures")).map((f) => fs.readFileSync(f, "utf8")),
    ...generated,
    ...generated.slice(0, 600).map((t) => restyled(t, r)),
    ...EDGE_CASES,
  ];
}

describe("positions from lines", () => {
  it("are the composed document's, wherever the lines answer", () => {
    let answered = 0;
    let asked = 0;
    for (const text of texts()) {
      let value: unknown;
      try {
        value = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
      } catch {
        continue;
      }
      const careful = parseCareful("x.yaml", text).parsed;
      if (!careful) continue;
      const lines = lineLocator(text);
      const all = paths(value).flatMap((p) => [p, [...p, "nosuchfield"], [...p, 7], [...p, 0]]);
      for (const p of [[], ["nosuchfield"], [0], ...all]) {
        for (const mode of ["key", "value"] as const) {
          asked += 1;
          const got = lines.locate(p, mode);
          if (got === undefined) continue;
          answered += 1;
          expect({ text, path: p, mode, at: got }).toEqual({ text, path: p, mode, at: careful.locate(p, mode) });
        }
      }
    }
    // The common case is answered from the lines.
    expect(answered / asked).toBeGreaterThan(0.8);
  });

  it("answers for the generated specs, and leaves what it does not read to the tokens", () => {
    for (const s of generateSpecs(200, { seed: 4 })) {
      if (s.variant === "bad-yaml") continue;
      expect(lineLocator(s.text).locate(["spec"], "value"), s.text).toBeDefined();
    }
    for (const text of ["spec:\n  'a': 1\n", "spec:\r  a: 1\r", "spec:\n  a: one\n    two\n", "spec: {a: 1,\n  b: 2}\n", "spec:\n  a:\t1\n", "spec:\n  a:\n  b: 1\n"]) {
      expect(lineLocator(text).locate(["spec", "a"], "value"), text).toBeUndefined();
    }
  });

  it("positions the problems of a parsed file as the careful parse does", () => {
    for (const text of EDGE_CASES) {
      const fast = parseSpecText("x.yaml", text).parsed;
      const careful = parseCareful("x.yaml", text).parsed;
      if (!fast || !careful) continue;
      for (const p of [[], ["spec"], ["spec", "a"], ["spec", "a", "b"], ["spec", 0], ["spec", 1, "b"], ["nosuchfield"]]) {
        for (const mode of ["key", "value"] as const) expect({ text, p, mode, at: fast.locate(p, mode) }).toEqual({ text, p, mode, at: careful.locate(p, mode) });
      }
    }
  });
});
