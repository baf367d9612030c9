import { describe, expect, it } from "vitest";
import * as jsYaml from "js-yaml";
import { generateSpecs } from "../../bench/specs";
import { readPlainStyle } from "../../language/plain-style";
import { plainValue } from "../../language/plain-value";
import { EDGE_CASES, texts } from "./plain-corpus";

/**
 * A file in the plain style is read from its lines instead of by js-yaml. Wherever the lines give a
 * value, js-yaml must read the file without error, as the same value (types, key order, -0 and NaN
 * included); anything else is js-yaml's to read.
 */
function fromLines(text: string): { value: unknown } | undefined {
  const plain = readPlainStyle(text);
  return plain && plainValue(plain);
}

function jsYamlValue(text: string): { value: unknown } | { error: string } {
  try {
    return { value: jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Key order too: the value as JSON, with the numbers JSON cannot write spelled out. */
function ordered(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? "-0" : v));
}

describe("values from lines", () => {
  it("are js-yaml's, wherever the lines give one", () => {
    let read = 0;
    let all = 0;
    for (const text of texts()) {
      all += 1;
      const lines = fromLines(text);
      if (!lines) continue;
      read += 1;
      const expected = jsYamlValue(text);
      expect({ text, ...lines }).toStrictEqual({ text, ...expected });
      expect(ordered(lines.value)).toBe(ordered((expected as { value: unknown }).value));
    }
    // Most files are in the plain style.
    expect(read / all).toBeGreaterThan(0.6);
  });

  it("reads every generated spec that js-yaml reads, numbers and quoted strings included", () => {
    for (const s of generateSpecs(300, { seed: 12 })) {
      if (s.variant === "bad-yaml") continue;
      expect(fromLines(s.text), s.text).toBeDefined();
    }
    const typed = fromLines(EDGE_CASES.find((t) => t.includes("0x1F"))!);
    expect(typed?.value).toStrictEqual({ spec: { a: 12, b: -3, c: 31, d: 15, e: "1_000", f: 1500, g: Infinity, h: -Infinity, i: NaN, j: 7, k: 12, l: 5 } });
  });

  it("leaves to js-yaml what it would need more than the lines to read", () => {
    for (const text of ["spec:\n  a: \"x\\ny\"\n", "spec:\n  __proto__: 1\n", "spec:\n  a: 1\n  a: 2\n", "spec:\n  a: x\u0007\n", "spec:\n  a: one\n    two\n"]) {
      expect(fromLines(text), text).toBeUndefined();
    }
  });
});
