import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import * as jsYaml from "js-yaml";
import { generateSpecs } from "../../bench/specs";
import { parseCareful, tokenLocator } from "../../language/yaml";

/**
 * A file the fast path read is positioned from `yaml`'s tokens where they are plain, else from the
 * composed document. Wherever the tokens answer, they must answer as the composed document does.
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
];

function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const at = [...prefix, Array.isArray(value) ? Number(k) : k];
    return [at, ...paths(v, at)];
  });
}

describe("positions from tokens", () => {
  it("are the composed document's, wherever the tokens answer", () => {
    const texts = [
      ...yamlFiles(path.join(root, "restores")).map((f) => fs.readFileSync(f, "utf8")),
      ...yamlFiles(path.join(root, "test", "fixtures")).map((f) => fs.readFileSync(f, "utf8")),
      ...generateSpecs(800, { seed: 5 }).map((s) => s.text),
      ...EDGE_CASES,
    ];
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
      const tokens = tokenLocator(text);
      const all = paths(value).flatMap((p) => [p, [...p, "nosuchfield"], [...p, 7]]);
      for (const p of [[], ["nosuchfield"], ...all]) {
        for (const mode of ["key", "value"] as const) {
          asked += 1;
          const got = tokens.locate(p, mode);
          if (got === undefined) continue;
          answered += 1;
          expect({ path: p, mode, at: got }).toEqual({ path: p, mode, at: careful.locate(p, mode) });
        }
      }
    }
    // The common case is answered from the tokens.
    expect(answered / asked).toBeGreaterThan(0.9);
  });
});
