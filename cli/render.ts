import * as fs from "fs";
import type { AzureBackupRecoveryPointResource, BackupInstanceResource } from "../api/types";
import { API_VERSIONS, DEFAULT_API_VERSION, isApiVersion, type ApiVersion } from "../api/versions";
import { problem, type Problem } from "../errors/problem";
import { planRestore, type BackupInstanceFacts, type RestorePlan } from "../plan";
import { checkParsedSpecs, parseSpecText, readSpecFile } from "../spec";
import { toProblem } from "../spec/check";
import { resolveBackupInstance, type BackupInstanceAddress } from "../plan/backup-instance";
import type { RestoreSpec } from "../spec/model";
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
export type FactsSource = (address: BackupInstanceAddress, spec: RestoreSpec, apiVersion: ApiVersion) => Promise<BackupInstanceFacts | { problems: Problem[] }>;

function readJson(file: string, what: string): unknown | { problem: Problem } {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    return { problem: problem("RenderFactsUnreadable", `cannot read ${what} from ${file}: ${(error as Error).message}`, { file, remedy: `save the API's response to ${file} as JSON` }) };
  }
}

function isProblem(value: unknown): value is { problem: Problem } {
  return typeof value === "object" && value !== null && "problem" in value;
}

/** Facts from files: the backup instance exactly as GET returns it, and optionally the recovery point listing. */
export function factsFromFiles(instanceFile: string, recoveryPointsFile?: string): BackupInstanceFacts | { problems: Problem[] } {
  const instance = readJson(instanceFile, "the backup instance");
  if (isProblem(instance)) return { problems: [instance.problem] };
  const datasource = (instance as BackupInstanceResource)?.properties?.dataSourceInfo;
  if (!datasource || typeof datasource.resourceID !== "string") {
    return {
      problems: [problem("RenderFactsInvalid", "the file is not a backup instance: properties.dataSourceInfo.resourceID is missing", { file: instanceFile, remedy: "save the response of GET .../backupInstances/<name>?api-version=... (az dataprotection backup-instance show)" })],
    };
  }
  if (!recoveryPointsFile) return { instance: instance as BackupInstanceResource };
  const listing = readJson(recoveryPointsFile, "the recovery points");
  if (isProblem(listing)) return { problems: [listing.problem] };
  const points = Array.isArray(listing) ? listing : (listing as { value?: unknown })?.value;
  if (!Array.isArray(points)) {
    return { problems: [problem("RenderFactsInvalid", "the file is not a recovery point listing: expected { value: [...] } or a list", { file: recoveryPointsFile, remedy: "save the response of GET .../recoveryPoints?api-version=..." })] };
  }
  return { instance: instance as BackupInstanceResource, recoveryPoints: points as AzureBackupRecoveryPointResource[] };
}

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
    reportProblems(checked.problems, io);
    return 1;
  }
  const spec = checked.specs[0].spec;
  const subscriptionId = options.subscriptionId ?? io.env.AZURE_SUBSCRIPTION_ID;
  const address = resolveBackupInstance(spec.spec.backupInstance, subscriptionId);
  if ("problem" in address) {
    reportProblems([toProblem(parsed, address.problem)], io);
    return 1;
  }
  let facts: BackupInstanceFacts | { problems: Problem[] };
  if (options.instanceFile) facts = factsFromFiles(options.instanceFile, options.recoveryPointsFile);
  else if (factsFromApi) facts = await factsFromApi(address, spec, apiVersion);
  else facts = { problems: [problem("RenderNoFacts", "no backup instance facts: pass --instance <file.json>", { remedy: "save the backup instance's GET response to a file and pass --instance" })] };
  if ("problems" in facts) {
    reportProblems(facts.problems, io);
    return 1;
  }
  const result = planRestore(spec, facts, { apiVersion, defaultSubscriptionId: subscriptionId });
  if (!result.plan) {
    reportProblems(result.problems.map((p) => toProblem(parsed, p)), io);
    return 1;
  }
  io.stdout(options.json ? `${JSON.stringify(result.plan, null, 2)}\n` : formatPlan(result.plan));
  return 0;
}
