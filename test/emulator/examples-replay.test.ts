import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { definitionFolder, loadDefinitions } from "../../api/definitions";
import type { CloudError, OperationResource } from "../../api/types";
import { API_VERSIONS, type ApiVersion } from "../../api/versions";
import { styleOf } from "../../emulator/service-style";
import { ROUTES } from "../../emulator/routes";
import type { RunningEmulator } from "../../emulator/server";
import { worldsDir } from "../../emulator/world";
import { call, expectDefinition, shapeOf, startTestEmulator, type HttpResult } from "./helpers";

/**
 * Replays each restore-related x-ms-example of each api-version (the project's copies under
 * api/definitions/stable/<version>/examples) against the emulator loaded with
 * emulator/worlds/examples.yaml: the example's request (path parameters and body) must get the
 * example's status, the response must have every field the example shows, and the response must be
 * valid, strictly, for the definition of that version. Long-running examples are followed to their
 * final 200 through the Location header, advancing the virtual clock.
 */

interface Example {
  parameters: Record<string, unknown> & { parameters?: unknown };
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

interface Case {
  version: ApiVersion;
  file: string;
  name: string;
  operationId: string;
  example: Example;
}

/** Example files and the operation naming them in `x-ms-examples` of the definitions. */
function cases(): Case[] {
  const out: Case[] = [];
  for (const version of API_VERSIONS) {
    const doc = loadDefinitions(version);
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops) as Array<{ operationId?: string; "x-ms-examples"?: Record<string, { $ref: string }> }>) {
        for (const ref of Object.values(op?.["x-ms-examples"] ?? {})) {
          const file = path.join(definitionFolder(version), ref.$ref);
          if (!fs.existsSync(file) || !op.operationId) continue;
          out.push({ version, file, name: path.relative(path.join(definitionFolder(version), "examples"), file), operationId: op.operationId, example: JSON.parse(fs.readFileSync(file, "utf8")) as Example });
        }
      }
    }
  }
  return out;
}

const ALL = cases();

/** Every field the example shows is in the response (arrays compared by the union of their items' fields). */
function missingFields(example: unknown, actual: unknown, at = ""): string[] {
  const e = shapeOf(example);
  const a = shapeOf(actual);
  const walk = (x: unknown, y: unknown, p: string): string[] => {
    if (Array.isArray(x)) return Array.isArray(y) ? walk(x[0], y[0], `${p}[]`) : [p];
    if (x && typeof x === "object") {
      if (!y || typeof y !== "object" || Array.isArray(y)) return [p];
      return Object.entries(x as Record<string, unknown>).flatMap(([k, v]) => (k in (y as Record<string, unknown>) ? walk(v, (y as Record<string, unknown>)[k], `${p}.${k}`) : [`${p}.${k}`]));
    }
    return [];
  };
  return walk(e, a, at);
}

function requestPath(c: Case): string {
  const route = ROUTES.find((r) => r.operationId === c.operationId);
  if (!route) throw new Error(`no route for ${c.operationId}`);
  const p = route.template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(c.example.parameters[name])));
  return `${p}?api-version=${c.version}`;
}

function methodOf(c: Case): string {
  return ROUTES.find((r) => r.operationId === c.operationId)?.method ?? "GET";
}

let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startTestEmulator({ world: path.join(worldsDir(), "examples.yaml") });
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(() => {
  emu.control.reset();
});

/** Known errors of the examples, each checked by its own test below. */
const EXAMPLE_ERRORS: Record<string, string> = {
  // resourceNameOverrides is a map (object) in the definition; the example writes a list of pairs
  "2026-06-01 BackupInstanceOperations/TriggerRestoreWithGenericParameters.json": "restoreTargetInfo.restoreCriteria[0].resourceSelectors.resourceNameOverrides: must be object",
};

/** Response fields an example shows that the emulator rightly leaves out. */
const EXAMPLE_EXTRAS: Record<string, string[]> = {
  // validation runs no job: the seeds' validate status has no jobId either
  ValidateRestore: [".jobId"],
  ValidateCrossRegionRestore: [".jobId"],
};

/**
 * Cross-region examples that break the emulator's cross-region rules as written (emulator/worlds/examples.yaml
 * says how): each is refused with the rule's code, then replayed corrected like any other example.
 */
const VAULT_SUBSCRIPTION = "04cf684a-d41f-4550-9f70-7708a3a2283b";
const EXAMPLE_CONFLICTS: Record<string, { code: string; correct(example: Example): void }> = {
  "CrossRegionRestore/FetchCrossRegionRestoreJobs.json": {
    // "east us" is the vault's own region; FetchCrossRegionRestoreJob calls its pair, "west us".
    code: "UserErrorInvalidSecondaryRegion",
    correct: (e) => void (e.parameters.location = "west us"),
  },
  ...Object.fromEntries(
    ["TriggerCrossRegionRestore", "ValidateCrossRegionRestore"].map((name) => [
      `CrossRegionRestore/${name}.json`,
      {
        // EastAsia is the vault's own region; the target is in another subscription than the vault's.
        code: "UserErrorInvalidSecondaryRegion",
        correct: (e: Example) => {
          e.parameters.location = "southeastasia";
          const target = (e.parameters.parameters as { restoreRequestObject: { restoreTargetInfo: unknown } }).restoreRequestObject;
          target.restoreTargetInfo = JSON.parse(JSON.stringify(target.restoreTargetInfo).replace(/\/subscriptions\/[^/]+\//g, `/subscriptions/${VAULT_SUBSCRIPTION}/`));
        },
      },
    ]),
  ),
};

function corrected(c: Case, correct: (example: Example) => void): Case {
  const example = JSON.parse(JSON.stringify(c.example)) as Example;
  correct(example);
  return { ...c, example };
}

/** The example as written is refused with `code`: at once (a fetch call), or as its operation's Failed status. */
async function expectRefused(c: Case, code: string): Promise<void> {
  const res = await call<CloudError>(emu, methodOf(c), requestPath(c), { body: c.example.parameters.parameters });
  if (res.status === 202) {
    const op = await call<OperationResource>(emu, "GET", String(res.headers["azure-asyncoperation"]));
    emu.control.advance(60);
    const done = await call<OperationResource>(emu, "GET", String(res.headers["azure-asyncoperation"]));
    expect(op.status).toBe(200);
    expect(done.body.status).toBe("Failed");
    expect(done.body.error?.code).toBe(code);
  } else {
    expect(res.status, res.text).toBe(400);
    expect(res.body.error?.code).toBe(code);
  }
}

test("every example of every api-version has a route", () => {
  expect(ALL.length).toBeGreaterThan(60);
  for (const c of ALL) expect(ROUTES.some((r) => r.operationId === c.operationId), `${c.version} ${c.name} (${c.operationId})`).toBe(true);
});

for (const version of API_VERSIONS.filter((v) => ALL.some((c) => c.version === v))) {
  describe(`examples of ${version}`, () => {
    for (const c of ALL.filter((x) => x.version === version)) {
      const key = `${version} ${c.name}`;
      const title = path.basename(c.name, ".json");
      if (EXAMPLE_ERRORS[key]) {
        test(`${c.name}: the example's body error is refused with 400 naming the path; corrected it is accepted`, async () => {
          const res = await call<CloudError>(emu, "POST", requestPath(c), { body: c.example.parameters.parameters });
          expect(res.status).toBe(400);
          expect(res.body.error?.message).toContain(EXAMPLE_ERRORS[key]);
          const body = JSON.parse(JSON.stringify(c.example.parameters.parameters)) as {
            restoreTargetInfo: { restoreCriteria: Array<{ resourceSelectors: { resourceNameOverrides: unknown } }> };
          };
          const selectors = body.restoreTargetInfo.restoreCriteria[0].resourceSelectors;
          selectors.resourceNameOverrides = Object.fromEntries((selectors.resourceNameOverrides as Array<{ sourceName: string; targetName: string }>).map((o) => [o.sourceName, o.targetName]));
          const ok = await call(emu, "POST", requestPath(c), { body });
          expect(ok.status).toBe(202);
          await expectFinal(c, ok, title);
        });
        continue;
      }
      const written = c;
      test(`${c.name} (${c.operationId})${EXAMPLE_CONFLICTS[c.name] ? ": refused as written, replayed corrected" : ""}`, async () => {
        const conflict = EXAMPLE_CONFLICTS[written.name];
        if (conflict) await expectRefused(written, conflict.code);
        const c = conflict ? corrected(written, conflict.correct) : written;
        const expected = Object.keys(c.example.responses).map(Number);
        const res = await call(emu, methodOf(c), requestPath(c), c.example.parameters.parameters !== undefined ? { body: c.example.parameters.parameters } : {});
        const route = ROUTES.find((r) => r.operationId === c.operationId)!;
        if (expected.includes(202) && route.method === "POST") {
          expect(res.status, res.text).toBe(202);
          const shown = Object.keys(c.example.responses["202"].headers ?? {}).map((h) => h.toLowerCase());
          // The service sends Retry-After only where the recorded exchanges show it (emulator/lro.ts); the examples always show one.
          for (const h of shown.filter((x) => styleOf(version).retryAfter || x !== "retry-after")) expect(res.headers, h).toHaveProperty(h);
          await expectFinal(c, res, title);
          return;
        }
        expect(res.status, res.text).toBe(200);
        const example200 = c.example.responses["200"].body;
        expect(missingFields(example200, res.body)).toEqual([]);
        if (route.responseDefinition) expectDefinition(version, route.responseDefinition, res.body);
        if (c.operationId === "BackupInstances_GetBackupInstanceOperationResult") expectDefinition(version, "BackupInstanceResource", res.body);
      });
    }
  });
}

/** Follows an accepted operation to its end and compares the final result with the example's 200. */
async function expectFinal(c: Case, accepted: HttpResult, title: string): Promise<void> {
  const status = String(accepted.headers["azure-asyncoperation"]);
  let op: HttpResult<OperationResource> | undefined;
  for (let i = 0; i < 50; i++) {
    op = await call<OperationResource>(emu, "GET", status);
    if (op.body.status?.toLowerCase() !== "inprogress") break;
    emu.control.advance(30);
  }
  expect(op?.body.status, JSON.stringify(op?.body)).toBe("Succeeded");
  expectDefinition(c.version, "OperationResource", op?.body);
  const final = await call(emu, "GET", String(accepted.headers.location));
  expect(final.status).toBe(200);
  const example200 = c.example.responses["200"]?.body;
  if (example200 !== undefined) {
    const allowed = EXAMPLE_EXTRAS[title] ?? [];
    expect(missingFields(example200, final.body).filter((m) => !allowed.includes(m))).toEqual([]);
    expectDefinition(c.version, "OperationJobExtendedInfo", final.body);
  }
}
