import { jobOutcome } from "../client/jobs";

/**
 * A restore's progress, recorded in its outputs, and the one function that decides what to do next.
 * `create` and `update` both run `nextStep` until it says done, so the order of the flow lives here:
 *
 *   planned ──(a job this restore started before a crash?)──▶ triggered (adopted)
 *      │ no
 *      ▼
 *   validated ──▶ triggered ──▶ following ──▶ ended
 *
 * `following` is a job not yet ended when a run stopped following it (wait.timeout); the next run goes on.
 */
export type Phase = "planned" | "validated" | "triggered" | "following" | "ended";

export const PHASES: readonly Phase[] = ["planned", "validated", "triggered", "following", "ended"];

/** What the decision reads of a record. */
export interface Progress {
  phase: Phase;
  /** Undefined until the job list was searched for a lost job of this restore; true when one was taken over. */
  adopted?: boolean;
  jobId?: string;
  status?: string;
}

/** What this run knows beyond the record. */
export interface RunState {
  /** This run has followed the job as long as it may (wait.timeout). */
  waitOver: boolean;
}

export type Step = { kind: "findLostJob" } | { kind: "validate" } | { kind: "trigger" } | { kind: "follow"; jobId: string } | { kind: "done" };

export function nextStep(record: Progress, run: RunState): Step {
  switch (record.phase) {
    case "planned":
      return record.adopted === undefined ? { kind: "findLostJob" } : { kind: "validate" };
    case "validated":
      return { kind: "trigger" };
    case "triggered":
    case "following":
      return run.waitOver || !record.jobId ? { kind: "done" } : { kind: "follow", jobId: record.jobId };
    case "ended":
      return { kind: "done" };
  }
}

/** The phase of a job's status once it was read. */
export function phaseOfStatus(status: string | undefined): Phase {
  return jobOutcome(status) ? "ended" : "following";
}

export function isSuccess(status: string | undefined): boolean {
  const outcome = jobOutcome(status);
  return outcome === "succeeded" || outcome === "succeededWithWarnings";
}

/**
 * A recorded restore as a later run takes it up: a job that succeeded is done; any other is followed
 * again (a failed one is looked at once more, so `up` keeps failing with Azure's word until a rerun).
 * Records written before phases were recorded have none: their status tells.
 */
export function resume<T extends Partial<Progress>>(record: T): T & Progress {
  if (isSuccess(record.status)) return { ...record, phase: "ended" };
  return { ...record, phase: record.jobId ? "following" : (record.phase ?? "planned") };
}
