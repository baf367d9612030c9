import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import type { BackupInstanceResource } from "../../api/types";
import { checkParsedSpec } from "../../checks/check";
import type { DrillSpec } from "../../drills/spec";
import { drillRestoreSpec, scratchResourceGroupName } from "../../drills/targets";
import { randomPointWithin, sample, windowAt } from "../../drills/windows";
import { parseSpecText } from "../../language/yaml";

const root = path.join(__dirname, "..", "..");
const instance = (file: string): BackupInstanceResource => JSON.parse(fs.readFileSync(path.join(root, "test", "fixtures", "instances", file), "utf8"));
const example = (name: string): DrillSpec => {
  const file = path.join(root, "examples", "drills", `${name}.yaml`);
  return checkParsedSpec(parseSpecText(file, fs.readFileSync(file, "utf8")).parsed!).drill!;
};

describe("drill windows", () => {
  it("cut time into windows of `every` from startingFrom; none before it", () => {
    const at = (iso: string) => windowAt("d", "P7D", "2026-01-05T00:00:00Z", Date.parse(iso));
    expect(at("2026-01-04T23:59:59Z")).toBeUndefined();
    expect(at("2026-01-05T00:00:00Z")).toMatchObject({ index: 0, start: "2026-01-05T00:00:00.000Z", end: "2026-01-12T00:00:00.000Z" });
    expect(at("2026-01-11T23:59:59Z")?.index).toBe(0);
    expect(at("2026-01-12T00:00:00Z")?.index).toBe(1);
    expect(at("2026-12-01T12:00:00Z")?.index).toBe(47);
  });

  it("seed each window's draws by the drill's name and the window: the same on every run, another the next window", () => {
    const seed = (name: string, iso: string) => windowAt(name, "P7D", undefined, Date.parse(iso))!.seed;
    expect(seed("a", "2026-03-02T01:00:00Z")).toBe(seed("a", "2026-03-04T23:00:00Z"));
    expect(seed("a", "2026-03-02T01:00:00Z")).not.toBe(seed("a", "2026-03-12T01:00:00Z"));
    expect(seed("a", "2026-03-02T01:00:00Z")).not.toBe(seed("b", "2026-03-02T01:00:00Z"));
  });
});

describe("sampling", () => {
  const instances = Array.from({ length: 20 }, (_, i) => `bi-${i}`);

  it("is reproducible per window and varies between windows", () => {
    const w = (i: number) => windowAt("orders", "P1D", "2026-01-01T00:00:00Z", Date.parse("2026-01-01T00:00:00Z") + i * 86_400_000)!.seed;
    expect(sample(instances, 3, w(5))).toEqual(sample(instances, 3, w(5)));
    expect(new Set(sample(instances, 3, w(5))).size).toBe(3);
    const draws = new Set(Array.from({ length: 10 }, (_, i) => sample(instances, 3, w(i)).join(",")));
    expect(draws.size).toBeGreaterThan(5);
    // Over many windows every instance gets drilled.
    const covered = new Set(Array.from({ length: 60 }, (_, i) => sample(instances, 3, w(i))).flat());
    expect(covered.size).toBe(20);
  });

  it("takes all when the sample is larger, and a random point only within the age allowed", () => {
    expect(sample(["a", "b"], 5, "s").sort()).toEqual(["a", "b"]);
    const now = Date.parse("2026-12-01T00:00:00Z");
    const points = [40, 20, 5, 1].map((days) => ({ id: `p${days}`, timeMs: now - days * 86_400_000 }));
    const chosen = new Set(Array.from({ length: 50 }, (_, i) => randomPointWithin(points, 30 * 86_400_000, now, `s${i}`)!.id));
    expect([...chosen].sort()).toEqual(["p1", "p20", "p5"]);
    expect(randomPointWithin(points, 12 * 3_600_000, now, "s")).toBeUndefined();
  });
});

describe("each kind's drill restore", () => {
  const window = windowAt("appdisk-weekly", "P7D", "2026-01-05T00:00:00Z", Date.parse("2026-12-01T00:00:00Z"))!;

  it("a disk: a new disk in the window's scratch group", () => {
    const made = drillRestoreSpec(example("appdisk-weekly"), window, instance("appdisk01.json"), "latest", 1);
    expect(scratchResourceGroupName(example("appdisk-weekly"), window)).toBe("drill-appdisk-weekly-w47");
    expect(made).toMatchObject({ ok: true, value: { kind: "DiskRestore", metadata: { name: "appdisk-weekly-w47-1" }, spec: { access: "grant", target: { disk: expect.stringMatching(/\/resourceGroups\/drill-appdisk-weekly-w47\/providers\/Microsoft\.Compute\/disks\/appdisk01-appdisk-weekly-w47$/) } } } });
  });

  it("a PostgreSQL database: a new database on the drill's server, with the drill's secret", () => {
    const made = drillRestoreSpec(example("empdb11-monthly"), window, instance("testpostgresql-empdb11.json"), "latest", 1);
    expect(made).toMatchObject({ ok: true, value: { kind: "PostgreSQLRestore", spec: { target: { database: { id: expect.stringMatching(/\/servers\/targetossserver\/databases\/empdb11_empdb11_monthly_w47$/), credentialsSecretUri: "https://vikottur-test.vault.azure.net/secrets/dbauth3" } } } } });
  });

  it("refuses a restore that would overwrite the source: an operational-tier blob instance", () => {
    const drill = { ...example("appdisk-weekly"), spec: { ...example("appdisk-weekly").spec, target: { storageAccount: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/scratch" } } };
    const made = drillRestoreSpec(drill, window, instance("msblobbackup.json"), "latest", 1);
    expect(made.ok).toBe(false);
    if (!made.ok) expect(made.problems[0]).toMatchObject({ code: "DrillTargetUnsupported", message: expect.stringContaining("overwrites the source account, which a drill never does") });
  });

  it("refuses a kind that cannot restore into the drill's target, saying which target it needs", () => {
    const made = drillRestoreSpec(example("empdb11-monthly"), window, instance("appdisk01.json"), "latest", 1);
    expect(made.ok).toBe(false);
    if (!made.ok) expect(made.problems[0].message).toContain("give the drill target.resourceGroup");
  });
});

describe("a drill spec's own rules", () => {
  const check = (text: string) => checkParsedSpec(parseSpecText("restores/d.yaml", text).parsed!).problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.message}`);
  const base = (spec: string) => `apiVersion: azure-restores/v1\nkind: RestoreDrill\nmetadata:\n  name: d\nspec:\n${spec}`;

  it("name the field, with the fix", () => {
    expect(check(base("  every: PT5M\n  select:\n    vault: { resourceGroup: g, name: v }\n  target:\n    resourceGroup: { location: westus }\n"))).toEqual([expect.stringMatching(/^6:10 DrillWindowTooShort /)]);
    expect(check(base("  every: P7D\n  select: {}\n  target:\n    resourceGroup: { location: westus }\n"))).toEqual([expect.stringMatching(/^7:11 DrillSelectInvalid select names no backup instances/)]);
    const both = check(base("  every: P7D\n  select:\n    vault: { resourceGroup: g, name: v }\n  target:\n    resourceGroup: { location: westus }\n    storageAccount: /subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a\n  verify:\n    sql: { query: select 1 }\n"));
    expect(both.some((p) => /DrillTargetInvalid the drill names 2 targets/.test(p))).toBe(true);
    expect(both.some((p) => /DrillVerifyMismatch a SQL check reads a restored database/.test(p))).toBe(true);
  });

  it("grant roles only on scratch groups", () => {
    const problems = check(base("  every: P7D\n  select:\n    vault: { resourceGroup: g, name: v }\n  target:\n    storageAccount: /subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a\n  access: grant\n"));
    expect(problems).toEqual([expect.stringMatching(/^11:11 DrillAccessGrantUnsupported a drill grants roles only on its scratch resource groups/)]);
  });

  it("accept the examples", () => {
    for (const name of ["appdisk-weekly", "empdb11-monthly"]) expect(example(name).kind).toBe("RestoreDrill");
  });
});
