import * as path from "path";

/** The benchmarks `npm run bench` knows, and its options. */

export const ALL = ["offline", "program", "varied", "reconcile", "throttled", "dr", "preview", "history"] as const;
/** What `npm run bench` runs without --only (the throttled run of issue 7 is superseded by dr; `--only throttled` still runs it). */
export const DEFAULT: readonly Bench[] = ["offline", "program", "varied", "reconcile", "dr", "preview", "history"];
/** How much the `varied` run spreads each instance's job duration, either way. */
export const VARIED_SPREAD = 0.25;
export type Bench = (typeof ALL)[number];

export interface Options {
  only: Bench[];
  /** Clock speed-up of the reconcile, varied, preview and history runs. */
  timeScale: number;
  /** Clock speed-up of the disaster-recovery run (ARM's windows are 10 s and 20 s emulated: a 429's Retry-After is at least 1 real second). */
  drTimeScale: number;
  /** Restores of each kind in the reconcile and varied runs. */
  perKind: number;
  drRestores: number;
  previewSpecs: number;
  /** Ended restores of the history runs' stacks. */
  historySizes: number[];
  runs: number;
  offlineRuns: number;
  offlineSpecs: number;
  programSpecs: number;
  apiVersion: string;
  /** api-version of the runs against the emulator: one that defines every kind's restore (Elastic SAN needs 2026-06-01). */
  onlineApiVersion: string;
  write: boolean;
  typecheck: boolean;
  /** Also write the whole report (every run's details) as JSON here. */
  json?: string;
}

/** The command line of `npm run bench` (see bench/main.ts). */
export function parseArgs(argv: string[]): Options {
  const options: Options = { only: [...DEFAULT], timeScale: 10, drTimeScale: 10, perKind: 24, drRestores: 2000, previewSpecs: 500, historySizes: [2500, 5000, 10_000], runs: 3, offlineRuns: 5, offlineSpecs: 10_000, programSpecs: 1000, apiVersion: "2024-04-01", onlineApiVersion: "2026-06-01", write: true, typecheck: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "--only": {
        const list = value().split(",").map((s) => s.trim()) as Bench[];
        for (const b of list) if (!ALL.includes(b)) throw new Error(`--only: unknown benchmark '${b}' (${ALL.join(", ")})`);
        options.only = list;
        options.write = false;
        break;
      }
      case "--time-scale":
        options.timeScale = Number(value());
        break;
      case "--dr-time-scale":
        options.drTimeScale = Number(value());
        break;
      case "--per-kind":
        options.perKind = Number(value());
        break;
      case "--dr-restores":
        options.drRestores = Number(value());
        break;
      case "--preview-specs":
        options.previewSpecs = Number(value());
        break;
      case "--history":
        options.historySizes = value().split(",").map(Number);
        break;
      case "--runs":
        options.runs = Math.max(1, Number(value()));
        break;
      case "--offline-runs":
        options.offlineRuns = Math.max(1, Number(value()));
        break;
      case "--offline-specs":
        options.offlineSpecs = Number(value());
        break;
      case "--program-specs":
        options.programSpecs = Number(value());
        break;
      case "--api-version":
        options.apiVersion = value();
        break;
      case "--online-api-version":
        options.onlineApiVersion = value();
        break;
      case "--write":
        options.write = true;
        break;
      case "--no-write":
        options.write = false;
        break;
      case "--json":
        options.json = path.resolve(value());
        break;
      case "--no-typecheck":
        options.typecheck = false;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}
