import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as jsYaml from "js-yaml";
import { compileValidators, loadStandalone, standaloneSource, type CheckValidators } from "../../checks/validators";
import { generateSpecs } from "../../bench/specs";

/**
 * A build checks specs with the ajv standalone code `npm run build` writes (checks/precompile.ts), the
 * tests with validators compiled from the same schemas: the two must find the same errors, to the
 * schema they quote.
 */
const root = path.join(__dirname, "..", "..");
let dir: string;
let standalone: CheckValidators;
const compiled = compileValidators();

beforeAll(() => {
  // Inside the repository, so the standalone code finds ajv's runtime in node_modules.
  dir = fs.mkdtempSync(path.join(root, ".validators-test-"));
  const file = path.join(dir, "validators.standalone.js");
  fs.writeFileSync(file, standaloneSource());
  standalone = loadStandalone(file)!;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function load(text: string): unknown {
  return jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
}

/** Every spec of restores/, and each with one field broken in the ways a pull request breaks one. */
function corpus(): unknown[] {
  const out: unknown[] = [];
  const examples = fs.readdirSync(path.join(root, "restores")).filter((f) => f.endsWith(".yaml")).map((f) => load(fs.readFileSync(path.join(root, "restores", f), "utf8")));
  const mutate = (value: unknown, at: Array<string | number>, replace: (old: unknown) => unknown): unknown => {
    const copy = structuredClone(value) as Record<string | number, unknown>;
    let node = copy;
    for (const segment of at.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
    const last = at[at.length - 1];
    const next = replace(node[last]);
    if (next === undefined) delete node[last];
    else node[last] = next;
    return copy;
  };
  const paths = (value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> =>
    value && typeof value === "object" ? Object.entries(value).flatMap(([k, v]) => [[...prefix, Array.isArray(value) ? Number(k) : k], ...paths(v, [...prefix, Array.isArray(value) ? Number(k) : k])]) : [];
  for (const example of examples) {
    out.push(example);
    for (const at of paths(example)) {
      out.push(mutate(example, at, () => 42));
      out.push(mutate(example, at, () => "Not-Valid value"));
      out.push(mutate(example, at, () => ({ unexpected: true })));
      out.push(mutate(example, at, () => []));
      out.push(mutate(example, at, () => undefined));
      out.push(mutate(example, at, (old) => (old && typeof old === "object" && !Array.isArray(old) ? { ...old, recoveryPiont: "latest" } : old)));
    }
  }
  for (const spec of generateSpecs(400, { seed: 3 })) {
    try {
      out.push(load(spec.text));
    } catch {
      // the broken YAML of the mix: no value to check
    }
  }
  out.push(null, 1, "text", [], {}, { kind: "NoSuchKind" });
  return out;
}

describe("the build's standalone validators", () => {
  it("are current for these schemas (else the build would compile them)", () => {
    expect(standalone).toBeDefined();
  });

  it("find what the compiled validators find, error for error", () => {
    const values = corpus();
    expect(values.length).toBeGreaterThan(1000);
    let failing = 0;
    for (const value of values) {
      const a = compiled.spec(value);
      const b = standalone.spec(value);
      expect(b).toBe(a);
      expect(standalone.spec.errors ?? null).toEqual(compiled.spec.errors ?? null);
      if (!a) failing += 1;
    }
    expect(failing).toBeGreaterThan(500);
  });

  it("check a policy file alike", () => {
    for (const value of [
      { apiVersion: "azure-restores/v1", kind: "RestorePolicy", rules: { requireTicket: true } },
      { apiVersion: "azure-restores/v1", kind: "RestorePolicy", rules: { allowedSubscriptions: ["nope"], grantAccess: "sometimes", extra: 1 } },
      { kind: "RestorePolicy" },
    ]) {
      expect(standalone.policy(value)).toBe(compiled.policy(value));
      expect(standalone.policy.errors ?? null).toEqual(compiled.policy.errors ?? null);
    }
  });

  it("are not used when generated from other schemas", () => {
    const file = path.join(dir, "stale.js");
    fs.writeFileSync(file, standaloneSource().replace(/exports\.fingerprint = "[0-9a-f]+"/, 'exports.fingerprint = "0"'));
    expect(loadStandalone(file)).toBeUndefined();
    expect(loadStandalone(path.join(dir, "missing.js"))).toBeUndefined();
  });
});
