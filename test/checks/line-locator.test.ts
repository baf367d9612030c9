import { describe, expect, it } from "vitest";
import { generateSpecs } from "../../bench/specs";
import { lineLocator } from "../../language/line-locator";
import { parseCareful, parseSpecText } from "../../language/yaml";
import { compareWithCareful, EDGE_CASES, texts } from "./plain-corpus";

/**
 * A file the fast path read is positioned from one pass over its lines where it is in the plain block
 * style. Wherever the lines answer, they must answer as the composed document does; anything they are
 * unsure of goes to yaml's tokens.
 */
describe("positions from lines", () => {
  it("are the composed document's, wherever the lines answer", () => {
    // The common case is answered from the lines.
    expect(compareWithCareful(texts(), lineLocator, (got, want) => expect(got).toEqual(want), [[0]])).toBeGreaterThan(0.8);
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
