/**
 * The benchmark's own logic (bench/): what it counts as the minimum calls and the ideal's inputs, how it
 * shows a figure against its target, and `npm run bench` end to end on a small offline run. No speed
 * is asserted here: speed targets live in `npm run bench`, not in tests.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../../emulator/format";
import { minimumCalls, vaultListingPages } from "../../bench/reconcile";
import { passes, renderMarkdown, renderTable, type BenchReport, type Row } from "../../bench/report";
import { generateSpecs, variantCounts } from "../../bench/specs";
import { reconcileSetup } from "../../bench/world";

const root = path.join(__dirname, "..", "..");
const input = { timeScale: 5, apiVersion: "2021-07-01", followerCapSeconds: 60, operationCapSeconds: 30, retryAfterSent: true };

describe("minimum calls", () => {
  const setup = reconcileSetup(1, 1);
  const bySpec = (name: string) => minimumCalls(setup.specs.find((s) => s.name.endsWith(name))!, setup, input);
  const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

  it("counts Retry-After-bound status polls and one job poll per follower cap", () => {
    // validateRestore 22 s polled every 10 s: 3; restore 4 s with Retry-After 30 s: 1; a 256 s blob job at most 60 s apart: 5.
    expect(bySpec("-pit")).toMatchObject({ getBackupInstance: 1, listRecoveryPoints: 0, listJobs: 0, validateRestore: 1, "operationStatus:validateRestore": 3, restore: 1, "operationStatus:restore": 1, getJob: 5 });
    expect(total(bySpec("-pit"))).toBe(12);
    expect(bySpec("-vaulted").listRecoveryPoints).toBe(1);
    expect(bySpec("-by-id")).toMatchObject({ getRecoveryPoint: 1, getJob: 7 });
  });

  it("counts each vault's job list once per run, all its pages", () => {
    const jobs = [...Array(25).fill({ vaultName: "Blob-Vault" }), { vaultName: "pg-vault" }];
    expect(vaultListingPages(["blob-vault", "BLOB-VAULT", "pg-vault", "empty-vault"], jobs, 10)).toBe(3 + 1 + 1);
  });
});

describe("the reconcile world", () => {
  it("gives every spec its instance's job duration, spread when asked and seeded", () => {
    const even = reconcileSetup(3, 3);
    expect(new Set(even.specs.filter((s) => s.kind === "blob").map((s) => s.jobSeconds))).toEqual(new Set([even.seconds.blobJob]));
    const varied = reconcileSetup(3, 3, 0.25);
    const instances = varied.world.vaults!.flatMap((v) => v.backupInstances!);
    for (const spec of varied.specs) {
      const instance = instances.find((bi) => spec.text.includes(bi.name))!;
      expect(parseDuration(instance.restoreJob!.duration!)! / 1000).toBeCloseTo(spec.jobSeconds, 3);
      const base = spec.kind === "blob" ? varied.seconds.blobJob : varied.seconds.pgJob;
      expect(Math.abs(spec.jobSeconds / base - 1)).toBeLessThanOrEqual(0.25);
    }
    expect(new Set(varied.specs.map((s) => s.jobSeconds)).size).toBeGreaterThan(2);
    expect(reconcileSetup(3, 3, 0.25).specs.map((s) => s.jobSeconds)).toEqual(varied.specs.map((s) => s.jobSeconds));
  });

  it("generates the same specs for the same seed, every form", () => {
    const specs = generateSpecs(400);
    expect(generateSpecs(400).map((s) => s.text)).toEqual(specs.map((s) => s.text));
    expect(Object.keys(variantCounts(specs)).length).toBeGreaterThanOrEqual(12);
  });
});

describe("figures against targets", () => {
  const report = (rows: Row[]): BenchReport => ({
    machine: { cpu: "Test CPU", cores: 2, memoryGb: 4, os: "Linux", node: "v20", date: "2026-11-21T00:00:00Z", loadAverageAtStart: [0, 0, 0] },
    parameters: { timeScale: 5 },
    rows,
    details: {},
    only: ["program"],
  });
  const fast: Row = { section: "2. Program start", figure: "start", value: 2.61, unit: "s", target: 3, direction: "max", digits: 2 };
  const slow: Row = { ...fast, value: 3.3 };
  const rate: Row = { section: "1. Offline checks", figure: "specs/s", value: 4000, unit: "/s", target: 5000, direction: "min", digits: 0 };

  it("passes by direction and shows value / target with a verdict", () => {
    expect([passes(fast), passes(slow), passes(rate), passes({ ...rate, value: 5000 })]).toEqual([true, false, false, true]);
    const table = renderTable(report([fast, slow, rate]));
    expect(table).toContain("value/target");
    expect(table).toMatch(/2\.61 s\s+≤ 3 s\s+0\.87 \(≤ 1 passes\)\s+PASS/);
    expect(table).toMatch(/3\.30 s\s+≤ 3 s\s+1\.10 \(≤ 1 passes\)\s+FAIL/);
    expect(table).toMatch(/4,000 \/s\s+≥ 5,000 \/s\s+0\.80 \(≥ 1 passes\)\s+FAIL/);
  });

  it("writes the machine it ran on into the report", () => {
    const markdown = renderMarkdown(report([fast]));
    expect(markdown).toContain("## Machine");
    expect(markdown).toContain("Test CPU");
    expect(markdown).toMatch(/\| 2\.61 s \| ≤ 3 s \| 0\.87 \(≤ 1 passes\) \| \*\*PASS\*\* \|/);
  });
});

describe("npm run bench", () => {
  it("runs the offline benchmark end to end and reports it against its targets", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "azure-restores-bench-test-"));
    const json = path.join(dir, "report.json");
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "bench/main.ts", "--only", "offline", "--offline-specs", "300", "--offline-runs", "1", "--json", json], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).toContain("1. Offline checks");
    const written = JSON.parse(fs.readFileSync(json, "utf8")) as BenchReport;
    const rate = written.rows.find((r) => r.figure.startsWith("specs per second"))!;
    expect(rate).toMatchObject({ target: 10_000, direction: "min" });
    expect(rate.value).toBeGreaterThan(0);
    const cli = written.rows.find((r) => r.figure.startsWith("one spec's whole"))!;
    expect(cli).toMatchObject({ target: 0.25, direction: "max", unit: "s" });
    expect(written.details.offline!.cli!.runsMs).toHaveLength(7);
    expect(written.rows.find((r) => r.figure.startsWith("peak memory"))).toMatchObject({ target: 300, direction: "max" });
    expect(written.details.offline!.best.files).toBe(300);
    expect(written.machine.cores).toBe(os.cpus().length);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
