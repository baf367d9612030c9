/**
 * The evidence a restore drill leaves: one record per run, per sampled backup instance, kept (the last
 * N) in the RestoreDrill resource's outputs and so in the stack's history. What auditors read, and what
 * `azure-restores report` renders. Durations are seconds; times ISO 8601 UTC.
 */

/** One check of `verify`, as it ran on the restored data. */
export interface CheckResult {
  /** `exists`, `files`, `sql`, `command`. */
  check: "exists" | "files" | "sql" | "command";
  passed: boolean;
  /** What was looked at and what was found: "3 files, 12,288 bytes under restores/drill-…", "select … returned 42 rows". */
  detail: string;
  seconds: number;
}

/** The recovery time of one restore, by step. */
export interface RecoveryTime {
  validateSeconds: number;
  jobSeconds: number;
  verifySeconds: number;
  totalSeconds: number;
}

/** One backup instance restored and verified in one window. */
export interface DrillRestoreEvidence {
  backupInstanceId: string;
  /** The kind of restore the drill ran for it (`PostgreSQLRestore`, ...). */
  kind: string;
  recoveryPointId?: string;
  recoveryPointTime?: string;
  /** Age of the recovery point when the drill started: the data the restore would have lost. */
  rpoSeconds?: number;
  jobId?: string;
  jobStatus?: string;
  /** ARM ID (or URL, for files) of what the restore wrote. */
  target?: string;
  rto?: RecoveryTime;
  checks: CheckResult[];
  /** Against `objectives`: undefined where the drill sets none. */
  rtoMet?: boolean;
  rpoMet?: boolean;
  passed: boolean;
  /** Why it failed, when it did before its checks (validation, the job, the sign-in...). */
  error?: { code: string; message: string };
}

/** One run of a drill: a window, the instances it sampled, each one's evidence. */
export interface DrillRun {
  /** Index of the window since `startingFrom` (0, 1, ...), and its bounds. */
  window: number;
  windowStart: string;
  windowEnd: string;
  startedAt: string;
  endedAt: string;
  /** The seed the sample and the random recovery points were drawn with (reproducible). */
  seed: string;
  objectives?: { rto?: string; rpo?: string };
  restores: DrillRestoreEvidence[];
  passed: boolean;
}

/** The outputs of a RestoreDrill resource that carry the evidence. */
export interface DrillOutputs {
  name: string;
  /** The last window that ran, and the newest runs first (at most `history`). */
  lastWindow?: number;
  runs: DrillRun[];
}
