/**
 * What the Restore provider does, loaded by the provider object's methods with `require` at run time
 * (inside the dynamic-provider host, from dist/). Module state here lives for one host process, i.e.
 * one `pulumi preview`/`up`: the per-account locks, the validations `check` already made, and what
 * `diff` learned about a restore that a `rerun` change replaces.
 */
import type { AzureBackupJobResource } from "../api/types";
import { fetchFacts } from "./facts";
import { formatProblem, ProblemError, type Problem } from "../errors/problem";
import { canonicalJson, planRestore, type RestorePlan } from "../plan";
import { resolveBackupInstance } from "../plan/backup-instance";
import { checkSpecValue } from "../spec/check";
import { specPolicyViolations, targetViolations, type PolicyRules } from "../spec/policy";
import type { FieldProblem } from "../spec/rules";
import { fieldPathText } from "../spec/yaml";
import { durationMs } from "../spec/time";
import { DataProtectionClient } from "./client/client";
import { credentialFor } from "./client/credentials";
import { DataProtectionError, isDataProtectionError } from "./client/errors";
import { followRestoreJob, jobErrors, type FollowedJob } from "./client/jobs";
import { JobTimings, type JobKind } from "./client/job-timings";
import { backupInstancePath, vaultPath } from "./client/client";
import { KeyedLock } from "./lock";
import {
  changedAfterRun,
  diffRestore,
  findAdoptableJob,
  isSuccess,
  rerunOf,
  withoutUndefined,
  type RecordedError,
  type RestoreDiff,
  type RestoreInputs,
  type RestoreOutputs,
} from "./restore-state";
import { readCa, settingsFrom, type ProviderSettings } from "./settings";

export { settingsFrom } from "./settings";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const locks = new KeyedLock();
/** Validations made in this host, by endpoint and request hash (check validates, create reuses it). */
const validatedHashes = new Map<string, string>();
const supersededBy = new Map<string, { jobId?: string; since: number }>();
/** Jobs this host triggered or adopted: never adopted again by another restore. */
const claimedJobs = new Set<string>();
/** Restores that have not run, checked in this run (for the policy's maxRestoresPerRun). */
const newRestores = new Set<string>();
/** Plans made in this host (check, then create in the same `up`), so create does not fetch the facts again. */
const plans = new Map<string, { plan: RestorePlan; at: number }>();
const PLAN_REUSE_MS = 15 * 60_000;
/**
 * Each vault's job list as it was when this run first needed it: a job this stack lost in a crash
 * started before this host did, so it is there; jobs this host starts are in `claimedJobs`. One listing
 * per vault instead of one per restore (ARM throttles reads; a vault's list is paged).
 */
const vaultJobs = new Map<string, Promise<AzureBackupJobResource[]>>();
/** How long the restore jobs of this run took, for the followers of the next ones. */
const jobTimings = new JobTimings();

/**
 * How long the `restore` operation (not the job) may take to hand out its job ID, and a busy account
 * may be waited for. `wait.timeout` bounds following the job only.
 */
const TRIGGER_DEADLINE_MS = 15 * 60_000;

/** Attempts at the `restore` trigger when the answer is ambiguous or the account is busy. */
const MAX_TRIGGER_ATTEMPTS = 4;

export interface CheckFailure {
  property: string;
  reason: string;
}

function hasUnknowns(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknowns);
  if (value && typeof value === "object") return Object.values(value).some(hasUnknowns);
  return false;
}

function client(settings: ProviderSettings): DataProtectionClient {
  return new DataProtectionClient({ endpoint: settings.endpoint, apiVersion: settings.apiVersion, credential: credentialFor(settings.credential), ca: readCa(settings) });
}

function problemOf(error: unknown, inputs: RestoreInputs): Problem {
  if (isDataProtectionError(error)) return error.toProblem({ file: inputs.specFile });
  if (error instanceof ProblemError) return error.problems[0];
  return { code: "UnexpectedError", severity: "error", message: (error as Error).message ?? String(error), file: inputs.specFile };
}

function asProblem(p: FieldProblem, inputs: RestoreInputs): Problem {
  return { code: p.code, severity: p.severity, message: p.message, remedy: p.remedy, field: fieldPathText(p.path), file: inputs.specFile };
}

function fail(problems: Problem[]): never {
  throw new ProblemError(problems);
}

function recorded(e: DataProtectionError): RecordedError {
  return { code: e.code, message: e.serviceMessage, recommendedAction: e.recommendedAction };
}

function planKey(inputs: RestoreInputs, settings: ProviderSettings): string {
  return canonicalJson({ spec: inputs.spec, endpoint: settings.endpoint, apiVersion: settings.apiVersion, subscriptionId: settings.subscriptionId });
}

async function planFor(api: DataProtectionClient, inputs: RestoreInputs, settings: ProviderSettings): Promise<RestorePlan> {
  const key = planKey(inputs, settings);
  const cached = plans.get(key);
  if (cached && Date.now() - cached.at < PLAN_REUSE_MS) return cached.plan;
  const plan = await makePlan(api, inputs, settings);
  plans.set(key, { plan, at: Date.now() });
  return plan;
}

async function makePlan(api: DataProtectionClient, inputs: RestoreInputs, settings: ProviderSettings): Promise<RestorePlan> {
  const address = resolveBackupInstance(inputs.spec.spec.backupInstance, settings.subscriptionId);
  if ("problem" in address) fail([asProblem(address.problem, inputs)]);
  const facts = await fetchFacts(api, inputs.spec, address);
  const result = planRestore(inputs.spec, facts, { apiVersion: settings.apiVersion, defaultSubscriptionId: settings.subscriptionId });
  if (!result.plan) fail(result.problems.map((p) => asProblem(p, inputs)));
  return result.plan;
}

function validationKey(settings: ProviderSettings, plan: RestorePlan): string {
  return `${settings.endpoint}|${plan.requestHash}`;
}

function waitMs(inputs: RestoreInputs, settings: ProviderSettings): number {
  const own = inputs.spec.spec.wait?.timeout;
  return (own ? durationMs(own) : undefined) ?? settings.waitTimeoutMs;
}

/** `check`: the spec's own checks, the "already ran" guard, and Azure's validation for restores that have not run. */
export async function check(settings: ProviderSettings, olds: Partial<RestoreInputs>, news: RestoreInputs): Promise<{ inputs: RestoreInputs; failures: CheckFailure[] }> {
  if (hasUnknowns(news)) return { inputs: news, failures: [] };
  const failures: CheckFailure[] = [];
  const specProblems = checkSpecValue(news.spec, { apiVersion: settings.apiVersion }).filter((p) => p.severity === "error");
  for (const p of specProblems) failures.push({ property: "spec", reason: formatProblem(asProblem(p, news)) });
  if (failures.length > 0) return { inputs: news, failures };
  const changed = changedAfterRun(olds, news);
  if (changed) return { inputs: news, failures: [{ property: "spec", reason: formatProblem(changed) }] };
  const hasRun = Boolean(olds?.spec) && rerunOf(olds.spec) === rerunOf(news.spec);
  const rules = news.policy;
  if (rules) {
    for (const v of specPolicyViolations(news.spec, rules)) failures.push({ property: "spec", reason: formatProblem(asProblem(v, news)) });
    if (!hasRun && rules.maxRestoresPerRun !== undefined) {
      newRestores.add(news.spec.metadata.name);
      if (newRestores.size > rules.maxRestoresPerRun) {
        failures.push({
          property: "spec",
          reason: formatProblem({
            code: "PolicyViolation",
            severity: "error",
            message: `policy rule maxRestoresPerRun: this run would start more than ${rules.maxRestoresPerRun} restores`,
            remedy: "split the specs over several pull requests, or raise maxRestoresPerRun in a reviewed change of restore-policy.yaml",
            file: news.specFile,
            field: "spec",
          }),
        });
      }
    }
    if (failures.length > 0) return { inputs: news, failures };
  }
  if (hasRun || !settings.validateInPreview) return { inputs: news, failures };
  try {
    const api = client(settings);
    const plan = await planFor(api, news, settings);
    const targetProblems = rules ? planPolicyViolations(plan, rules) : [];
    if (targetProblems.length > 0) {
      return { inputs: news, failures: targetProblems.map((v) => ({ property: "spec", reason: formatProblem(asProblem(v, news)) })) };
    }
    if (!validatedHashes.has(validationKey(settings, plan))) {
      try {
        await api.validateRestore(plan.backupInstance, plan.validateRequest);
      } catch (error) {
        // After a crash between trigger and state save, the job that was lost can make validation
        // fail (the database it is creating exists); `create` adopts that job, so preview passes.
        if (!isDataProtectionError(error) || !(await adoptableJob(api, plan, news, settings))) throw error;
        return { inputs: news, failures };
      }
      validatedHashes.set(validationKey(settings, plan), new Date().toISOString());
    }
  } catch (error) {
    const problems = error instanceof ProblemError ? error.problems : [problemOf(error, news)];
    for (const p of problems) failures.push({ property: "spec", reason: formatProblem(p) });
  }
  return { inputs: news, failures };
}


/** Policy rules that need the plan: where a restore really writes (an original account, a RawRestore target). */
function planPolicyViolations(plan: RestorePlan, rules: PolicyRules): FieldProblem[] {
  const out = targetViolations(rules, plan.target.id, ["spec"]);
  if (rules.allowOriginalLocation === false && plan.target.id.toLowerCase() === plan.protectedResourceId.toLowerCase()) {
    out.push({ path: ["spec"], code: "PolicyViolation", severity: "error", message: "policy rule allowOriginalLocation: this restore overwrites the original storage account, which the policy does not allow", remedy: "restore into another account" });
  }
  return out;
}

function jobsAtStart(api: DataProtectionClient, settings: ProviderSettings, plan: RestorePlan): Promise<AzureBackupJobResource[]> {
  const key = `${settings.endpoint}|${vaultPath(plan.backupInstance).toLowerCase()}`;
  let listing = vaultJobs.get(key);
  if (!listing) {
    listing = api.listJobs(plan.backupInstance);
    vaultJobs.set(key, listing);
    listing.catch(() => vaultJobs.delete(key));
  }
  return listing;
}

/** What makes restore jobs alike in how long they run: the instance, the kind of restore, the store. */
function jobKind(plan: RestorePlan): JobKind {
  const request = plan.restoreRequest;
  return { kind: [plan.kind, request.restoreTargetInfo.objectType, request.sourceDataStoreType, plan.target.kind].join("|"), backupInstanceId: backupInstancePath(plan.backupInstance) };
}

/** A job this restore started before (a crash lost its record): the one `create` will adopt. */
async function adoptableJob(api: DataProtectionClient, plan: RestorePlan, inputs: RestoreInputs, settings: ProviderSettings): Promise<AzureBackupJobResource | undefined> {
  const superseded = supersededBy.get(inputs.spec.metadata.name);
  return findAdoptableJob(await jobsAtStart(api, settings, plan), plan, {
    since: superseded?.since ?? Date.now() - settings.adoptWindowMs,
    exclude: [...claimedJobs, ...(superseded?.jobId ? [superseded.jobId] : [])],
    runningOnly: (inputs.lookalikes ?? 1) > 1,
  });
}

/** `diff`: see diffRestore; remembers the job a `rerun` replacement supersedes, for `create`. */
export function diff(olds: Partial<RestoreOutputs>, news: RestoreInputs): RestoreDiff {
  const result = diffRestore(olds, news);
  if (result.replaces.length > 0 && olds.jobId) {
    const since = Date.parse(olds.startTime ?? olds.triggeredAt ?? olds.firstAttemptAt ?? "");
    supersededBy.set(news.spec.metadata.name, { jobId: olds.jobId, since: Number.isNaN(since) ? 0 : since });
  }
  return result;
}

function baseRecord(inputs: RestoreInputs, plan: RestorePlan, firstAttemptAt: string): Omit<RestoreOutputs, "jobId" | "status" | "errors" | "adopted"> {
  return {
    ...inputs,
    name: inputs.spec.metadata.name,
    kind: inputs.spec.kind,
    backupInstanceId: plan.backupInstance.id,
    apiVersion: plan.apiVersion,
    sourceDataStore: plan.source.dataStore,
    recoveryPointId: plan.source.recoveryPointId,
    recoveryPointTime: plan.source.recoveryPointTime,
    pointInTime: plan.source.pointInTime,
    target: plan.target.id,
    request: plan.restoreRequest,
    requestHash: plan.requestHash,
    firstAttemptAt,
    ticket: inputs.spec.metadata.ticket,
    requestedBy: inputs.spec.metadata.requestedBy,
  };
}

function withJob<T extends Partial<RestoreOutputs>>(record: T, job: AzureBackupJobResource | undefined, jobId: string, followed?: FollowedJob): T & Pick<RestoreOutputs, "jobId" | "status" | "errors"> {
  const p = job?.properties;
  const errors = followed ? followed.errors : jobErrors(p, jobId);
  return {
    ...record,
    jobId,
    status: p?.status ?? record.status ?? "Unknown",
    startTime: p?.startTime ?? record.startTime,
    endTime: p?.endTime ?? record.endTime,
    duration: p?.duration ?? record.duration,
    errors: errors.map(recorded),
  };
}

/** The error `pulumi up` fails with when the job did not succeed; it carries the record so the engine keeps it. */
class RestoreJobError extends Error {
  constructor(
    readonly id: string,
    readonly properties: RestoreOutputs,
    readonly reasons: string[],
  ) {
    super(reasons.join("\n"));
    this.name = "RestoreJobError";
  }
}

function jobFailure(outs: RestoreOutputs, followed: FollowedJob, waitLimitMs: number): RestoreJobError {
  const head =
    followed.outcome === "timedOut"
      ? `restore job ${outs.jobId} is still ${outs.status} after ${Math.round(waitLimitMs / 1000)} s (wait.timeout); the next \`pulumi up\` follows the same job`
      : `restore job ${outs.jobId} ended ${outs.status}`;
  const problems: Problem[] = followed.errors.map((e) => e.toProblem({ file: outs.specFile }));
  if (problems.length === 0) {
    problems.push({
      code: followed.outcome === "timedOut" ? "RestoreJobStillRunning" : "RestoreJobFailed",
      severity: "error",
      message: head,
      remedy: followed.outcome === "timedOut" ? "run `pulumi up` again to keep following it, or raise spec.wait.timeout" : "see the job in the Backup vault; change spec.rerun to try again",
      file: outs.specFile,
    });
  } else {
    problems.unshift({ code: "RestoreJobFailed", severity: "error", message: head, remedy: "fix the cause, then change spec.rerun to run the restore again", file: outs.specFile });
  }
  return new RestoreJobError(outs.jobId, withoutUndefined(outs), problems.map(formatProblem));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function accountBusy(error: DataProtectionError): boolean {
  return error.isRetryable === true && error.statusCode !== undefined && error.statusCode < 500 && error.statusCode !== 429;
}

/**
 * Sends `restore` once, unless the answer leaves it unknown whether the job started: then the job
 * list decides (adopt what started) before sending again. A busy account (another restore running
 * there) is waited for.
 */
async function trigger(api: DataProtectionClient, plan: RestorePlan, since: number, exclude: () => string[], deadline: number, pollMs: number): Promise<{ jobId: string; adopted: boolean; acceptedAt?: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      let acceptedAt: number | undefined;
      const outcome = await api.triggerRestore(plan.backupInstance, plan.restoreRequest, { deadlineMs: Math.max(1000, deadline - Date.now()), onStarted: () => (acceptedAt = Date.now()) });
      if (!outcome.jobId) fail([{ code: "RestoreWithoutJob", severity: "error", message: "the restore operation succeeded without a job ID", remedy: "look for the job in the Backup vault" }]);
      return { jobId: outcome.jobId, adopted: false, acceptedAt };
    } catch (error) {
      if (!isDataProtectionError(error) || attempt >= MAX_TRIGGER_ATTEMPTS || Date.now() > deadline) throw error;
      if (error.ambiguous) {
        const found = findAdoptableJob(await api.listJobs(plan.backupInstance), plan, { since, exclude: exclude() });
        if (found?.id) return { jobId: found.id, adopted: true };
        continue;
      }
      if (accountBusy(error)) {
        await sleep(pollMs);
        continue;
      }
      throw error;
    }
  }
}

/** `create`: resolve, adopt or validate-and-trigger, follow the job, record everything. */
export async function create(settings: ProviderSettings, inputs: RestoreInputs): Promise<{ id: string; outs: RestoreOutputs }> {
  const firstAttemptAt = new Date().toISOString();
  const api = client(settings);
  const plan = await planFor(api, inputs, settings).catch((error) => fail(error instanceof ProblemError ? error.problems : [problemOf(error, inputs)]));
  const waitLimit = waitMs(inputs, settings);
  return locks.run(plan.target.lockKey, async () => {
    const superseded = supersededBy.get(inputs.spec.metadata.name);
    const since = superseded?.since ?? Date.now() - settings.adoptWindowMs;
    const exclude = () => [...claimedJobs, ...(superseded?.jobId ? [superseded.jobId] : [])];
    // Validation comes after the adoption check: a job started before a crash can make it fail (the
    // database it is creating already exists), and that job is the one to adopt.
    let validatedAt: string | undefined;
    let triggeredAt: string | undefined;
    let jobId: string;
    let adopted = false;
    let acceptedAt: number | undefined;
    try {
      const existing = findAdoptableJob(await jobsAtStart(api, settings, plan), plan, { since, exclude: exclude(), runningOnly: (inputs.lookalikes ?? 1) > 1 });
      if (existing?.id) {
        jobId = existing.id;
        adopted = true;
      } else {
        validatedAt = validatedHashes.get(validationKey(settings, plan));
        if (!validatedAt) {
          await api.validateRestore(plan.backupInstance, plan.validateRequest);
          validatedAt = new Date().toISOString();
          validatedHashes.set(validationKey(settings, plan), validatedAt);
        }
        triggeredAt = new Date().toISOString();
        const started = await trigger(api, plan, since, exclude, Date.now() + Math.max(waitLimit, TRIGGER_DEADLINE_MS), settings.jobPollIntervalMs);
        jobId = started.jobId;
        adopted = started.adopted;
        acceptedAt = started.acceptedAt;
      }
    } catch (error) {
      fail(error instanceof ProblemError ? error.problems : [problemOf(error, inputs)]);
    }
    claimedJobs.add(jobId.toLowerCase());
    supersededBy.delete(inputs.spec.metadata.name);
    // An adopted job started at an unknown moment on this clock: it neither uses nor teaches timings.
    const kind = acceptedAt !== undefined ? jobKind(plan) : undefined;
    const followed = await followRestoreJob(api, jobId, { deadlineMs: waitLimit, initialIntervalMs: settings.jobPollIntervalMs, maxIntervalMs: settings.jobPollMaxIntervalMs, startedAt: acceptedAt, hint: kind && jobTimings.hint(kind) });
    const outs = withoutUndefined(withJob({ ...baseRecord(inputs, plan, firstAttemptAt), adopted, validatedAt, triggeredAt }, followed.job, jobId, followed)) as RestoreOutputs;
    if (kind && acceptedAt !== undefined && isSuccess(outs.status)) jobTimings.record(kind, Date.now() - acceptedAt);
    if (!isSuccess(outs.status)) throw jobFailure(outs, followed, waitLimit);
    return { id: jobId, outs };
  });
}

/** `update`: metadata and wait edits keep the record; an unfinished or failed job is followed again, never re-triggered. */
export async function update(settings: ProviderSettings, id: string, olds: RestoreOutputs, news: RestoreInputs): Promise<{ outs: RestoreOutputs }> {
  const record: RestoreOutputs = withoutUndefined({
    ...olds,
    spec: news.spec,
    specFile: news.specFile,
    name: news.spec.metadata.name,
    ticket: news.spec.metadata.ticket,
    requestedBy: news.spec.metadata.requestedBy,
  });
  if (!news.spec.metadata.ticket) delete record.ticket;
  if (!news.spec.metadata.requestedBy) delete record.requestedBy;
  if (isSuccess(olds.status)) return { outs: record };
  const jobId = olds.jobId || id;
  const waitLimit = waitMs(news, settings);
  const api = client(settings);
  const followed = await followRestoreJob(api, jobId, { deadlineMs: waitLimit, initialIntervalMs: settings.jobPollIntervalMs, maxIntervalMs: settings.jobPollMaxIntervalMs });
  const outs = withoutUndefined(withJob(record, followed.job, jobId, followed));
  if (!isSuccess(outs.status)) throw jobFailure(outs, followed, waitLimit);
  return { outs };
}

/** `read` (`pulumi refresh`): the recorded job's status, end time and errors as Azure has them now. */
export async function read(settings: ProviderSettings, id: string, props: RestoreOutputs): Promise<{ id: string; props: RestoreOutputs }> {
  const jobId = props.jobId || id;
  try {
    const job = await client(settings).getJob(jobId);
    return { id, props: withoutUndefined(withJob(props, job, jobId)) };
  } catch (error) {
    // A job Azure no longer keeps is still part of the audit trail.
    if (isDataProtectionError(error) && error.statusCode === 404) return { id, props };
    throw error;
  }
}

export { settingsFrom as configure };
