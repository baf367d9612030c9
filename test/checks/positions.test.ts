import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { generateSpecs } from "../../bench/specs";
import { parseCareful, tokenLocator } from "../../language/yaml";
import { compareWithCareful, EDGE_CASES } from "./plain-corpus";

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
    // The common case is answered from the tokens.
    expect(compareWithCareful(texts, tokenLocator, (got, want) => expect(got).toEqual(want))).toBeGreaterThan(0.9);
  });
});
