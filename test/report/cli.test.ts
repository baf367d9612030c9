import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..", "..");
const bin = path.join(root, "bin", "azure-restores.js");
const FIXTURE = path.join(root, "test", "fixtures", "stack-exports", "drills.json");

/** `azure-restores report ...` as a user runs it, in a fresh directory. */
function report(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "drill-report-"));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  const r = spawnSync(process.execPath, [bin, "report", ...args], { cwd, encoding: "utf8", env, input: options.input ?? "", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr, cwd };
}

const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe("azure-restores report", () => {
  it("writes report.md, report.html and report.json into ./drill-report from a file, and says where", () => {
    const r = report([FIXTURE]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe(["2 drills: 1 passed, 1 failed", "wrote drill-report/report.md", "wrote drill-report/report.html", "wrote drill-report/report.json", ""].join("\n"));
    const dir = path.join(r.cwd, "drill-report");
    expect(files(dir)).toEqual(["report.html", "report.json", "report.md"]);
    expect(fs.readFileSync(path.join(dir, "report.md"), "utf8")).toContain(`From ${FIXTURE}, deployment of 2026-11-23 05:48 UTC. 2 drills: 1 passed, 1 failed.`);
    expect(fs.readFileSync(path.join(dir, "report.html"), "utf8").match(/<circle class="point/g)).toHaveLength(21);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")).totals).toEqual({ drills: 2, passed: 1, failed: 1, noRuns: 0, secret: 0 });
  });

  it("reads stdin without a file or with -, and writes the format asked for into --out", () => {
    const piped = report(["--out", "out", "--format", "html"], { input: fs.readFileSync(FIXTURE, "utf8") });
    expect(piped.code).toBe(0);
    expect(piped.out).toBe("2 drills: 1 passed, 1 failed\nwrote out/report.html\n");
    expect(files(path.join(piped.cwd, "out"))).toEqual(["report.html"]);
    expect(fs.readFileSync(path.join(piped.cwd, "out", "report.html"), "utf8")).toContain("From <code>stdin</code>");

    const dash = report(["-", "--format", "json"], { input: fs.readFileSync(FIXTURE, "utf8") });
    expect(dash.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dash.cwd, "drill-report", "report.json"), "utf8")).source).toBe("-");
  });

  it("appends the Markdown to $GITHUB_STEP_SUMMARY, keeping what the job wrote there", () => {
    const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "step-summary-")), "summary.md");
    fs.writeFileSync(summary, "# Earlier step\n\n");
    const r = report([FIXTURE, "--format", "md"], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${summary} ($GITHUB_STEP_SUMMARY, appended)\n`);
    const written = fs.readFileSync(summary, "utf8");
    expect(written.startsWith("# Earlier step\n\n## Restore drills: stack drills of restore-drills\n")).toBe(true);
    expect(written).toBe(`# Earlier step\n\n${fs.readFileSync(path.join(r.cwd, "drill-report", "report.md"), "utf8")}\n`);
  });

  it("says what is wrong with bad input, with the fix, and writes nothing (exit 1)", () => {
    const notJson = report([], { input: "Current stack is drills\n" });
    expect(notJson.code).toBe(1);
    expect(notJson.out).toBe("");
    expect(notJson.err).toMatch(/^-  not JSON \(.*\)  \(fix: pass what `pulumi stack export` prints: .*\)\n$/);
    expect(files(path.join(notJson.cwd, "drill-report"))).toEqual([]);

    const noDrills = report([], { input: JSON.stringify({ version: 3, deployment: { manifest: {}, resources: [{ urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", type: "pulumi:pulumi:Stack" }] } }) });
    expect(noDrills.code).toBe(1);
    expect(noDrills.err).toContain("-  deployment.resources  the stack holds no RestoreDrill resource (type pulumi-nodejs:dynamic/azure-restores:RestoreDrill) among its 1 resource  (fix: export the stack the drills run in");

    const annotated = report([], { input: "{}", env: { GITHUB_ACTIONS: "true" } });
    expect(annotated.code).toBe(1);
    expect(annotated.out).toMatch(/^::error file=-,title=StackExportNotAnExport deployment::deployment: not a stack export/);

    const missing = report(["nowhere.json"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^nowhere\.json  cannot read the stack export: ENOENT.*\(fix: pulumi stack export --file stack\.json && azure-restores report stack\.json/);
  });

  it("refuses a format it does not know, and more than one file (exit 2)", () => {
    const format = report([FIXTURE, "--format", "pdf"]);
    expect(format.code).toBe(2);
    expect(format.err).toBe("--format pdf is not one of md, html, json, all\n");
    const two = report([FIXTURE, FIXTURE]);
    expect(two.code).toBe(2);
    expect(two.err).toContain("report takes one stack export");
  });
});
