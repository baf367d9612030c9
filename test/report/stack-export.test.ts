import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parseStackExport, isDrillResource, DRILL_TYPE } from "../../report/stack-export";

const FIXTURE = path.join(__dirname, "..", "fixtures", "stack-exports", "drills.json");
const text = fs.readFileSync(FIXTURE, "utf8");
const fixture = () => JSON.parse(text);
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "AAAA" };

function parse(doc: unknown, source = "stack.json") {
  return parseStackExport(typeof doc === "string" ? doc : JSON.stringify(doc), source);
}

function problemsOf(doc: unknown) {
  const r = parse(doc);
  if (r.ok) throw new Error("expected problems");
  return r.problems;
}

/** The fixture with the resources `keep` keeps. */
function withResources(keep: (r: { type: string; urn: string }) => boolean, change?: (r: any) => void) {
  const doc = fixture();
  doc.deployment.resources = doc.deployment.resources.filter(keep);
  if (change) doc.deployment.resources.forEach(change);
  return doc;
}

describe("reading a pulumi stack export", () => {
  it("finds the two drills with their runs, the restore, the stack and when it was exported", () => {
    const r = parse(text, FIXTURE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const e = r.value;
    expect({ stack: e.stack, project: e.project, exportedAt: e.exportedAt, source: e.source }).toEqual({ stack: "drills", project: "restore-drills", exportedAt: "2026-11-23T05:48:31.227104913Z", source: FIXTURE });
    expect(e.drills.map((d) => [d.name, d.lastWindow, d.runs.map((run) => run.window)])).toEqual([
      ["pg-dumps-as-files", 5, [5, 4, 3]],
      ["pg-orders-weekly", 7, [7, 6, 5, 4]],
    ]);
    expect(e.drills[1].runs[0].restores.map((x) => x.backupInstanceId.split("/").pop())).toEqual(["pgprod-inventory-5f3a1c", "pgprod-orders-5f3a1c"]);
    expect(e.drills[1].runs[0].restores[0]).toMatchObject({ kind: "PostgreSQLRestore", rpoSeconds: 3708, rto: { validateSeconds: 9.95, jobSeconds: 1802.7, verifySeconds: 2.3, totalSeconds: 1814.95 }, passed: true });
    expect(e.drills[0].runs[2].restores[0].error).toEqual({ code: "UserErrorContainerNotAccessible", message: expect.stringContaining("not accessible") });
    expect(e.drills.every((d) => d.secretFields.length === 0)).toBe(true);
    // The restore's request is secret; the fields the report shows are not.
    expect(e.restores).toEqual([
      { urn: expect.stringContaining("::empdb11-to-staging"), name: "empdb11-to-staging", kind: "PostgreSQLRestore", status: "Completed", jobId: expect.any(String), startTime: "2026-11-20T09:14:03.5512Z", endTime: "2026-11-20T09:20:45.6692Z", duration: "PT6M42.118S" },
    ]);
  });

  it("knows a drill by its type, by a type named …:RestoreDrill, or by runs of a drill's shape on a dynamic resource", () => {
    const run = { window: 1, restores: [] };
    expect(isDrillResource({ type: DRILL_TYPE })).toBe(true);
    expect(isDrillResource({ type: "azure-restores:index:RestoreDrill" })).toBe(true);
    expect(isDrillResource({ type: "pulumi-nodejs:dynamic:Resource", outputs: { __provider: "exports.handler = __f0;", name: "d", runs: [run] } })).toBe(true);
    expect(isDrillResource({ type: "pulumi-nodejs:dynamic:Resource", outputs: { runs: [{ id: 1 }] } })).toBe(false);
    expect(isDrillResource({ type: "pulumi-nodejs:dynamic/azure-restores:Restore", outputs: { runs: [run] } })).toBe(false);
    expect(isDrillResource({ type: "azure-native:resources:ResourceGroup", outputs: { runs: [run] } })).toBe(false);

    const generic = withResources(() => true, (r) => {
      if (r.type === DRILL_TYPE) r.type = "pulumi-nodejs:dynamic:Resource";
    });
    const parsed = parse(generic);
    expect(parsed.ok && parsed.value.drills.map((d) => d.name)).toEqual(["pg-dumps-as-files", "pg-orders-weekly"]);
  });

  it("leaves out resources waiting to be deleted", () => {
    const doc = withResources(() => true, (r) => {
      if (r.urn.endsWith("::pg-dumps-as-files")) r.delete = true;
    });
    const parsed = parse(doc);
    expect(parsed.ok && parsed.value.drills.map((d) => d.name)).toEqual(["pg-orders-weekly"]);
  });

  it("reads secret evidence as secret, and decrypted secrets (--show-secrets) as their values", () => {
    const encrypted = withResources(() => true, (r) => {
      if (r.urn.endsWith("::pg-dumps-as-files")) r.outputs.runs = SECRET;
    });
    const e = parse(encrypted);
    expect(e.ok && e.value.drills[0]).toMatchObject({ name: "pg-dumps-as-files", runs: [], secretEvidence: "runs" });

    const shown = withResources(() => true, (r) => {
      if (r.urn.endsWith("::pg-dumps-as-files")) r.outputs.runs = { ...SECRET, ciphertext: undefined, plaintext: JSON.stringify(r.outputs.runs) };
    });
    const s = parse(shown);
    expect(s.ok && s.value.drills[0].runs.map((run) => run.window)).toEqual([5, 4, 3]);
  });

  it("says what is wrong with input that is not an export, with the fix", () => {
    expect(problemsOf("")[0]).toMatchObject({ code: "StackExportEmpty", file: "stack.json" });
    expect(problemsOf("{ not json")[0]).toMatchObject({ code: "StackExportNotJson", message: expect.stringMatching(/^not JSON \(/), remedy: expect.stringContaining("pulumi stack export") });
    expect(problemsOf({ version: 3 })[0]).toMatchObject({ code: "StackExportNotAnExport", field: "deployment" });
    expect(problemsOf({ version: 3, checkpoint: {} })[0].message).toContain("state file of the backend");
    expect(problemsOf({ version: 2, deployment: { resources: [] } })[0]).toMatchObject({ code: "StackExportVersion", field: "version" });
    expect(problemsOf({ version: 3, deployment: { resources: {} } })[0]).toMatchObject({ code: "StackExportNotAnExport", field: "deployment.resources" });
  });

  it("says when the stack holds no drills, counting its restores", () => {
    const [p] = problemsOf(withResources((r) => r.type !== DRILL_TYPE));
    expect(p).toMatchObject({ code: "StackExportNoDrills", field: "deployment.resources", remedy: expect.stringContaining("pulumi stack export") });
    expect(p.message).toBe(`the stack holds no RestoreDrill resource (type ${DRILL_TYPE}) among its 5 resources; it holds 1 Restore resource`);
  });

  it("names each evidence field of the wrong shape by its path", () => {
    const doc = withResources(() => true, (r) => {
      if (!r.urn.endsWith("::pg-orders-weekly")) return;
      r.outputs.runs[1].restores[0].passed = "yes";
      delete r.outputs.runs[0].startedAt;
      r.outputs.runs[2].restores[1].checks[0].check = "ping";
    });
    const problems = problemsOf(doc);
    const i = fixture().deployment.resources.findIndex((r: { urn: string }) => r.urn.endsWith("::pg-orders-weekly"));
    const at = `deployment.resources[${i}].outputs.runs`;
    expect(problems.map((p) => [p.code, p.field, p.message])).toEqual([
      ["StackExportField", `${at}[0].startedAt`, "startedAt is missing: a text is expected"],
      ["StackExportField", `${at}[1].restores[0].passed`, 'passed is the text "yes"; true or false is expected'],
      ["StackExportField", `${at}[2].restores[1].checks[0].check`, 'check is the text "ping"; one of exists, files, sql, command is expected'],
    ]);
  });
});
