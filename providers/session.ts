import type { AccessApi } from "../access";
import type { AzureBackupJobResource } from "../api/types";
import { vaultPath, type DataProtectionClient } from "../client/client";
import { isDataProtectionError, type DataProtectionError } from "../client/errors";
import { followRestoreJob, jobRanMs, realClock, type Clock } from "../client/jobs";
import { JobTimings } from "../client/job-timings";
import { formatProblem, ProblemError, type Problem } from "../errors/problem";
import { fetchFacts } from "../facts";
import { durationMs } from "../language/time";
import type { RestorePlan } from "../plan";
import { asProblems, checkOffline, failures, fieldProblems, jobKind, planFor, planKey, planPolicyViolations, type CheckFailure } from "./session-checks";
import { KeyedLock } from "./lock";
import { RunningJobs } from "./running-jobs";
import { isSuccess, nextStep, resume, type RunState, type Step } from "./progress";
import { jobFailure, plannedRecord, withJob, withMetadata } from "./record";
import { SessionAccess } from "./session-access";
import { DrillLifecycle } from "./drill-lifecycle";
import type { VerifyIO } from "../verify";
import { verifyIOFor } from "../verify/io";
import { restoreCalls, routeOf, type CrossRegionApi, type CrossRegionRoute, type RestoreCalls } from "./restore-calls";
import { findLostJob } from "./adoption";
import { diffRestore, rerunOf, withoutUndefined, type RestoreDiff, type RestoreInputs, type RestoreOutputs } from "./restore-state";
import { clientFor, type ProviderSettings } from "./settings";
import { triggerRestore } from "./trigger";

/** The calls a session makes; a test passes a fake. */
export type RestoreApi = Pick<DataProtectionClient, "getBackupInstance" | "listBackupInstances" | "getRecoveryPoint" | "listRecoveryPoints" | "fetchSecondaryRecoveryPoints" | "validateRestore" | "triggerRestore" | "getJob" | "listJobs"> &
  Partial<Pick<DataProtectionClient, "serviceClockRate">> &
  CrossRegionApi &
  AccessApi;

export interface SessionDependencies {
  clock: Clock;
  /** A client for the settings' endpoint; called once per endpoint for the session's life. */
  clientFor(settings: ProviderSettings): RestoreApi;
  /** Where warnings go: the provider host's stderr, which the engine shows with the resource. */
  warn(problem: Problem): void;
  /** What a drill's checks read restored data with (verify/io.ts). */
  verifyIO?(settings: ProviderSettings, api: RestoreApi): VerifyIO;
}

export const defaultDependencies: SessionDependencies = { clock: realClock, clientFor, warn: (p) => console.warn(formatProblem(p)), verifyIO: verifyIOFor };

/** How long the `restore` operation (not the job) may take to hand out its job ID, and a busy target may be waited for. */
const TRIGGER_DEADLINE_MS = 15 * 60_000;
/** How long a plan made in `check` serves `create` in the same run. */
const PLAN_REUSE_MS = 15 * 60_000;

/** One `create` or `update` of one restore, beyond its record. */
interface RunContext extends RunState {
  inputs: RestoreInputs;
  /** The plan, for the steps before the job exists (an update has none: its job exists). */
  plan?: RestorePlan;
  waitLimitMs: number;
  /** When the service accepted this run's trigger, on this process's clock. */
  acceptedAt?: number;
  timedOut: boolean;
  errors: DataProtectionError[];
  /** Ends this run's entry among the jobs running on its backup instance (set once its job started). */
  release?: () => void;
}

/**
 * What one provider host knows during one `pulumi preview` or `up`: its client, the plans and
 * validations `check` made (so `create` does not repeat them), each vault's job list as the run found
 * it, the jobs this run claimed, the per-target locks and how long jobs took. The provider's methods
 * are this object's; the clock and the client factory are arguments, so tests drive it directly.
 */
export class RestoreSession {
  private readonly clients = new Map<string, RestoreApi>();
  private readonly locks = new KeyedLock();
  private readonly plans = new Map<string, { plan: RestorePlan; at: number }>();
  /** Validations made in this run, by endpoint and request hash, with when. */
  private readonly validations = new Map<string, string>();
  private readonly vaultJobs = new Map<string, Promise<AzureBackupJobResource[]>>();
  /** Jobs this run triggered or adopted: never adopted again by another restore. */
  private readonly claimed = new Set<string>();
  /** The job a `rerun` replacement supersedes, by restore name (from `diff`). */
  private readonly superseded = new Map<string, { jobId?: string; since: number }>();
  /** Restores that have not run, checked in this run (for the policy's maxRestoresPerRun). */
  private readonly newRestores = new Set<string>();
  private readonly timings = new JobTimings();
  private readonly running = new RunningJobs();
  private readonly access: SessionAccess;
  private drillResources?: DrillLifecycle;

  constructor(
    readonly settings: ProviderSettings,
    private readonly deps: SessionDependencies = defaultDependencies,
  ) {
    this.access = new SessionAccess(settings, () => this.api, deps);
  }

  /** The session's RestoreDrill resources: their restores run through this session. */
  drills(): DrillLifecycle {
    return (this.drillResources ??= new DrillLifecycle(this, () => this.api, () => (this.deps.verifyIO ?? verifyIOFor)(this.settings, this.api), this.deps.clock, this.settings));
  }

  private get api(): RestoreApi {
    let api = this.clients.get(this.settings.endpoint);
    if (!api) this.clients.set(this.settings.endpoint, (api = this.deps.clientFor(this.settings)));
    return api;
  }

  /** The calls of a restore: its backup instance's, or its secondary region's (`plan.crossRegion`, or the record's route). */
  private calls(route: CrossRegionRoute | undefined, plan?: RestorePlan): RestoreCalls {
    return restoreCalls(this.api, route, plan?.crossRegion);
  }

  private planCalls(plan: RestorePlan): RestoreCalls {
    return this.calls(plan.crossRegion && routeOf(plan.crossRegion, plan.backupInstance), plan);
  }

  private now(): number {
    return this.deps.clock.now();
  }

  private waitMs(inputs: RestoreInputs): number {
    const own = inputs.spec.spec.wait?.timeout;
    return (own ? durationMs(own) : undefined) ?? this.settings.waitTimeoutMs;
  }

  /** The plan of a restore, made once per run (check, then create). */
  private async plan(inputs: RestoreInputs): Promise<RestorePlan> {
    const key = planKey(inputs, this.settings);
    const cached = this.plans.get(key);
    if (cached && this.now() - cached.at < PLAN_REUSE_MS) return cached.plan;
    const plan = await planFor(inputs, this.settings, (spec, address) => fetchFacts(this.api, spec, address, this.settings.apiVersion));
    this.plans.set(key, { plan, at: this.now() });
    return plan;
  }

  /** Azure's validateRestore, once per run for the same request; when it ran. */
  private async validateOnce(plan: RestorePlan): Promise<string> {
    const key = `${this.settings.endpoint}|${plan.requestHash}`;
    const done = this.validations.get(key);
    if (done) return done;
    await this.planCalls(plan).validateRestore(plan.backupInstance, plan.validateRequest);
    const at = new Date(this.now()).toISOString();
    this.validations.set(key, at);
    return at;
  }

  /** The vault's job list as it was when this run first needed it (a job lost in a crash started before). */
  private jobsAtStart(plan: RestorePlan): Promise<AzureBackupJobResource[]> {
    const key = `${this.settings.endpoint}|${vaultPath(plan.backupInstance).toLowerCase()}|${plan.crossRegion?.locationPath.toLowerCase() ?? ""}`;
    let listing = this.vaultJobs.get(key);
    if (!listing) {
      listing = this.planCalls(plan).listJobs(plan.backupInstance);
      this.vaultJobs.set(key, listing);
      listing.catch(() => this.vaultJobs.delete(key));
    }
    return listing;
  }

  /** Where a job this restore may have started is looked for: since when, and which jobs are others'. */
  private adoptionWindow(inputs: RestoreInputs): { since: number; exclude: () => string[] } {
    const superseded = this.superseded.get(inputs.spec.metadata.name);
    return {
      since: superseded?.since ?? this.now() - this.settings.adoptWindowMs,
      exclude: () => [...this.claimed, ...(superseded?.jobId ? [superseded.jobId] : [])],
    };
  }

  /** A job this restore started before (a crash lost its record): the one `create` will adopt. */
  private async lostJob(plan: RestorePlan, inputs: RestoreInputs): Promise<AzureBackupJobResource | undefined> {
    const window = this.adoptionWindow(inputs);
    return findLostJob(this.planCalls(plan), await this.jobsAtStart(plan), plan, { since: window.since, exclude: window.exclude(), runningOnly: (inputs.lookalikes ?? 1) > 1 });
  }

  /** `check`: the spec's own checks, the "already ran" guard, and Azure's validation for restores that have not run. */
  async check(olds: Partial<RestoreInputs>, news: RestoreInputs): Promise<{ inputs: RestoreInputs; failures: CheckFailure[] }> {
    const offline = checkOffline(olds, news, this.settings.apiVersion, this.newRestores);
    if (offline.final || offline.hasRun || !this.settings.validateInPreview) return { inputs: news, failures: offline.failures };
    const rules = news.policy;
    try {
      const plan = await this.plan(news);
      const outsidePolicy = rules ? fieldProblems(planPolicyViolations(plan, rules), news) : [];
      if (outsidePolicy.length > 0) return { inputs: news, failures: failures(outsidePolicy) };
      const missingAccess = await this.access.failures(plan, news);
      if (missingAccess.length > 0) return { inputs: news, failures: failures(missingAccess) };
      await this.validateOnce(plan).catch(async (error) => {
        if (this.access.awaitingGrants(error, news)) return;
        // After a crash between trigger and state save, the job that was lost can make validation fail
        // (the database it is creating exists); `create` adopts that job, so preview passes.
        if (!isDataProtectionError(error) || !(await this.lostJob(plan, news))) throw error;
      });
      return { inputs: news, failures: [] };
    } catch (error) {
      return { inputs: news, failures: failures(asProblems(error, news)) };
    }
  }

  /** `diff`: see diffRestore; remembers the job a `rerun` replacement supersedes, for `create`. */
  diff(olds: Partial<RestoreOutputs>, news: RestoreInputs): RestoreDiff {
    const result = diffRestore(olds, news);
    if (result.replaces.length > 0 && olds.jobId) {
      const since = Date.parse(olds.startTime ?? olds.triggeredAt ?? olds.firstAttemptAt ?? "");
      this.superseded.set(news.spec.metadata.name, { jobId: olds.jobId, since: Number.isNaN(since) ? 0 : since });
    }
    return result;
  }

  /** `create`: plan, then the steps of progress.ts from `planned` to the job's end, one restore per target at a time. */
  async create(inputs: RestoreInputs): Promise<{ id: string; outs: RestoreOutputs }> {
    const firstAttemptAt = new Date(this.now()).toISOString();
    const plan = await this.plan(inputs).catch((error) => {
      throw new ProblemError(asProblems(error, inputs));
    });
    return this.locks.run(plan.target.lockKey, async () => {
      const outs = await this.run({ ...plannedRecord(inputs, plan, firstAttemptAt), ...(await this.access.record(plan, inputs)) }, inputs, plan);
      return { id: outs.jobId, outs };
    });
  }

  /** `update`: metadata and wait edits keep the record; a job that did not succeed is followed again, never re-triggered. */
  async update(id: string, olds: RestoreOutputs, news: RestoreInputs): Promise<{ outs: RestoreOutputs }> {
    const record = resume({ ...withMetadata(olds, news), jobId: olds.jobId || id });
    if (record.phase === "ended") return { outs: withoutUndefined(record) };
    return { outs: await this.run(record, news) };
  }

  /** `read` (`pulumi refresh`): the recorded job's status, end time and errors as Azure has them now. */
  async read(id: string, props: RestoreOutputs): Promise<{ id: string; props: RestoreOutputs }> {
    const jobId = props.jobId || id;
    try {
      const job = await this.calls(props.crossRegion).getJob(jobId);
      return { id, props: withoutUndefined(withJob({ ...props, jobId }, job)) };
    } catch (error) {
      // A job Azure no longer keeps is still part of the audit trail.
      if (isDataProtectionError(error) && error.statusCode === 404) return { id, props };
      throw error;
    }
  }

  /**
   * Runs the steps `nextStep` decides until it says done, then returns the record, or throws the
   * job's failure (carrying the record, so the engine keeps it).
   */
  private async run(start: RestoreOutputs, inputs: RestoreInputs, plan?: RestorePlan): Promise<RestoreOutputs> {
    const run: RunContext = { inputs, plan, waitLimitMs: this.waitMs(inputs), waitOver: false, timedOut: false, errors: [] };
    let record = start;
    try {
      for (let step = nextStep(record, run); step.kind !== "done"; step = nextStep(record, run)) {
        record = await this.perform(step, record, run).catch((error) => {
          throw new ProblemError(asProblems(error, inputs));
        });
      }
    } finally {
      run.release?.();
    }
    const outs = withoutUndefined(record);
    if (!isSuccess(outs.status)) throw jobFailure(outs, run.errors, run.timedOut, run.waitLimitMs);
    return outs;
  }

  /** The job this restore now follows: no other restore of this run may adopt it. */
  private claim(run: RunContext, jobId: string): void {
    this.claimed.add(jobId.toLowerCase());
    this.superseded.delete(run.inputs.spec.metadata.name);
  }

  private async perform(step: Exclude<Step, { kind: "done" }>, record: RestoreOutputs, run: RunContext): Promise<RestoreOutputs> {
    if (step.kind === "follow") return this.follow(step.jobId, record, run);
    const plan = run.plan;
    if (!plan) throw new Error(`restore ${record.name} has no job to follow and no plan (phase ${record.phase})`);
    switch (step.kind) {
      case "findLostJob": {
        // Before validating: a job started before a crash can make validation fail, and it is the one to adopt.
        const lost = await this.lostJob(plan, run.inputs);
        if (!lost?.id) return { ...record, adopted: false };
        this.claim(run, lost.id);
        return { ...record, adopted: true, jobId: lost.id, phase: "triggered" };
      }
      case "validate":
        return this.access.validate(record, run.inputs, () => this.validateOnce(plan));
      case "trigger": {
        const window = this.adoptionWindow(run.inputs);
        const triggeredAt = new Date(this.now()).toISOString();
        const instance = plan.backupInstance.id.toLowerCase();
        const started = await triggerRestore(this.planCalls(plan), plan, {
          clock: this.deps.clock,
          since: window.since,
          exclude: window.exclude,
          deadline: this.now() + Math.max(run.waitLimitMs, TRIGGER_DEADLINE_MS),
          busyWaitMs: this.settings.jobPollIntervalMs,
          // The service caps running restores per backup instance: wait for one of ours there to end.
          untilFree: () => this.running.untilFree(instance),
        });
        this.claim(run, started.jobId);
        run.release = this.running.mark(instance);
        run.acceptedAt = started.acceptedAt;
        return { ...record, triggeredAt, jobId: started.jobId, adopted: started.adopted, phase: "triggered" };
      }
    }
  }

  /** Polls the job to its end or to the run's wait limit. */
  private async follow(jobId: string, record: RestoreOutputs, run: RunContext): Promise<RestoreOutputs> {
    // An adopted job started at an unknown moment on this clock: it neither uses nor teaches timings.
    const kind = run.plan && run.acceptedAt !== undefined ? jobKind(run.plan) : undefined;
    const followed = await followRestoreJob(this.calls(record.crossRegion), jobId, {
      deadlineMs: run.waitLimitMs,
      initialIntervalMs: this.settings.jobPollIntervalMs,
      maxIntervalMs: this.settings.jobPollMaxIntervalMs,
      startedAt: run.acceptedAt,
      hint: kind && this.timings.hint(kind),
      // Another restore waits for this job, on its target or its instance, or the run waits on its last jobs.
      waitedOn: () => this.running.inTail() || Boolean(run.plan && (this.locks.waiting(run.plan.target.lockKey) || this.running.waitedOn(run.plan.backupInstance.id.toLowerCase()))),
      clock: this.deps.clock,
    });
    const next = withJob(record, followed.job, followed);
    if (kind && run.acceptedAt !== undefined && isSuccess(next.status)) this.timings.record(kind, jobRanMs(followed.job, this.now() - run.acceptedAt, this.api.serviceClockRate));
    run.waitOver = next.phase !== "ended";
    run.timedOut = followed.outcome === "timedOut";
    run.errors = followed.errors;
    return next;
  }
}
