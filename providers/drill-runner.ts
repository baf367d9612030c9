import type { BackupInstanceResource } from "../api/types";
import type { DataProtectionClient } from "../client/client";
import type { Clock } from "../client/jobs";
import type { DrillRestoreEvidence, DrillRun } from "../drills/evidence";
import type { DrillSpec } from "../drills/spec";
import { drillRestoreSpec } from "../drills/targets";
import { randomPointWithin, sample, type DrillWindow } from "../drills/windows";
import { formatProblem, type Problem } from "../errors/problem";
import type { RestoreSpec } from "../kinds";
import { resolveBackupInstance } from "../language/backup-instance";
import { durationMs } from "../language/time";
import { verifyRestore, type RestoredData, type VerifyIO } from "../verify";
import { failureReasons, keptRuns, DrillFailedError, type DrillInputs, type DrillState } from "./drill-state";
import { isSuccess } from "./progress";
import { RestoreJobError } from "./record";
import type { RestoreInputs, RestoreOutputs } from "./restore-state";
import { asProblems, type CheckFailure } from "./session-checks";

/** How a drill's restores run: the session's check and create (providers/session.ts). */
export interface DrillRestores {
  check(olds: Partial<RestoreInputs>, news: RestoreInputs): Promise<{ failures: CheckFailure[] }>;
  create(inputs: RestoreInputs): Promise<{ outs: RestoreOutputs }>;
}

/** The reads a drill makes besides its restores': which instances there are, and their recovery points. */
export type DrillApi = Pick<DataProtectionClient, "getBackupInstance" | "listBackupInstances" | "listRecoveryPoints">;

/** One sampled instance, and the restore the drill runs for it (or why it cannot). */
interface PlannedDrillRestore {
  instance: BackupInstanceResource;
  restore?: RestoreSpec;
  problem?: Problem;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/** A drill's restore as the session takes it: the drill's policy and the grants the program declared for it. */
function restoreInputs(inputs: DrillInputs, spec: RestoreSpec): RestoreInputs {
  return { spec, specFile: inputs.specFile, lookalikes: 1, ...(inputs.policy ? { policy: inputs.policy } : {}), ...(inputs.grants ? { grants: inputs.grants } : {}) };
}

/** What a generated restore spec wrote, for the checks. */
function restoredData(spec: RestoreSpec, outs: RestoreOutputs): RestoredData {
  const target = (spec.spec as { target?: { database?: { id: string; credentialsSecretUri: string }; files?: { containerUrl: string; filePrefix?: string } } }).target;
  return {
    backupInstanceId: outs.backupInstanceId,
    ...(outs.recoveryPointId ? { recoveryPointId: outs.recoveryPointId } : {}),
    ...(outs.jobId ? { jobId: outs.jobId } : {}),
    target: outs.target,
    ...(target?.files ? { files: { containerUrl: target.files.containerUrl, prefix: target.files.filePrefix ?? "" } } : {}),
    ...(target?.database ? { database: target.database } : {}),
  };
}

/**
 * Runs restore drills for the provider: picks the window's sample, makes each instance's restore, runs it
 * through the session (so it is planned, checked, validated, triggered and followed like any restore),
 * verifies what came back, and keeps the evidence. The window comes from the program (inputs.window).
 */
export class DrillRunner {
  constructor(
    private readonly session: DrillRestores,
    private readonly api: () => DrillApi,
    private readonly verifyIO: () => VerifyIO,
    private readonly clock: Clock,
    private readonly defaultSubscriptionId?: string,
  ) {}

  /** The instances `select` names, in a stable order. */
  private async candidates(drill: DrillSpec): Promise<BackupInstanceResource[]> {
    const select = drill.spec.select;
    if (select.backupInstances) {
      return Promise.all(
        select.backupInstances.map(async (ref) => {
          const address = resolveBackupInstance(ref, this.defaultSubscriptionId);
          if (!address.ok) throw new Error(`select.backupInstances: ${address.problems[0].message}`);
          return this.api().getBackupInstance(address.value);
        }),
      );
    }
    const vault = select.vault!;
    const subscriptionId = vault.subscriptionId ?? this.defaultSubscriptionId ?? "";
    const all = await this.api().listBackupInstances({ subscriptionId, resourceGroup: vault.resourceGroup, vault: vault.name });
    const type = select.datasourceType?.toLowerCase();
    return all
      .filter((bi) => !type || (bi.properties?.dataSourceInfo?.datasourceType ?? "").toLowerCase() === type)
      .filter((bi) => Object.entries(select.tags ?? {}).every(([k, v]) => (bi as { tags?: Record<string, string> }).tags?.[k] === v))
      .sort((a, b) => (a.id ?? "").localeCompare(b.id ?? ""));
  }

  /** The recovery point the drill restores for an instance: `latest`, or one at random within the window's reach. */
  private async recoveryPoint(drill: DrillSpec, instance: BackupInstanceResource, window: DrillWindow, nowMs: number): Promise<string | undefined> {
    const choice = drill.spec.recoveryPoint ?? "latest";
    if (choice === "latest") return "latest";
    const address = resolveBackupInstance(instance.id ?? "", this.defaultSubscriptionId);
    if (!address.ok) return undefined;
    const points = (await this.api().listRecoveryPoints(address.value)).map((p) => ({ id: p.name ?? p.properties?.recoveryPointId ?? "", timeMs: Date.parse(p.properties?.recoveryPointTime ?? "") }));
    return randomPointWithin(points, durationMs(choice.randomWithin) ?? 0, nowMs, `${window.seed}|${instance.id}`)?.id;
  }

  /** The window's sample and each one's restore. */
  async planned(inputs: DrillInputs, window: DrillWindow): Promise<PlannedDrillRestore[]> {
    const drill = inputs.drill;
    const chosen = sample(await this.candidates(drill), drill.spec.sample ?? 1, window.seed);
    const nowMs = this.clock.now();
    return Promise.all(
      chosen.map(async (instance, i): Promise<PlannedDrillRestore> => {
        const point = await this.recoveryPoint(drill, instance, window, nowMs);
        const made = drillRestoreSpec(drill, window, instance, point, i + 1, this.defaultSubscriptionId);
        if (!made.ok) return { instance, problem: { ...made.problems[0], file: inputs.specFile, field: "spec.target", remedy: made.problems[0].remedy } };
        return { instance, restore: made.value };
      }),
    );
  }

  /** Preview: the window's restores, validated as a restore spec's would be. */
  async check(inputs: DrillInputs, window: DrillWindow): Promise<CheckFailure[]> {
    const failures: CheckFailure[] = [];
    for (const p of await this.planned(inputs, window)) {
      if (p.problem) failures.push({ property: "spec", reason: formatProblem(p.problem) });
      else failures.push(...(await this.session.check({}, restoreInputs(inputs, p.restore!))).failures);
    }
    return failures;
  }

  /** One restore of the run, timed and verified. */
  private async restoreAndVerify(inputs: DrillInputs, p: PlannedDrillRestore, startedAt: number): Promise<DrillRestoreEvidence> {
    const base = { backupInstanceId: p.instance.id ?? "", kind: p.restore?.kind ?? "unknown", checks: [] };
    if (!p.restore) return { ...base, passed: false, error: { code: p.problem!.code, message: p.problem!.message } };
    const start = this.clock.now();
    let outs: RestoreOutputs | undefined;
    let error: DrillRestoreEvidence["error"];
    try {
      outs = (await this.session.create(restoreInputs(inputs, p.restore))).outs;
    } catch (e) {
      if (e instanceof RestoreJobError) outs = e.properties;
      const problem = asProblems(e, { spec: p.restore, specFile: inputs.specFile })[0];
      error = { code: problem.code, message: problem.message };
    }
    const jobEnd = this.clock.now();
    // Validation (and the trigger) end when the job starts; a validation this run's preview made counts from `start`.
    const triggered = outs?.triggeredAt ? Math.min(Math.max(Date.parse(outs.triggeredAt), start), jobEnd) : jobEnd;
    const validated = Number.isNaN(triggered) ? jobEnd : triggered;
    const checks = outs && !error && isSuccess(outs.status) ? await verifyRestore(inputs.drill.spec.verify, restoredData(p.restore, outs), this.verifyIO()) : [];
    const end = this.clock.now();
    const rto = { validateSeconds: seconds(validated - start), jobSeconds: seconds(jobEnd - validated), verifySeconds: seconds(end - jobEnd), totalSeconds: seconds(end - start) };
    const pointMs = outs?.recoveryPointTime ? Date.parse(outs.recoveryPointTime) : NaN;
    const rpoSeconds = Number.isNaN(pointMs) ? undefined : seconds(startedAt - pointMs);
    const objectives = inputs.drill.spec.objectives;
    const rtoLimit = objectives?.rto ? durationMs(objectives.rto) : undefined;
    const rpoLimit = objectives?.rpo ? durationMs(objectives.rpo) : undefined;
    const rtoMet = rtoLimit === undefined ? undefined : rto.totalSeconds * 1000 <= rtoLimit;
    const rpoMet = rpoLimit === undefined || rpoSeconds === undefined ? undefined : rpoSeconds * 1000 <= rpoLimit;
    return {
      ...base,
      ...(outs?.recoveryPointId ? { recoveryPointId: outs.recoveryPointId } : {}),
      ...(outs?.recoveryPointTime ? { recoveryPointTime: outs.recoveryPointTime } : {}),
      ...(rpoSeconds !== undefined ? { rpoSeconds } : {}),
      ...(outs?.jobId ? { jobId: outs.jobId, jobStatus: outs.status } : {}),
      ...(outs?.target ? { target: outs.target } : {}),
      rto,
      checks,
      ...(rtoMet !== undefined ? { rtoMet } : {}),
      ...(rpoMet !== undefined ? { rpoMet } : {}),
      passed: !error && Boolean(outs && isSuccess(outs.status)) && checks.every((c) => c.passed) && rtoMet !== false && rpoMet !== false,
      ...(error ? { error } : {}),
    };
  }

  /** A window's run: its restores in parallel (one per target at a time, as the session locks), the evidence kept. */
  async run(inputs: DrillInputs, previous: Partial<DrillState>, window: DrillWindow): Promise<DrillState> {
    const startedAt = this.clock.now();
    const planned = await this.planned(inputs, window);
    const restores = await Promise.all(planned.map((p) => this.restoreAndVerify(inputs, p, startedAt)));
    const run: DrillRun = {
      window: window.index,
      windowStart: window.start,
      windowEnd: window.end,
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(this.clock.now()).toISOString(),
      seed: window.seed,
      ...(inputs.drill.spec.objectives ? { objectives: inputs.drill.spec.objectives } : {}),
      restores,
      passed: restores.length > 0 && restores.every((r) => r.passed),
    };
    const state: DrillState = { ...inputs, name: inputs.drill.metadata.name, lastWindow: window.index, runs: keptRuns(run, previous.runs, inputs.drill.spec.history) };
    if (!run.passed) {
      const reasons = restores.length === 0 ? [`${inputs.specFile}  drill window ${window.index}: select matched no backup instance`] : failureReasons(run, inputs.specFile);
      throw new DrillFailedError(inputs.drill.metadata.name, state, reasons);
    }
    return state;
  }
}
