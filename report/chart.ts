/**
 * The chart of a drill as inline SVG: two panels, RTO (total seconds) and RPO, against the run's start
 * time, one series per backup instance, the newest run's objective as a horizontal line. Every point is
 * a `<circle class="point">` with `data-instance`, `data-run` (the window), `data-time` (the run's start),
 * `data-rto` or `data-rpo` (seconds) and `data-met` where an objective judged it, and a `<title>` a
 * reader sees on hover. A restore with no value (it failed before a recovery point was chosen) is a
 * cross on the axis with `data-missing`. An objective line is `data-objective` with `data-seconds`.
 * Pure; no script, nothing fetched.
 */
import { formatSeconds } from "./duration";
import type { DrillSummary, RestoreOutcome } from "./summary";
import { escapeHtml as h, formatTime, shortInstance } from "./text";

const WIDTH = 760;
const LEFT = 70;
const RIGHT = 20;
const PANEL = 200;
const GAP = 56;
const TOP = 30;
const LEGEND_ROW = 18;
/** Okabe-Ito: told apart by readers with colour-vision deficiencies. */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999"];
const STEPS = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 432_000, 864_000, 2_592_000];

type Metric = "rto" | "rpo";

const n = (x: number) => (Math.round(x * 10) / 10).toString();
const valueOf = (r: RestoreOutcome, m: Metric) => (m === "rto" ? r.rtoSeconds : r.rpoSeconds);
const metOf = (r: RestoreOutcome, m: Metric) => (m === "rto" ? r.rtoMet : r.rpoMet);

/** A tick step that gives at most five gridlines up to `max`. */
function step(max: number): number {
  return STEPS.find((s) => max / s <= 5) ?? Math.ceil(max / 5);
}

interface Frame {
  x: (startedAt: string) => number;
  runs: { window: number; startedAt: string; restores: RestoreOutcome[] }[];
  colour: (id: string) => string;
}

function xAxis(f: Frame, top: number): string {
  const every = Math.max(1, Math.ceil(f.runs.length / 8));
  return f.runs
    .filter((_, i) => i % every === 0 || i === f.runs.length - 1)
    .map((r) => `<text class="tick" x="${n(f.x(r.startedAt))}" y="${n(top + PANEL + 16)}" text-anchor="middle">${h(formatTime(r.startedAt).slice(0, 10))}</text>`)
    .join("");
}

function panel(d: DrillSummary, f: Frame, m: Metric, top: number): string {
  const label = m.toUpperCase();
  const objective = m === "rto" ? d.objectives?.rtoSeconds : d.objectives?.rpoSeconds;
  const objectiveText = m === "rto" ? d.objectives?.rto : d.objectives?.rpo;
  const values = f.runs.flatMap((r) => r.restores.map((o) => valueOf(o, m)).filter((v): v is number => v !== undefined));
  const max = Math.max(...values, objective ?? 0, 1) * 1.15;
  const y = (v: number) => top + PANEL - (v / max) * PANEL;
  const bottom = top + PANEL;
  const parts: string[] = [`<text class="panel-title" x="${LEFT}" y="${n(top - 10)}">${label}${m === "rto" ? " (validate, job and verify)" : " (age of the recovery point)"}</text>`];
  const s = step(max);
  for (let v = 0; v <= max; v += s) {
    parts.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${n(y(v))}" y2="${n(y(v))}"/>`, `<text class="tick" x="${LEFT - 6}" y="${n(y(v) + 4)}" text-anchor="end">${h(formatSeconds(v))}</text>`);
  }
  parts.push(`<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${bottom}" y2="${bottom}"/>`, xAxis(f, top));
  if (objective !== undefined) {
    const words = `${label} objective ${objectiveText ?? ""} (${formatSeconds(objective)})`;
    parts.push(`<line class="objective" data-objective="${m}" data-seconds="${objective}" stroke="#cf222e" stroke-dasharray="6 4" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${n(y(objective))}" y2="${n(y(objective))}"><title>${h(words)}</title></line>`);
    parts.push(`<text class="objective-label" x="${WIDTH - RIGHT - 4}" y="${n(y(objective) - 5)}" text-anchor="end">${h(words)}</text>`);
  }
  const ids = [...new Set(f.runs.flatMap((r) => r.restores.map((o) => o.backupInstanceId)))];
  for (const id of ids) {
    const points = f.runs.flatMap((r) => r.restores.filter((o) => o.backupInstanceId === id && valueOf(o, m) !== undefined).map((o) => `${n(f.x(r.startedAt))},${n(y(valueOf(o, m) as number))}`));
    if (points.length > 1) parts.push(`<polyline class="series" data-instance="${h(id)}" stroke="${f.colour(id)}" points="${points.join(" ")}"/>`);
  }
  for (const r of f.runs) {
    for (const o of r.restores) {
      const x = f.x(r.startedAt);
      const v = valueOf(o, m);
      const met = metOf(o, m);
      const at = `data-instance="${h(o.backupInstanceId)}" data-run="${r.window}" data-time="${h(r.startedAt)}"`;
      const about = `${shortInstance(o.backupInstanceId)}, window ${r.window} (${formatTime(r.startedAt)})`;
      if (v === undefined) {
        const why = o.error ? `: ${o.error.code}: ${o.error.message}` : "";
        parts.push(`<path class="missing" ${at} data-missing="${m}" stroke="${f.colour(o.backupInstanceId)}" d="M${n(x - 4)} ${n(bottom - 4)}l8 8m0 -8l-8 8"><title>${h(`${about}: no ${label}${why}`)}</title></path>`);
        continue;
      }
      const verdict = met === true ? ", objective met" : met === false ? ", objective missed" : "";
      parts.push(`<circle class="point${met === false ? " missed" : ""}" ${at} data-${m}="${v}"${met === undefined ? "" : ` data-met="${met}"`} cx="${n(x)}" cy="${n(y(v))}" r="4.5" fill="${f.colour(o.backupInstanceId)}"><title>${h(`${about}: ${label} ${formatSeconds(v)} (${v} s)${verdict}`)}</title></circle>`);
    }
  }
  return parts.join("");
}

/** The SVG of one drill, or "" when it has no runs. `index` makes its element IDs unique in the page. */
export function renderChart(d: DrillSummary, index: number): string {
  const runs = [...d.runs].reverse();
  if (runs.length === 0) return "";
  const times = runs.map((r) => Date.parse(r.startedAt)).map((t) => (Number.isNaN(t) ? 0 : t));
  const [min, max] = [Math.min(...times), Math.max(...times)];
  const plot = WIDTH - LEFT - RIGHT;
  const x = (startedAt: string) => {
    if (max === min) return LEFT + plot / 2;
    const t = Date.parse(startedAt);
    return LEFT + plot * 0.05 + ((Number.isNaN(t) ? 0 : t) - min) / (max - min) * plot * 0.9;
  };
  const ids = d.instances.map((i) => i.backupInstanceId.toLowerCase());
  const colour = (id: string) => PALETTE[Math.max(0, ids.indexOf(id.toLowerCase())) % PALETTE.length];
  const frame: Frame = { x, runs, colour };
  const legendTop = TOP + 2 * PANEL + GAP + 30;
  const legend = d.instances
    .map((i, k) => {
      const ly = legendTop + k * LEGEND_ROW;
      return `<g class="legend" data-instance="${h(i.backupInstanceId)}"><title>${h(i.backupInstanceId)}</title><circle cx="${LEFT + 6}" cy="${ly - 4}" r="5" fill="${colour(i.backupInstanceId)}"/><text x="${LEFT + 18}" y="${ly}">${h(shortInstance(i.backupInstanceId))}</text></g>`;
    })
    .join("");
  const height = legendTop + d.instances.length * LEGEND_ROW;
  const title = `RTO and RPO of ${d.name} per backup instance over ${runs.length} run${runs.length === 1 ? "" : "s"}`;
  return [
    `<svg class="chart" data-drill="${h(d.name)}" role="img" aria-labelledby="chart-${index}-title" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">`,
    `<title id="chart-${index}-title">${h(title)}</title>`,
    panel(d, frame, "rto", TOP),
    panel(d, frame, "rpo", TOP + PANEL + GAP),
    legend,
    "</svg>",
  ].join("");
}
