import { AccessReader, grantName, grantOf, plannedGrants, type AccessApi, type Finding, type PlannedGrant, type RestoreGrant } from "../access";
import type { CheckedSpec } from "../checks";
import { jobOutcome } from "../client/jobs";
import type { Problem } from "../errors/problem";
import { fetchFacts, type FactsApi } from "../facts";
import type { RestoreSpec } from "../kinds";
import type { RestorePlan } from "../plan";
import { asProblems, planFor } from "./session-checks";
import { rerunOf } from "./restore-state";
import type { ProviderSettings } from "./settings";

/** What the stack's previous run exported as `restores`: per restore, its job, status and rerun token. */
export type PreviousRestores = Record<string, { jobId?: string; status?: string; rerun?: string } | undefined>;

/** What the program declares for the specs that grant: the role assignments, and each restore's share of them. */
export interface ProgramGrants {
  grants: PlannedGrant[];
  byRestore: Map<string, RestoreGrant[]>;
  /** Specs whose grants could not be planned (the provider's check reports why, too). */
  warnings: Problem[];
}

/** Whether the spec's restore ended in the run that exported `previous` (same rerun token, a final status). */
export function restoreEnded(spec: RestoreSpec, previous: PreviousRestores): boolean {
  const last = previous[spec.metadata.name];
  return Boolean(last && jobOutcome(last.status) !== undefined && (last.rerun ?? "") === rerunOf(spec));
}

/** Whether the spec asks the run to grant, and still needs its grants: `keep` always, `grant` until its restore ended. */
export function grantsWanted(spec: RestoreSpec, previous: PreviousRestores): boolean {
  const access = spec.spec.access ?? "check";
  return access === "keep" || (access === "grant" && !restoreEnded(spec, previous));
}

/**
 * The grants of one run: for each spec that wants them, its plan (the same the provider makes), the
 * roles its identities miss (leaving out the assignments of this program's own grants, so that the
 * program keeps declaring what it made), and one role assignment per missing role, shared by every
 * restore that needs it.
 */
export async function planProgramGrants(specs: readonly CheckedSpec[], settings: ProviderSettings, previous: PreviousRestores, api: FactsApi & AccessApi): Promise<ProgramGrants> {
  const reader = new AccessReader(api);
  const warnings: Problem[] = [];
  const restores: Array<{ name: string; vault: RestorePlan["backupInstance"]; keep: boolean; findings: Finding[] }> = [];
  await Promise.all(
    specs
      .filter(({ spec }) => grantsWanted(spec, previous))
      .map(async ({ spec, file }) => {
        const inputs = { spec, specFile: file };
        try {
          const plan = await planFor(inputs, settings, (s, address) => fetchFacts(api, s, address, settings.apiVersion));
          const own = new Set(plan.access.needs.map((n) => grantName(n, plan.backupInstance)));
          const report = await reader.report(plan, { ignore: (a) => own.has((a.name ?? "").toLowerCase()) });
          restores.push({ name: spec.metadata.name, vault: plan.backupInstance, keep: spec.spec.access === "keep", findings: report.findings });
        } catch (error) {
          for (const p of asProblems(error, inputs)) warnings.push({ ...p, severity: "warning", message: `no grants planned for ${spec.metadata.name}: ${p.message}` });
        }
      }),
  );
  restores.sort((a, b) => a.name.localeCompare(b.name));
  const byRestore = new Map(
    restores.map((r) => [r.name, r.findings.filter((f) => f.state === "missing").map((f) => grantOf(f.need, r.vault))] as const),
  );
  return { grants: plannedGrants(restores), byRestore, warnings };
}
