import { AccessReader, accessProblems, grantCovers, isPermissionError, type AccessApi, type AccessReport } from "../access";
import type { DataProtectionError } from "../client/errors";
import type { Clock } from "../client/jobs";
import type { Problem } from "../errors/problem";
import type { RestorePlan } from "../plan";
import { accessRecord } from "./record";
import type { RestoreInputs, RestoreOutputs } from "./restore-state";
import { asProblems } from "./session-checks";
import type { ProviderSettings } from "./settings";

/** The longest wait between retries of a permission error while grants propagate. */
const MAX_PROPAGATION_WAIT_MS = 60_000;

/**
 * The session's part in access (access/): each plan's report read once per run, `check`'s failures and
 * warnings, the record's `access`, and validateRestore retried while the roles this run granted propagate.
 */
export class SessionAccess {
  private readonly reports = new Map<string, Promise<AccessReport>>();
  private reader?: AccessReader;

  constructor(
    private readonly settings: ProviderSettings,
    private readonly api: () => AccessApi,
    private readonly deps: { clock: Clock; warn(problem: Problem): void },
  ) {}

  /** The roles the plan needs, as its identities hold them. */
  report(plan: RestorePlan): Promise<AccessReport> {
    const key = `${this.settings.endpoint}|${plan.requestHash}|${plan.backupInstance.id}`;
    let report = this.reports.get(key);
    if (!report) {
      this.reader ??= new AccessReader(this.api());
      report = this.reader.report(plan);
      this.reports.set(key, report);
      report.catch(() => this.reports.delete(key));
    }
    return report;
  }

  /** `check`'s errors: roles neither held nor granted by this run. Its warnings are reported here. */
  async failures(plan: RestorePlan, inputs: RestoreInputs): Promise<Problem[]> {
    if (!this.settings.checkAccess) return [];
    const grants = inputs.grants ?? [];
    const problems = accessProblems(await this.report(plan), inputs.specFile, (f) => grantCovers(grants, f, plan.backupInstance));
    for (const warning of problems.filter((p) => p.severity === "warning")) this.deps.warn({ ...warning, message: `${inputs.spec.metadata.name}: ${warning.message}` });
    return problems.filter((p) => p.severity === "error");
  }

  /** In preview, the roles this run grants do not exist yet: the service's permission error is expected, and said. */
  awaitingGrants(error: unknown, inputs: RestoreInputs): boolean {
    if ((inputs.grants?.length ?? 0) === 0 || !isPermissionError(error)) return false;
    const message = `${inputs.spec.metadata.name}: validateRestore fails until the roles this run grants are in place: ${(error as DataProtectionError).serviceMessage}`;
    this.deps.warn({ ...asProblems(error, inputs)[0], severity: "warning", message });
    return true;
  }

  /** The record's `access`; a read that fails leaves it out (check decided already). */
  async record(plan: RestorePlan, inputs: RestoreInputs): Promise<Pick<RestoreOutputs, "access">> {
    if (!this.settings.checkAccess || plan.access.needs.length + plan.access.unchecked.length === 0) return {};
    try {
      return { access: accessRecord(await this.report(plan), inputs, plan.backupInstance, new Date(this.deps.clock.now()).toISOString()) };
    } catch {
      return {};
    }
  }

  /**
   * validateRestore for `create`. When this run granted roles, the service's permission errors are
   * retried until `grantPropagation` has passed: role assignments take minutes to apply.
   */
  async validate(record: RestoreOutputs, inputs: RestoreInputs, validateOnce: () => Promise<string>): Promise<RestoreOutputs> {
    const granting = (inputs.grants?.length ?? 0) > 0;
    const clock = this.deps.clock;
    const until = clock.now() + this.settings.grantPropagationMs;
    for (let retries = 0; ; retries++) {
      try {
        const validatedAt = await validateOnce();
        return { ...record, validatedAt, phase: "validated", ...(retries > 0 && record.access ? { access: { ...record.access, propagationRetries: retries } } : {}) };
      } catch (error) {
        // The job poll schedule's first wait, doubling (15 s, 30 s, then every minute by default).
        const wait = Math.min(MAX_PROPAGATION_WAIT_MS, this.settings.jobPollIntervalMs * 2 ** retries);
        if (!granting || !isPermissionError(error) || clock.now() + wait > until) throw error;
        this.deps.warn({
          code: "AccessPropagating",
          severity: "warning",
          message: `${record.name}: ${(error as DataProtectionError).code} while the roles this run granted propagate; validating again in ${wait / 1000}s (until ${new Date(until).toISOString()})`,
          file: inputs.specFile,
        });
        await clock.sleep(wait);
      }
    }
  }
}
