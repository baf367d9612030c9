import { isDeepStrictEqual } from "util";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { ApiVersion } from "../api/versions";
import { checkSpecValue } from "../checks/check";
import { specPolicyViolations, targetViolations, type PolicyRules } from "../checks/policy";
import { backupInstancePath } from "../client/client";
import type { JobKind } from "../client/job-timings";
import { isDataProtectionError } from "../client/errors";
import { fieldError, positioned, type FieldProblem } from "../errors/field";
import { formatProblem, ProblemError, type Problem } from "../errors/problem";
import type { BackupInstanceFacts, RestoreSpec } from "../kinds";
import { resolveBackupInstance, type BackupInstanceAddress } from "../language/backup-instance";
import { canonicalJson, planRestore, type RestorePlan } from "../plan";
import { changedAfterRun, rerunOf, type RestoreInputs } from "./restore-state";
import type { ProviderSettings } from "./settings";

/** The session's conversions to problems and its plan-level checks, apart so the session reads as its flow. */

/** Field problems of a spec as the provider reports them: at the spec's file (the provider has no positions). */
export function fieldProblems(problems: FieldProblem[], inputs: RestoreInputs): Problem[] {
  return problems.map((p) => positioned({ file: inputs.specFile }, p));
}

/** Any error of a restore step as problems: the service's (or the sign-in's) word, ours, or the unexpected. */
export function asProblems(error: unknown, inputs: RestoreInputs): Problem[] {
  if (error instanceof ProblemError) return error.problems;
  if (isDataProtectionError(error)) return [error.toProblem({ file: inputs.specFile })];
  return [{ code: "UnexpectedError", severity: "error", message: (error as Error)?.message ?? String(error), file: inputs.specFile }];
}

export function newRestoreLimit(limit: number, inputs: RestoreInputs): Problem {
  return {
    code: "PolicyViolation",
    severity: "error",
    message: `policy rule maxRestoresPerRun: this run would start more than ${limit} restores`,
    remedy: "split the specs over several pull requests, or raise maxRestoresPerRun in a reviewed change of restore-policy.yaml",
    file: inputs.specFile,
    field: "spec",
  };
}

/** Policy rules that need the plan: where a restore really writes (an original account, a RawRestore target). */
export function planPolicyViolations(plan: RestorePlan, rules: PolicyRules): FieldProblem[] {
  const out = targetViolations(rules, plan.target.id, ["spec"]);
  if (rules.allowOriginalLocation === false && plan.target.id.toLowerCase() === plan.protectedResourceId.toLowerCase()) {
    out.push(fieldError(["spec"], "PolicyViolation", "policy rule allowOriginalLocation: this restore overwrites the original storage account, which the policy does not allow", "restore into another account"));
  }
  return out;
}

/** What makes two plans the same within a run. */
export function planKey(inputs: RestoreInputs, settings: ProviderSettings): string {
  return canonicalJson({ spec: inputs.spec, endpoint: settings.endpoint, apiVersion: settings.apiVersion, subscriptionId: settings.subscriptionId });
}

/** Resolves the backup instance, fetches its facts and plans the restore; throws the problems. */
export async function planFor(inputs: RestoreInputs, settings: ProviderSettings, facts: (spec: RestoreSpec, address: BackupInstanceAddress) => Promise<BackupInstanceFacts>): Promise<RestorePlan> {
  const address = resolveBackupInstance(inputs.spec.spec.backupInstance, settings.subscriptionId);
  if (!address.ok) throw new ProblemError(fieldProblems(address.problems, inputs));
  const result = planRestore(inputs.spec, await facts(inputs.spec, address.value), { apiVersion: settings.apiVersion, defaultSubscriptionId: settings.subscriptionId });
  if (!result.ok) throw new ProblemError(fieldProblems(result.problems, inputs));
  return result.value;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export function hasUnknowns(value: unknown): boolean {
  if (value === unknownValue) return true;
  if (Array.isArray(value)) return value.some(hasUnknowns);
  if (value && typeof value === "object") return Object.values(value).some(hasUnknowns);
  return false;
}

export const failures = (problems: Problem[]): CheckFailure[] => problems.map((p) => ({ property: "spec", reason: formatProblem(p) }));

/** What makes restore jobs alike in how long they run: the instance, the kind of restore, the store. */
export function jobKind(plan: RestorePlan): JobKind {
  const request = plan.restoreRequest;
  return { kind: [plan.kind, request.restoreTargetInfo.objectType, request.sourceDataStoreType, plan.target.kind].join("|"), backupInstanceId: backupInstancePath(plan.backupInstance) };
}


/**
 * `check`'s steps that need no API, in order: unknown inputs; a restore in the stack with the very spec
 * and policy it was checked with (nothing to check again, nothing to ask Azure: a stack keeps every
 * restore it ever ran, and a preview must not pay for them); the spec's checks; the "already ran"
 * guard; the policy, counting this run's new restores in `newRestores`. `final`: a failure, or nothing
 * more to check; `hasRun`: the restore has run (no validation).
 */
export function checkOffline(olds: Partial<RestoreInputs>, news: RestoreInputs, apiVersion: ApiVersion, newRestores: Set<string>): { failures: CheckFailure[]; final: boolean; hasRun: boolean } {
  const done = (found: Problem[] = [], hasRun = false) => ({ failures: failures(found), final: true, hasRun });
  if (hasUnknowns(news)) return done();
  if (olds?.spec && isDeepStrictEqual(olds.spec, news.spec) && isDeepStrictEqual(olds.policy, news.policy) && olds.specFile === news.specFile) return done([], true);
  const specProblems = fieldProblems(checkSpecValue(news.spec, { apiVersion }).filter((p) => p.severity === "error"), news);
  if (specProblems.length > 0) return done(specProblems);
  const changed = changedAfterRun(olds, news);
  if (changed) return done([changed]);
  const hasRun = Boolean(olds?.spec) && rerunOf(olds.spec) === rerunOf(news.spec);
  const rules = news.policy;
  if (rules) {
    const broken = fieldProblems(specPolicyViolations(news.spec, rules), news);
    if (!hasRun && rules.maxRestoresPerRun !== undefined) {
      newRestores.add(news.spec.metadata.name);
      if (newRestores.size > rules.maxRestoresPerRun) broken.push(newRestoreLimit(rules.maxRestoresPerRun, news));
    }
    if (broken.length > 0) return done(broken);
  }
  return { failures: [], final: false, hasRun };
}
