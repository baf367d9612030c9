import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import * as jsYaml from "js-yaml";
import { generateSpecs } from "../../bench/specs";
import { parseCareful, tokenLocator } from "../../language/yaml";
import { EDGE_CASES, paths } from "./plain-corpus";

/**
 * A file the fast path read is positioned from `yaml`'s tokens where they are plain, else from the
 * composed document. Wherever the tokens answer, they must answer as the composed document does.
 */
const root = path.join(__dirname, "..", "..");

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
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
