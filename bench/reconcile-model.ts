import type { FaultRule } from "../emulator/faults";
import type { ReconcileSetup, ReconcileSpec } from "./world";

/**
 * The reconcile benchmark's input and result (bench/reconcile.ts runs it), and the model of the calls a
 * restore cannot do without that its figures are measured against. Pure.
 */

export interface ReconcileInput {
  setupFile: string;
  registrationsFile: string;
  timeScale: number;
  apiVersion: string;
  /** First job poll interval given to the provider (jobPollInterval), real seconds. */
  jobPollSeconds: number;
  /**
   * Longest job poll interval given to the provider (jobPollMaxInterval, real seconds): the follower's
   * 60 s cap divided by the time scale. A provider that does not know the key ignores it and keeps
   * 60 s of real time, i.e. 60 × time scale emulated seconds.
   */
  jobPollMaxSeconds: number;
  /** The follower's cap on poll intervals, virtual seconds (as it applies against Azure). */
  followerCapSeconds: number;
  /** First and longest wait between operation status polls when a 202 names no Retry-After (operationPollInterval / operationPollMaxInterval), real seconds. */
  operationPollSeconds: number;
  operationPollMaxSeconds: number;
  /** The client's cap on operation status poll intervals, virtual seconds (PT30S against Azure). */
  operationCapSeconds: number;
  /** Whether the api-version's 202s carry Retry-After (before 2022-01-01; the recorded later ones carry none). */
  retryAfterSent: boolean;
  faults: FaultRule[];
  certDir: string;
  label: string;
  /** `up` (default), or `preview` (Check and Diff only). */
  mode?: "up" | "preview";
  /** The service's cap of running restores per backup instance, when the world sets one (the ideal follows it). */
  perInstanceCap?: number;
  /** A stack that already holds these ended restores (registrations of their specs): loaded as state before the run. */
  endedRegistrationsFile?: string;
}

export interface RouteCount {
  route: string;
  actual: number;
  throttled: number;
  minimum: number;
}

export interface ReconcileResult {
  label: string;
  restores: number;
  failures: Array<{ name: string; error: string }>;
  wallSeconds: number;
  virtualSeconds: number;
  idealSeconds: number;
  idealVirtualSeconds: number;
  longestChain: string;
  limits?: {
    reads: number;
    writes: number;
    forcedReadsSeconds: number;
    forcedWritesSeconds: number;
    allowSeconds: number;
    tokenBucketReadsSeconds: number;
    tokenBucketWritesSeconds: number;
    /** Per subscription (ARM's limits are per subscription): the flow's minimum reads and writes and the emulated seconds their windows force. */
    bySubscription: Array<{ subscription: string; minimumReads: number; minimumWrites: number; actualReads: number; actualWrites: number; forcedReadsSeconds: number; forcedWritesSeconds: number }>;
    /** What the limits and the jobs allow, from the flow's minimum calls (real seconds). */
    boundSeconds: number;
  };
  calls: { actual: number; throttled: number; minimum: number; perRestore: number; minimumPerRestore: number };
  /** The minimum of one restore of each kind of spec, by route. */
  minimumBySpec: Record<string, Record<string, number>>;
  routes: RouteCount[];
  retryAfter: { checked: number; violations: number; byKind: Record<string, { checked: number; violations: number; worstGapMs?: number; retryAfterMs?: number }> };
  lateness: Record<string, { count: number; meanSeconds: number; maxSeconds: number }>;
  chainGaps: { count: number; meanSeconds: number; maxSeconds: number };
  /** The chain that ended last: what happened when (emulated seconds after `up` began). */
  criticalChain?: { key: string; events: Array<{ at: number; what: string }> };
  firstJobAfterSeconds: number;
  /** With a stack of ended restores: how many, the calls that named their backup instances, the host's RSS before and after. */
  history?: { ended: number; callsOnEnded: number; hostRssAtStartMb: number; hostRssAfterMb: number };
  /** The engine's steps by operation. */
  steps: Record<string, number>;
  /** Responses by HTTP status (429s and 409s included). */
  statuses: Record<string, number>;
  memory: { hostPeakRssMb: number; driverPeakRssMb: number };
  logEntries: number;
  logTruncated: boolean;
  hostCpuSeconds?: number;
  /** Restores by kind (set by bench/main.ts). */
  kinds?: Record<string, number>;
}

/** The calls one restore cannot do without (see docs/benchmarks.md, "API calls"). */
export function minimumCalls(spec: ReconcileSpec, setup: ReconcileSetup, input: Pick<ReconcileInput, "timeScale" | "apiVersion" | "followerCapSeconds" | "operationCapSeconds" | "retryAfterSent" | "mode">): Record<string, number> {
  if (input.mode === "preview") {
    return {
      getBackupInstance: 1,
      getRecoveryPoint: spec.recoveryPoint === "get" ? 1 : 0,
      listRecoveryPoints: spec.recoveryPoint === "list" ? 1 : 0,
      validateRestore: 1,
      "operationStatus:validateRestore": Math.ceil(setup.seconds.validateRestore / (input.retryAfterSent ? Math.max(1, Math.ceil(setup.settings.retryAfter.validateRestore / input.timeScale)) * input.timeScale : input.operationCapSeconds)),
    };
  }
  const ra = setup.settings.retryAfter;
  // The Retry-After the 202 carries, in virtual seconds (the emulator divides by the time scale and sends at least 1 s).
  const effective = (seconds: number) => Math.max(1, Math.ceil(seconds / input.timeScale)) * input.timeScale;
  // Without Retry-After the client keeps its own schedule; a follower that must see the end within its cap
  // (PT30S) cannot poll less than every cap, as for jobs.
  const validatePolls = Math.ceil(setup.seconds.validateRestore / (input.retryAfterSent ? effective(ra.validateRestore) : input.operationCapSeconds));
  const restorePolls = Math.ceil(setup.seconds.restore / (input.retryAfterSent ? effective(ra.restore) : input.operationCapSeconds));
  return {
    getBackupInstance: 1,
    getRecoveryPoint: spec.recoveryPoint === "get" ? 1 : 0,
    listRecoveryPoints: spec.recoveryPoint === "list" ? 1 : 0,
    // The job list is the run's, not the restore's: see vaultListingPages.
    listJobs: 0,
    validateRestore: 1,
    "operationStatus:validateRestore": validatePolls,
    restore: 1,
    "operationStatus:restore": restorePolls,
    getJob: Math.max(1, Math.ceil(spec.jobSeconds / input.followerCapSeconds)),
  };
}

/**
 * The job listing the flow needs: each vault's list once per run (the guard against restoring twice
 * after a crash looks for jobs started before the run), all its pages as they are when the run starts.
 */
export function vaultListingPages(vaults: string[], jobsAtStart: Array<{ vaultName: string }>, pageSize: number): number {
  return [...new Set(vaults.map((v) => v.toLowerCase()))].reduce((pages, vault) => {
    const jobs = jobsAtStart.filter((j) => j.vaultName.toLowerCase() === vault).length;
    return pages + Math.max(1, Math.ceil(jobs / pageSize));
  }, 0);
}
