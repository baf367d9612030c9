import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyValidatorSource, definitionJsonSchema, loadBodyValidator, PRECOMPILED_BODIES } from "../../api/schema";
import { API_VERSIONS, DEFAULT_API_VERSION, type ApiVersion } from "../../api/versions";
import { generateSpecs, offlineFacts } from "../../bench/specs";
import { checkParsedSpecs, parseSpecText } from "../../checks";
import { planRestore } from "../../plan";
import type { ValidateFunction } from "ajv";

/**
 * A build checks request bodies with validators it precompiled (checks/precompile.ts); the tests compile
 * them from the same definitions. Both must find the same errors.
 */
const root = path.join(__dirname, "..", "..");
let dir: string;

beforeAll(() => {
  // Inside the repository, so the standalone code finds ajv's runtime; "../api/schema" from a folder of the root.
  dir = fs.mkdtempSync(path.join(root, ".body-validators-test-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function standaloneFor(version: ApiVersion, definition: string): ValidateFunction {
  const { fileName, source } = bodyValidatorSource(version, definition, { strict: true }, path.join(root, "api", "schema"));
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, source);
  const loaded = loadBodyValidator(file, definitionJsonSchema(version, definition, { strict: true }));
  expect(loaded).toBeDefined();
  return loaded!;
}

/** Bodies the plans of the bench's specs send, each also broken field by field. */
function bodies(version: ApiVersion): Record<(typeof PRECOMPILED_BODIES)[number], unknown[]> {
  const facts = offlineFacts() as unknown as Record<"blob" | "pg", Parameters<typeof planRestore>[1]>;
  const out = { ValidateRestoreRequestObject: [] as unknown[], AzureBackupRestoreRequest: [] as unknown[] };
  for (const s of generateSpecs(60, { seed: 9, validOnly: true })) {
    const parsed = parseSpecText(`${s.name}.yaml`, s.text).parsed!;
    const spec = checkParsedSpecs([parsed], { apiVersion: version, now: new Date("2026-01-01T00:00:00Z") }).specs[0]?.spec;
    if (!spec) continue;
    const plan = planRestore(spec, facts[s.facts], { apiVersion: version });
    if (!plan.ok) continue;
    out.ValidateRestoreRequestObject.push(plan.value.validateRequest);
    out.AzureBackupRestoreRequest.push(plan.value.restoreRequest);
  }
  const broken = (body: unknown): unknown[] => {
    const variants: unknown[] = [];
    const walk = (node: unknown, at: string[]) => {
      if (!node || typeof node !== "object") return;
      for (const key of Object.keys(node)) {
        for (const replacement of [42, "NotAValue", { extra: 1 }, undefined]) {
          const copy = structuredClone(body) as Record<string, unknown>;
          let target = copy;
          for (const k of at) target = target[k] as Record<string, unknown>;
          if (replacement === undefined) delete target[key];
          else target[key] = replacement;
          variants.push(copy);
        }
        walk((node as Record<string, unknown>)[key], [...at, key]);
      }
    };
    walk(body, []);
    return variants;
  };
  for (const key of PRECOMPILED_BODIES) out[key] = [...out[key], ...out[key].slice(0, 6).flatMap(broken), null, {}, { objectType: "NoSuchType" }];
  return out;
}

describe("the build's precompiled body validators", () => {
  for (const version of [API_VERSIONS[0], "2024-04-01", DEFAULT_API_VERSION] as ApiVersion[]) {
    it(`find what the compiled ones find (${version})`, async () => {
      const { bodyValidator } = await import("../../api/schema");
      const corpus = bodies(version);
      for (const definition of PRECOMPILED_BODIES) {
        const compiled = bodyValidator(version, definition, { strict: true });
        const standalone = standaloneFor(version, definition);
        expect(corpus[definition].length).toBeGreaterThan(50);
        let failing = 0;
        for (const body of corpus[definition]) {
          const ok = compiled(body);
          expect(standalone(body)).toBe(ok);
          expect(standalone.errors ?? null).toEqual(compiled.errors ?? null);
          if (!ok) failing += 1;
        }
        expect(failing).toBeGreaterThan(20);
      }
    });
  }

  it("are not used when generated from other definitions", () => {
    const { fileName, source } = bodyValidatorSource(DEFAULT_API_VERSION, "AzureBackupRestoreRequest", { strict: true }, path.join(root, "api", "schema"));
    const file = path.join(dir, `other-${fileName}`);
    fs.writeFileSync(file, source);
    expect(loadBodyValidator(file, definitionJsonSchema("2021-07-01", "AzureBackupRestoreRequest", { strict: true }))).toBeUndefined();
    expect(loadBodyValidator(path.join(dir, "missing.js"), {})).toBeUndefined();
  });
});
