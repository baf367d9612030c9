/**
 * Hostile input: each file of test/fixtures/hostile (plus a 10 MB file made here) gets a clear,
 * positioned error and no stack trace, and not one HTTP request reaches the API, whether it goes
 * through `validate`, `render` against the API, or the Pulumi program.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main";
import type { CliIO } from "../../cli/io";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { backupInstancePath, vaultPath } from "../../client";
import { BV, call } from "../emulator/helpers";
import { runProgram } from "../../harness/engine";

const root = path.join(__dirname, "..", "..");
const corpus = path.join(root, "test", "fixtures", "hostile");

/** What each hostile file must be refused for. */
const expected: Record<string, string[]> = {
  "not-yaml.yaml": ["SpecYamlSyntax"],
  "duplicate-keys.yaml": ["SpecDuplicateKey"],
  "alias-bomb.yaml": ["SpecYamlAliases"],
  "deep-nesting.yaml": ["SpecTooDeep"],
  "wrong-types.yaml": ["SpecWrongType"],
  "unknown-fields.yaml": ["SpecUnknownField"],
  "name-traversal.yaml": ["SpecInvalidValue"],
  "name-percent-encoded.yaml": ["SpecInvalidValue"],
  "name-spaces.yaml": ["SpecInvalidValue"],
  "unicode-lookalike.yaml": ["SpecInvalidValue"],
  "arm-extra-segments.yaml": ["SpecInvalidValue"],
  "arm-other-provider.yaml": ["SpecInvalidValue"],
  "secret-uri-http.yaml": ["SpecInvalidValue"],
  "secret-uri-not-key-vault.yaml": ["SpecInvalidValue"],
  "huge.yaml": ["SpecTooLarge"],
};

let emulator: RunningEmulator;
let scratch: string;

function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} };
  return main(argv, io).then((code) => ({ code, out, err }));
}

function files(): string[] {
  return [...fs.readdirSync(corpus).filter((f) => !f.startsWith("name-clash")).map((f) => path.join(corpus, f)), path.join(scratch, "huge.yaml")];
}

beforeAll(async () => {
  emulator = await startEmulator({ strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-"));
  const line = `# ${"x".repeat(1022)}\n`;
  fs.writeFileSync(path.join(scratch, "huge.yaml"), line.repeat(10 * 1024));
});

afterAll(async () => {
  await emulator?.stop();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("every hostile file", () => {
  it("the corpus is complete", () => {
    expect(Object.keys(expected).sort()).toEqual(files().map((f) => path.basename(f)).sort());
    expect(fs.statSync(path.join(scratch, "huge.yaml")).size).toBeGreaterThanOrEqual(10 * 1024 * 1024);
  });

  for (const name of Object.keys(expected)) {
    it(`${name}: refused with a positioned error, no stack trace, no HTTP request`, async () => {
      const file = name === "huge.yaml" ? path.join(scratch, name) : path.join(corpus, name);
      const validated = await run(["validate", "--json", file]);
      expect(validated.code).toBe(1);
      const report = JSON.parse(validated.out) as { problems: Array<{ code: string; file: string; line: number; column: number; message: string; remedy?: string }> };
      expect(report.problems.map((p) => p.code)).toEqual(expect.arrayContaining(expected[name]));
      for (const p of report.problems) {
        expect(path.resolve(p.file)).toBe(file);
        expect(p.line).toBeGreaterThanOrEqual(1);
        expect(p.column).toBeGreaterThanOrEqual(1);
        expect(p.remedy, p.message).toBeTruthy();
      }

      emulator.control.clearRequestLog();
      const rendered = await run(["render", file, "--endpoint", emulator.url, "--credential", "emulator", "--ca", emulator.caCertPath]);
      expect(rendered.code).toBe(1);
      expect(rendered.err).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+  `));
      for (const text of [validated.out, validated.err, rendered.out, rendered.err]) expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      expect(emulator.control.requestLog()).toEqual([]);
    });
  }

  it("two specs with the same name are refused together, pointing at both", async () => {
    const r = await run(["validate", path.join(corpus, "name-clash-a.yaml"), path.join(corpus, "name-clash-b.yaml")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/name-clash-b\.yaml:\d+:\d+  metadata\.name  metadata\.name 'same-name' is already used by .*name-clash-a\.yaml:\d+/);
  });

  it("the program registers nothing and sends nothing for the corpus", () => {
    const dir = fs.mkdtempSync(path.join(root, ".test-specs-"));
    try {
      for (const f of fs.readdirSync(corpus)) fs.copyFileSync(path.join(corpus, f), path.join(dir, f));
      emulator.control.clearRequestLog();
      const program = runProgram({ "azure-restores:specs": path.basename(dir), "azure-restores:endpoint": emulator.url });
      expect(program.registrations).toEqual([]);
      expect(program.error).toMatch(/problems in the restore specs; nothing was registered/);
      for (const name of Object.keys(expected).filter((n) => n !== "huge.yaml")) expect(program.error).toContain(name);
      expect(program.error).toContain("already used by");
      expect(emulator.control.requestLog()).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("names placed in URL paths", () => {
  it("are encoded by the client, so no name can add a path segment", () => {
    const path = backupInstancePath({ subscriptionId: "s", resourceGroup: "rg/../../x", vault: "v%2F", name: "a b?c#d" });
    expect(path).toBe("/subscriptions/s/resourceGroups/rg%2F..%2F..%2Fx/providers/Microsoft.DataProtection/backupVaults/v%252F/backupInstances/a%20b%3Fc%23d");
    for (const name of ["..", ".", ""]) expect(() => vaultPath({ subscriptionId: "s", resourceGroup: name, vault: "v" })).toThrow(/is not a resource name/);
  });

  it("and the emulator refuses names that are not resource names", async () => {
    const r = await call(emulator, "GET", `${BV}/backupInstances/a%2F..%2Fb?api-version=2021-07-01`);
    expect(r.status).toBe(400);
  });
});
