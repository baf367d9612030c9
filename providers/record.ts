import { InitFailure } from "./init-failure";
import { grantName, type AccessReport } from "../access";
import type { AzureBackupJob, AzureBackupJobResource } from "../api/types";
import type { VaultAddress } from "../client/client";
import type { DataProtectionError } from "../client/errors";
import { jobErrors, type FollowedJob } from "../client/jobs";
import { formatProblem, type Problem } from "../errors/problem";
import type { RestorePlan } from "../plan";
import { phaseOfStatus } from "./progress";
import { routeOf } from "./restore-calls";
import { withoutUndefined, type RecordedAccess, type RecordedAccessNeed, type RecordedError, type RecordedWarning, type RestoreInputs, type RestoreOutputs } from "./restore-state";

/** The audit record a restore leaves in the stack, built from its inputs, its plan and its job. Pure. */

export function recordedError(e: DataProtectionError): RecordedError {
  return { code: e.code, message: e.serviceMessage, recommendedAction: e.recommendedAction };
}

/** The job's `extendedInfo.warningDetails`, each with the resource it names. */
export function recordedWarnings(job: AzureBackupJob): RecordedWarning[] {
  return (job.extendedInfo?.warningDetails ?? []).map(({ resourceName, warning }) => ({
    ...(resourceName ? { resourceName } : {}),
    code: warning?.code ?? "UnknownWarning",
    message: warning?.message ?? "",
    recommendedAction: warning?.recommendedAction ?? [],
  }));
}

/** A new restore's record before anything was sent. */
export function plannedRecord(inputs: RestoreInputs, plan: RestorePlan, firstAttemptAt: string): RestoreOutputs {
  return {
    ...inputs,
    name: inputs.spec.metadata.name,
    kind: inputs.spec.kind,
    backupInstanceId: plan.backupInstance.id,
    apiVersion: plan.apiVersion,
    phase: "planned",
    jobId: "",
    status: "NotStarted",
    sourceDataStore: plan.source.dataStore,
    recoveryPointId: plan.source.recoveryPointId,
    recoveryPointTime: plan.source.recoveryPointTime,
    pointInTime: plan.source.pointInTime,
    target: plan.target.id,
    request: plan.restoreRequest,
    requestHash: plan.requestHash,
    firstAttemptAt,
    errors: [],
    warnings: [],
    ticket: inputs.spec.metadata.ticket,
    requestedBy: inputs.spec.metadata.requestedBy,
    ...(plan.crossRegion ? { crossRegion: routeOf(plan.crossRegion, plan.backupInstance) } : {}),
  };
}

/** The record with what the job says now (and, when followed, the follower's errors). */
export function withJob(record: RestoreOutputs, job: AzureBackupJobResource | undefined, followed?: FollowedJob): RestoreOutputs {
  const p = job?.properties;
  const errors = followed ? followed.errors : jobErrors(p, record.jobId);
  const status = p?.status ?? record.status ?? "Unknown";
  return {
    ...record,
    phase: phaseOfStatus(status),
    status,
    startTime: p?.startTime ?? record.startTime,
    endTime: p?.endTime ?? record.endTime,
    duration: p?.duration ?? record.duration,
    errors: errors.map(recordedError),
    warnings: p ? recordedWarnings(p) : record.warnings,
  };
}

/** A metadata edit: the record keeps what ran and takes the new metadata. */
export function withMetadata(olds: RestoreOutputs, news: RestoreInputs): RestoreOutputs {
  const record: RestoreOutputs = withoutUndefined({
    ...olds,
    spec: news.spec,
    specFile: news.specFile,
    grants: news.grants,
    name: news.spec.metadata.name,
    ticket: news.spec.metadata.ticket,
    requestedBy: news.spec.metadata.requestedBy,
  });
  if (!news.spec.metadata.ticket) delete record.ticket;
  if (!news.spec.metadata.requestedBy) delete record.requestedBy;
  return record;
}

/** The error `pulumi up` fails with when the job did not succeed; it carries the record so the engine keeps it. */
export class RestoreJobError extends InitFailure<RestoreOutputs> {}

export function jobFailure(outs: RestoreOutputs, errors: DataProtectionError[], timedOut: boolean, waitLimitMs: number): RestoreJobError {
  const head = timedOut
    ? `restore job ${outs.jobId} is still ${outs.status} after ${Math.round(waitLimitMs / 1000)} s (wait.timeout); the next \`pulumi up\` follows the same job`
    : `restore job ${outs.jobId} ended ${outs.status}`;
  const problems: Problem[] = errors.map((e) => e.toProblem({ file: outs.specFile }));
  if (problems.length === 0) {
    problems.push({
      code: timedOut ? "RestoreJobStillRunning" : "RestoreJobFailed",
      severity: "error",
      message: head,
      remedy: timedOut ? "run `pulumi up` again to keep following it, or raise spec.wait.timeout" : "see the job in the Backup vault; change spec.rerun to try again",
      file: outs.specFile,
    });
  } else {
    problems.unshift({ code: "RestoreJobFailed", severity: "error", message: head, remedy: "fix the cause, then change spec.rerun to run the restore again", file: outs.specFile });
  }
  return new RestoreJobError(outs.jobId, withoutUndefined(outs), problems.map(formatProblem));
}

/** The audit record of an access report: each need, whom it was for, how it was held or why not known. Pure. */
export function accessRecord(report: AccessReport, inputs: RestoreInputs, vault: VaultAddress, checkedAt: string): RecordedAccess {
  const grants = new Map((inputs.grants ?? []).map((g) => [g.roleAssignmentName, g]));
  return {
    mode: inputs.spec.spec.access ?? "check",
    checkedAt,
    needs: report.findings.map((f): RecordedAccessNeed => {
      const grant = grants.get(grantName(f.need, vault));
      return {
        role: f.need.role.name,
        roleId: f.need.role.id,
        scope: f.need.scope,
        identity: f.need.identity.of === "vault" ? (f.need.identity.userAssigned ?? "vault") : f.need.identity.resourceId,
        ...(f.principal ? { principalId: f.principal.principalId } : {}),
        state: f.state,
        ...(f.state === "granted" ? { by: f.by } : {}),
        ...(f.state === "unknown" || f.state === "noIdentity" ? { reason: f.reason } : {}),
        ...(grant ? { grantedBy: grant.roleAssignmentName } : {}),
      };
    }),
    unchecked: report.unchecked,
  };
}
