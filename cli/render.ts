import { API_VERSIONS, DEFAULT_API_VERSION, isApiVersion, type ApiVersion } from "../api/versions";
import { checkParsedSpecs, parseSpecText, readSpecFile } from "../checks";
import { positioned } from "../errors/field";
import { problem } from "../errors/problem";
import { failed, type ProblemResult } from "../errors/result";
import { factsFromFiles } from "../facts/files";
import type { BackupInstanceFacts, RestoreSpec } from "../kinds";
import { resolveBackupInstance, type BackupInstanceAddress } from "../language/backup-instance";
import { planRestore, type RestorePlan } from "../plan";
import { reportProblems, type CliIO } from "./io";

export interface RenderOptions {
  spec: string;
  instanceFile?: string;
  recoveryPointsFile?: string;
  apiVersion?: string;
  subscriptionId?: string;
  json?: boolean;
}

/** Reads what the API knows about a backup instance; the CLI's API mode plugs the client in here. */
export type FactsSource = (address: BackupInstanceAddress, spec: RestoreSpec, apiVersion: ApiVersion) => Promise<ProblemResult<BackupInstanceFacts>>;

export function formatPlan(plan: RestorePlan): string {
  const lines = [
    `# ${plan.name} (${plan.kind}) — api-version ${plan.apiVersion}`,
    `# backup instance: ${plan.backupInstance.id}`,
    `# source: ${plan.source.dataStore}${plan.source.pointInTime ? ` at ${plan.source.pointInTime}` : ""}${plan.source.recoveryPointId ? `, recovery point ${plan.source.recoveryPointId}${plan.source.recoveryPointTime ? ` (${plan.source.recoveryPointTime})` : ""}` : ""}`,
    `# target: ${plan.target.id}`,
    `# request hash: ${plan.requestHash}`,
  ];
  for (const call of plan.calls) lines.push("", `${call.method} ${call.path}`, JSON.stringify(call.body, null, 2));
  return `${lines.join("\n")}\n`;
}

/** `azure-restores render <spec>`: the exact request bodies the spec turns into. */
export async function renderCommand(options: RenderOptions, io: CliIO, factsFromApi?: FactsSource): Promise<number> {
  if (options.apiVersion !== undefined && !isApiVersion(options.apiVersion)) {
    io.stderr(`--api-version ${options.apiVersion} is not supported; use one of ${API_VERSIONS.join(", ")}\n`);
    return 2;
  }
  const apiVersion = (options.apiVersion as ApiVersion | undefined) ?? DEFAULT_API_VERSION;
  const read = readSpecFile(options.spec);
  const parsedResult = read.text === undefined ? { problems: read.problems } : parseSpecText(options.spec, read.text);
  if (!("parsed" in parsedResult) || !parsedResult.parsed) {
    reportProblems(parsedResult.problems, io);
    return 1;
  }
  const parsed = parsedResult.parsed;
  const checked = checkParsedSpecs([parsed], { apiVersion });
  const errors = checked.problems.filter((p) => p.severity === "error");
  if (errors.length > 0 || checked.specs.length === 0) {
    if (errors.length === 0 && checked.drills.length > 0) {
      // A drill's restores depend on the window and the sample, known only when it runs.
      const drill = checked.drills[0].drill;
      reportProblems([problem("RenderDrill", `${drill.metadata.name} is a RestoreDrill: which restores it runs is decided each window (the sample, the recovery point)`, { file: options.spec, remedy: "run `pulumi preview` to see and validate this window's restores, or `npm run demo -- examples/drills` against the emulator" })], io);
      return 1;
    }
    reportProblems(checked.problems, io);
    return 1;
  }
  const spec = checked.specs[0].spec;
  const subscriptionId = options.subscriptionId ?? io.env.AZURE_SUBSCRIPTION_ID;
  const address = resolveBackupInstance(spec.spec.backupInstance, subscriptionId);
  if (!address.ok) {
    reportProblems(address.problems.map((p) => positioned(parsed, p)), io);
    return 1;
  }
  let facts: ProblemResult<BackupInstanceFacts>;
  if (options.instanceFile) facts = factsFromFiles(options.instanceFile, options.recoveryPointsFile);
  else if (factsFromApi) facts = await factsFromApi(address.value, spec, apiVersion);
  else facts = failed(problem("RenderNoFacts", "no backup instance facts: pass --instance <file.json>", { remedy: "save the backup instance's GET response to a file and pass --instance" }));
  if (!facts.ok) {
    reportProblems(facts.problems, io);
    return 1;
  }
  const result = planRestore(spec, facts.value, { apiVersion, defaultSubscriptionId: subscriptionId });
  if (!result.ok) {
    reportProblems(result.problems.map((p) => positioned(parsed, p)), io);
    return 1;
  }
  io.stdout(options.json ? `${JSON.stringify(result.value, null, 2)}\n` : formatPlan(result.value));
  return 0;
}
