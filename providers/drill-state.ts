import { InitFailure } from "./init-failure";
import type { DrillOutputs, DrillRun } from "../drills/evidence";
import type { DrillSpec } from "../drills/spec";
import type { DrillWindow } from "../drills/windows";
import type { RestoreGrant } from "../access";
import type { PolicyRules } from "../checks/policy";
import { canonicalJson } from "../plan";

/** What the program gives each RestoreDrill resource. */
export interface DrillInputs {
  drill: DrillSpec;
  specFile: string;
  /** The window the program found the drill in (it named this window's scratch group after it); absent before `startingFrom`. */
  window?: DrillWindow;
  policy?: PolicyRules;
  /** Role assignments the program declared for this window's restores. */
  grants?: RestoreGrant[];
}

/** The drill's record: its inputs, the window it last ran, the runs kept. */
export interface DrillState extends DrillInputs, DrillOutputs {}

export const DRILL_OUTPUT_NAMES = ["name", "lastWindow", "runs"] as const;

/** The runs to keep: the new one first, then the previous ones, at most `history` (default 10). */
export function keptRuns(run: DrillRun, previous: readonly DrillRun[] | undefined, history = 10): DrillRun[] {
  return [run, ...(previous ?? [])].slice(0, history);
}

/**
 * Whether this run of the program falls in a window the drill has not run yet. `olds` is the recorded
 * state (diff, update: its lastWindow) or, in check, the previous inputs (the window the program gave).
 */
export function windowIsNew(olds: Partial<DrillState>, news: DrillInputs): boolean {
  return news.window !== undefined && (olds.lastWindow ?? olds.window?.index) !== news.window.index;
}

/**
 * What a run does to a drill: a new window is an update (the drill runs); a changed spec in the same
 * window is an update that only records it; otherwise nothing. Never a replacement: the evidence stays.
 */
export function diffDrill(olds: Partial<DrillState>, news: DrillInputs): { changes: boolean; replaces: string[] } {
  if (!olds.drill) return { changes: true, replaces: [] };
  const changed = windowIsNew(olds, news) || canonicalJson(olds.drill) !== canonicalJson(news.drill) || olds.specFile !== news.specFile;
  return { changes: changed, replaces: [] };
}

/** The drill resource's failure: the evidence is kept (an initialization error carries the outputs). */
export class DrillFailedError extends InitFailure<DrillState> {}

/** Why a run failed, one line per instance that did, for `pulumi up`'s output. */
export function failureReasons(run: DrillRun, specFile: string): string[] {
  return run.restores
    .filter((r) => !r.passed)
    .map((r) => {
      const failed = r.checks.filter((c) => !c.passed).map((c) => `${c.check}: ${c.detail}`);
      const objectives = [r.rtoMet === false ? `RTO ${r.rto?.totalSeconds ?? "?"} s over the objective` : "", r.rpoMet === false ? `RPO ${r.rpoSeconds ?? "?"} s over the objective` : ""].filter(Boolean);
      const why = [r.error ? `${r.error.code}: ${r.error.message}` : "", ...failed, ...objectives].filter(Boolean).join("; ");
      return `${specFile}  drill window ${run.window}: ${r.backupInstanceId} failed: ${why}`;
    });
}
