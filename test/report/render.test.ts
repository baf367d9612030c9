import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { buildReport, renderHtml, renderMarkdown, summarize, parseStackExport } from "../../report";

const FIXTURE = path.join(__dirname, "..", "fixtures", "stack-exports", "drills.json");
const text = fs.readFileSync(FIXTURE, "utf8");
const SOURCE = "test/fixtures/stack-exports/drills.json";

function built(doc: string = text) {
  const r = buildReport(doc, SOURCE);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return r.value;
}

/** The fixture's evidence, read straight from its JSON: what the chart must show. */
function expectedPoints(drill: string, metric: "rto" | "rpo") {
  const resource = JSON.parse(text).deployment.resources.find((r: { urn: string }) => r.urn.endsWith(`::${drill}`));
  return resource.outputs.runs
    .flatMap((run: any) => run.restores.map((e: any) => ({ instance: e.backupInstanceId, run: String(run.window), time: run.startedAt, value: metric === "rto" ? e.rto?.totalSeconds : e.rpoSeconds })))
    .filter((p: { value?: number }) => p.value !== undefined)
    .map((p: any) => ({ ...p, value: String(p.value) }));
}

/** The chart of one drill: the `<svg>` of its section. */
function chartOf(html: string, drill: string): string {
  const section = html.slice(html.indexOf(`<section class="drill" data-drill="${drill}">`));
  return section.slice(section.indexOf("<svg"), section.indexOf("</svg>") + 6);
}

const attrs = (element: string) => Object.fromEntries([...element.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));

function pointsIn(svg: string, metric: "rto" | "rpo") {
  return [...svg.matchAll(/<circle class="point[^"]*"[^>]*>(<title>[^<]*<\/title>)<\/circle>/g)]
    .map((m) => ({ a: attrs(m[0].slice(0, m[0].indexOf(">"))), title: m[1] }))
    .filter(({ a }) => a[`data-${metric}`] !== undefined)
    .map(({ a, title }) => ({ instance: a["data-instance"], run: a["data-run"], time: a["data-time"], value: a[`data-${metric}`], met: a["data-met"], title }));
}

const byRun = (a: { run: string; instance: string }, b: { run: string; instance: string }) => a.run.localeCompare(b.run) || a.instance.localeCompare(b.instance);

describe("the drill report in Markdown", () => {
  const md = built().files.md;

  it("opens with the stack, the source and a line per drill", () => {
    expect(md).toContain("## Restore drills: stack drills of restore-drills\n");
    expect(md).toContain("From test/fixtures/stack-exports/drills.json, deployment of 2026-11-23 05:48 UTC. 2 drills: 1 passed, 1 failed.");
    expect(md).toContain("| pg-dumps-as-files | window 5, 2026-11-16 03:01 UTC | ❌ failed | 1/3 (33%) | 1/3 (33%) | 2 | RTO PT45M, RPO P14D |");
    expect(md).toContain("| pg-orders-weekly | window 7, 2026-11-23 02:01 UTC | ✅ passed | 2/4 (50%) | 6/8 (75%) | 3 | RTO PT1H, RPO P1D |");
  });

  it("gives the last run of each drill: recovery point, RPO, RTO by step, checks, objectives met", () => {
    expect(md).toContain("### ✅ pg-orders-weekly\n\nLast run **passed**: window 7, 2026-11-23 02:01 UTC to 2026-11-23 02:35 UTC (seed 0976d611ee095143). Objectives: RTO PT1H, RPO P1D.");
    expect(md).toContain("| backup instance | recovery point | RPO | validate | job | verify | RTO | checks | result |");
    expect(md).toMatch(/\| bv-prod-weu\/pgprod-inventory-5f3a1c \| 2026-11-23 00:59 UTC · [0-9a-f]{32} \| 1h 01m ✅ \(≤ 1d\) \| 9s \| 30m 02s \| 2s \| 30m 14s ✅ \(≤ 1h\) \| ✅ exists, ✅ sql \| ✅ passed \|/);
    expect(md).toContain("Last run **failed**: window 5, 2026-11-16 03:01 UTC");
    expect(md).toMatch(/\| bv-prod-weu\/pgprod-audit-9b7e20 \| 2026-11-04 06:54 UTC · [0-9a-f]{32} \| 11d 20h ✅ \(≤ 14d\) \| 6s \| 6m 52s \| 0s \| 6m 59s ✅ \(≤ 45m\) \| ❌ UserErrorMSIMissingPermissions \| ❌ failed \|/);
  });

  it("lists what failed and the history of the kept runs, newest first", () => {
    expect(md).toContain("**What failed** (3 in the kept runs, newest first)");
    expect(md).toContain("| 6 | 2026-11-16 02:00 UTC | bv-prod-weu/pgprod-inventory-5f3a1c | check sql | select 1 from orders limit 100 returned 0 row(s) in drill-w6-inventory (wanted at least 1) |");
    expect(md).toContain("| 6 | 2026-11-16 02:00 UTC | bv-prod-weu/pgprod-inventory-5f3a1c | RPO objective | RPO 1d 06h over the objective P1D |");
    expect(md).toContain("| 5 | 2026-11-09 02:00 UTC | bv-prod-weu/pgprod-inventory-5f3a1c | RTO objective | RTO 1h 01m over the objective PT1H |");
    const history = md.slice(md.indexOf("**History** (4 runs kept, newest first)"));
    expect(history.split("\n").slice(2, 8)).toEqual([
      "| window | started | result | restores passed | longest RTO | oldest RPO | objectives |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      "| 7 | 2026-11-23 02:01 UTC | ✅ passed | 2/2 | 34m 24s ✅ | 1h 01m ✅ | RTO PT1H, RPO P1D |",
      "| 6 | 2026-11-16 02:00 UTC | ❌ failed | 1/2 | 28m 45s ✅ | 1d 06h ❌ | RTO PT1H, RPO P1D |",
      "| 5 | 2026-11-09 02:00 UTC | ❌ failed | 1/2 | 1h 01m ❌ | 1h 01m ✅ | RTO PT1H, RPO P1D |",
      "| 4 | 2026-11-02 02:00 UTC | ✅ passed | 2/2 | 37m 02s ✅ | 1h 01m ✅ | RTO PT1H, RPO P1D |",
    ]);
    expect(md).toContain("| empdb11-to-staging | PostgreSQLRestore | Completed |");
  });

  it("escapes what the evidence says: no table broken, no HTML, no links made of data", () => {
    const hostile = text.replace("returned 0 row(s)", "returned | <script>alert(1)</script> [x](https://evil.example) `0` row(s)");
    const out = built(hostile).files.md;
    expect(out).not.toContain("<script>");
    expect(out).toContain("returned \\| &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](https://evil.example) \\`0\\` row(s)");
  });
});

describe("the drill report in HTML", () => {
  const html = built().files.html;

  it("is one page with no script and nothing fetched", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|<use|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href|xlink:href|action|srcset|on\w+)\s*=/i);
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  for (const [drill, rto, rpo] of [
    ["pg-orders-weekly", "3600", "86400"],
    ["pg-dumps-as-files", "2700", "1209600"],
  ] as const) {
    it(`charts every RTO and RPO of ${drill} as a point with its instance, run, time and value`, () => {
      const svg = chartOf(html, drill);
      for (const metric of ["rto", "rpo"] as const) {
        const points = pointsIn(svg, metric);
        const expected = expectedPoints(drill, metric);
        expect(points.map(({ instance, run, time, value }) => ({ instance, run, time, value })).sort(byRun)).toEqual(expected.sort(byRun));
        for (const p of points) expect(p.title).toMatch(new RegExp(`^<title>[^<]*window ${p.run} [^<]*: ${metric.toUpperCase()} [^<]*\\(${p.value.replace(".", "\\.")} s\\)`));
      }
      const objective = (m: string) => attrs(svg.match(new RegExp(`<line class="objective" data-objective="${m}"[^>]*>`))![0]);
      expect(objective("rto")).toMatchObject({ "data-seconds": rto, "stroke-dasharray": "6 4" });
      expect(objective("rpo")).toMatchObject({ "data-seconds": rpo, "stroke-dasharray": "6 4" });
      expect(svg.match(/<line class="objective"/g)).toHaveLength(2);
    });
  }

  it("has exactly the fixture's points: 11 RTO, 10 RPO, and a mark where a run had no RPO", () => {
    expect(pointsIn(html, "rto")).toHaveLength(11);
    expect(pointsIn(html, "rpo")).toHaveLength(10);
    const svg = chartOf(html, "pg-dumps-as-files");
    const missing = [...svg.matchAll(/<path class="missing"[^>]*>/g)].map((m) => attrs(m[0]));
    expect(missing).toEqual([expect.objectContaining({ "data-missing": "rpo", "data-run": "3", "data-time": "2026-10-19T03:00:51.000Z" })]);
    expect(svg).toContain("no RPO: UserErrorContainerNotAccessible");
  });

  it("marks the points that missed their objective", () => {
    const missed = [...pointsIn(html, "rto"), ...pointsIn(html, "rpo")].filter((p) => p.met === "false");
    expect(missed.map((p) => [p.instance.split("/").pop(), p.run, p.value])).toEqual([
      ["pgprod-inventory-5f3a1c", "5", "3717.96"],
      ["pgprod-inventory-5f3a1c", "6", "108102"],
    ]);
  });

  it("escapes what the evidence says", () => {
    const hostile = text.replaceAll("pgprod-audit-9b7e20", 'pgprod-\\"audit\\"<b>x</b>');
    const out = built(hostile).files.html;
    expect(out).not.toContain("<b>x</b>");
    expect(out).toContain("pgprod-&quot;audit&quot;&lt;b&gt;x&lt;/b&gt;");
  });
});

describe("the drill report as JSON", () => {
  it("is the summary both pages are rendered from", () => {
    const b = built();
    const json = JSON.parse(b.files.json);
    const parsed = parseStackExport(text, SOURCE);
    if (!parsed.ok) throw new Error("fixture does not parse");
    expect(json).toEqual(JSON.parse(JSON.stringify(summarize(parsed.value))));
    expect(renderMarkdown(json)).toBe(b.files.md);
    expect(renderHtml(json)).toBe(b.files.html);
    expect(json).toMatchObject({ schema: "azure-restores/drill-report/v1", stack: "drills", totals: { drills: 2, passed: 1, failed: 1, noRuns: 0, secret: 0 } });
    const weekly = json.drills[1];
    expect(weekly).toMatchObject({ name: "pg-orders-weekly", status: "passed", objectives: { rto: "PT1H", rtoSeconds: 3600, rpo: "P1D", rpoSeconds: 86400 }, runRate: { passed: 2, of: 4, rate: 0.5 } });
    expect(weekly.runs[0].restores[0]).toMatchObject({ recoveryPointId: expect.stringMatching(/^[0-9a-f]{32}$/), rto: { validateSeconds: 9.95, jobSeconds: 1802.7, verifySeconds: 2.3, totalSeconds: 1814.95 }, rtoMet: true, rpoMet: true, checks: [{ check: "exists", passed: true }, { check: "sql", passed: true }] });
    expect(weekly.findings.map((f: { window: number; what: string }) => `${f.window} ${f.what}`)).toEqual(["6 check", "6 rpo", "5 rto"]);
  });
});

describe("a drill with no runs yet", () => {
  it("is listed as such, with no chart", () => {
    const doc = JSON.parse(text);
    for (const r of doc.deployment.resources) if (r.urn.endsWith("::pg-dumps-as-files")) Object.assign(r.outputs, { runs: [], lastWindow: undefined });
    doc.version = 4;
    const b = built(JSON.stringify(doc));
    expect(b.report.totals).toEqual({ drills: 2, passed: 1, failed: 0, noRuns: 1, secret: 0 });
    expect(b.files.md).toContain("### ⏳ pg-dumps-as-files\n\nNo run is recorded yet.\n");
    expect(b.files.html.match(/<svg /g)).toHaveLength(1);
  });
});
