import type { RestoreGrant } from "../access";
import type { CrossRegionRoute } from "./restore-calls";
import type { AzureBackupJobResource } from "../api/types";
import type { PolicyRules } from "../checks/policy";
import { jobOutcome } from "../client/jobs";
import type { Problem } from "../errors/problem";
import { kindOf, type RestoreSpec } from "../kinds";
import { canonicalJson, type RestorePlan } from "../plan";
import { isSuccess, type Phase } from "./progress";

/** What the program gives each Restore resource. */
export interface RestoreInputs {
  spec: RestoreSpec;
  /** The spec's file, for messages. */
  specFile: string;
  /**
   * How many specs of the stack restore the same backup instance, restore point and target. Azure's job
   * list cannot tell their jobs apart, so such a restore adopts only a job still running.
   */
  lookalikes?: number;
  /** The rules of the specs folder's restore-policy.yaml. */
  policy?: PolicyRules;
  /** The role assignments the program declares for this restore (`spec.access: grant | keep`), which it depends on. */
  grants?: RestoreGrant[];
}

/** One need of the restore as the run found it (access/assess.ts), in the audit record. */
export interface RecordedAccessNeed {
  role: string;
  roleId: string;
  scope: string;
  /** `vault`, or the resource whose identity it is. */
  identity: string;
  principalId?: string;
  state: "granted" | "missing" | "unknown" | "noIdentity";
  /** The assignments that grant it. */
  by?: string[];
  /** The role assignment this run declared for it. */
  grantedBy?: string;
  reason?: string;
}

/** What the run found of the roles the restore needs, when it first planned it. */
export interface RecordedAccess {
  mode: "check" | "grant" | "keep";
  checkedAt: string;
  needs: RecordedAccessNeed[];
  unchecked: string[];
  /** How often a permission error was retried while the grants propagated. */
  propagationRetries?: number;
}

export interface RecordedError {
  code: string;
  message: string;
  recommendedAction: string[];
}

/** A warning of a job that ended with warnings (`CompletedWithWarnings`): what did not come back, and why. */
export interface RecordedWarning extends RecordedError {
  /** The resource the warning is about, as the job names it. */
  resourceName?: string;
}

/** The audit record a restore leaves in the stack: inputs plus what happened. */
export interface RestoreOutputs extends RestoreInputs {
  name: string;
  kind: string;
  backupInstanceId: string;
  apiVersion: string;
  /** Where the restore stands (see progress.ts). */
  phase: Phase;
  jobId: string;
  status: string;
  startTime?: string;
  endTime?: string;
  duration?: string;
  sourceDataStore: string;
  recoveryPointId?: string;
  recoveryPointTime?: string;
  pointInTime?: string;
  target: string;
  /** The exact body sent to `restore` (for an adopted job: the body this spec renders to). */
  request: unknown;
  requestHash: string;
  validatedAt?: string;
  triggeredAt?: string;
  /** True when the job was found running or finished (started before a crash) instead of triggered; unset until looked for. */
  adopted?: boolean;
  firstAttemptAt: string;
  errors: RecordedError[];
  /** The job's warnings; absent in records written before warnings were recorded. */
  warnings?: RecordedWarning[];
  ticket?: string;
  requestedBy?: string;
  /** The roles the restore needed and how they were held; absent in records written before access was checked. */
  access?: RecordedAccess;
  /** A restore from the vault's secondary region: where its calls went (its job is read there too). */
  crossRegion?: CrossRegionRoute;
}

/** Output names; all declared on the resource so they show in `pulumi stack output` and state. */
export const RESTORE_OUTPUT_NAMES = [
  "name", "kind", "backupInstanceId", "apiVersion", "phase", "jobId", "status", "startTime", "endTime", "duration", "sourceDataStore", "recoveryPointId",
  "recoveryPointTime", "pointInTime", "target", "request", "requestHash", "validatedAt", "triggeredAt", "adopted", "firstAttemptAt", "errors", "warnings", "ticket", "requestedBy", "access", "crossRegion",
] as const;

/** Outputs that may carry something secret: a RawRestore request is the user's body, sent as is. */
export const SECRET_OUTPUT_NAMES = ["request"];

/**
 * What Azure's job list shows of a restore: backup instance, restore point and target as the spec
 * names them. Specs sharing it are told apart by nothing in the job list.
 */
export function lookalikeKey(spec: RestoreSpec): string {
  const s = spec.spec as unknown as Record<string, unknown>;
  // Subscription left out on purpose: a spec may name it or take the default.
  const ref = s.backupInstance as string | { resourceGroup: string; vault: string; name: string };
  const parts = typeof ref === "string" ? /resourceGroups\/([^/]+)\/.*backupVaults\/([^/]+)\/backupInstances\/([^/]+)/i.exec(ref)?.slice(1) ?? [ref] : [ref.resourceGroup, ref.vault, ref.name];
  const instance = parts.join("/");
  const source = canonicalJson({ pointInTime: s.pointInTime ? Date.parse(String(s.pointInTime)) : undefined, recoveryPoint: s.recoveryPoint, store: s.sourceDataStore });
  const target = canonicalJson(kindOf(spec).destination(spec));
  return `${instance.toLowerCase()}|${source}|${target.toLowerCase()}`;
}

/** The part of a spec that decides what the restore does: everything but metadata, wait, rerun and access. */
export function restoreBehaviour(spec: RestoreSpec): string {
  const { wait: _wait, rerun: _rerun, access: _access, ...rest } = spec.spec as unknown as Record<string, unknown>;
  return canonicalJson({ kind: spec.kind, spec: rest });
}

export function rerunOf(spec: RestoreSpec | undefined): string {
  return spec?.spec?.rerun ?? "";
}

/** Removes undefined everywhere: the provider host cannot send it ("Unexpected struct type."). */
export function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export interface RestoreDiff {
  changes: boolean;
  replaces: string[];
}

/**
 * Decides what a run does to a recorded restore. Never replaces on anything but `rerun`, so neither a
 * metadata edit nor new provider code can re-trigger a restore.
 */
export function diffRestore(olds: Partial<RestoreOutputs>, news: RestoreInputs): RestoreDiff {
  if (!olds.spec) return { changes: true, replaces: [] };
  if (rerunOf(olds.spec) !== rerunOf(news.spec)) return { changes: true, replaces: ["rerun"] };
  const changed =
    !isSuccess(olds.status) ||
    canonicalJson(olds.spec.metadata) !== canonicalJson(news.spec.metadata) ||
    canonicalJson(olds.spec.spec.wait ?? null) !== canonicalJson(news.spec.spec.wait ?? null) ||
    (olds.spec.spec.access ?? "check") !== (news.spec.spec.access ?? "check") ||
    olds.specFile !== news.specFile ||
    restoreBehaviour(olds.spec) !== restoreBehaviour(news.spec);
  return { changes: changed, replaces: [] };
}

/** A restore that ran cannot be changed into another restore: say how to ask for a new one. */
export function changedAfterRun(olds: Partial<RestoreInputs> | undefined, news: RestoreInputs): Problem | undefined {
  if (!olds?.spec || rerunOf(olds.spec) !== rerunOf(news.spec)) return undefined;
  if (restoreBehaviour(olds.spec) === restoreBehaviour(news.spec)) return undefined;
  return {
    code: "RestoreAlreadyRan",
    severity: "error",
    message: `restore '${news.spec.metadata.name}' already ran; its spec (${news.specFile}) now asks for a different restore`,
    remedy: "revert the change, add a new spec for the new restore, or change spec.rerun to run this one again with the new settings",
    file: news.specFile,
    field: "spec",
  };
}

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const ta = Date.parse(a);
  return !Number.isNaN(ta) && ta === Date.parse(b);
}

function sameId(a: string | undefined, b: string | undefined): boolean {
  return Boolean(a && b && a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase());
}

export interface AdoptionWindow {
  since: number;
  exclude: string[];
  runningOnly?: boolean;
}

/**
 * Restore jobs of the plan's backup instance that started in the window and are no other restore's:
 * what a job list can tell. The service's job list carries no extendedInfo (recording
 * job_list_and_show), so source and destination are matched on each candidate's own record.
 */
export function adoptionCandidates(jobs: AzureBackupJobResource[], plan: RestorePlan, window: AdoptionWindow): AzureBackupJobResource[] {
  const excluded = new Set(window.exclude.map((id) => id.toLowerCase()));
  return jobs.filter((job) => {
    const p = job.properties;
    if (!p || (p.operationCategory ?? "").toLowerCase() !== "restore") return false;
    if (window.runningOnly && jobOutcome(p.status) !== undefined) return false;
    if (job.id && excluded.has(job.id.toLowerCase())) return false;
    if (!sameId(p.backupInstanceId, plan.backupInstance.id)) return false;
    const started = Date.parse(p.startTime ?? "");
    return !Number.isNaN(started) && started >= window.since;
  });
}

/**
 * A restore job this plan may have started already (before a crash lost its record), among candidates
 * read in full: same backup instance, same recovery point or point in time, same destination, in the
 * window. The newest match wins.
 */
export function findAdoptableJob(jobs: AzureBackupJobResource[], plan: RestorePlan, window: AdoptionWindow): AzureBackupJobResource | undefined {
  const matches = adoptionCandidates(jobs, plan, window).filter((job) => {
    const p = job.properties!;
    const source = p.extendedInfo?.sourceRecoverPoint;
    const sourceMatches = plan.source.pointInTime
      ? sameInstant(source?.recoveryPointTime, plan.source.pointInTime)
      : Boolean(source?.recoveryPointID && plan.source.recoveryPointId && source.recoveryPointID.toLowerCase() === plan.source.recoveryPointId.toLowerCase());
    return sourceMatches && sameId(p.extendedInfo?.recoveryDestination, plan.target.id);
  });
  matches.sort((a, b) => Date.parse(b.properties!.startTime) - Date.parse(a.properties!.startTime));
  return matches[0];
}
