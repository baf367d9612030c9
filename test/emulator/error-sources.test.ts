import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { accessErrors } from "../../emulator/access-errors";
import { dpErrors, SOURCE_NAMES, SOURCES } from "../../emulator/service-errors";

const readme = fs.readFileSync(path.join(__dirname, "..", "..", "emulator", "README.md"), "utf8");

/** code → the source column of the README's rule table. */
const table = new Map<string, string>();
for (const line of readme.split("\n")) {
  const m = /^\| .* \| (.+) \| (.+) \|$/.exec(line);
  if (!m) continue;
  for (const code of m[1].matchAll(/`(\w+)`/g)) table.set(code[1], m[2].trim());
}

describe("the emulator's error codes", () => {
  it("every code the emulator sends has a source, and the README names the same one", () => {
    const sent = new Set<string>();
    for (const make of Object.values(dpErrors) as Array<(...args: never[]) => { code: string }>) sent.add(make(...([] as never[])).code);
    for (const make of Object.values(accessErrors)) sent.add(make({ principalId: "p", action: "a", scope: "/s" }).code);
    for (const code of sent) expect(SOURCES, code).toHaveProperty(code);
    for (const [code, source] of Object.entries(SOURCES)) {
      const label = SOURCE_NAMES[source.split(":")[0]];
      expect(table.get(code), `${code} in emulator/README.md`).toBeDefined();
      expect(table.get(code)!, code).toContain(source.startsWith("recording:") ? source.replace(":", " ") : label);
    }
  });
});
