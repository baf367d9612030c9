import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isApiVersion, DEFAULT_API_VERSION } from "../api/versions";
import { formatProblem, type Problem } from "../errors/problem";
import { checkSpecFiles, type CheckedDrill, type CheckedSpec } from "../checks";
import type { PolicyRules } from "../checks/policy";
import type { PreviousRestores, ProgramGrants } from "./grants";

export interface ProgramSpecs {
  specs: CheckedSpec[];
  drills: CheckedDrill[];
  problems: Problem[];
  policy?: PolicyRules;
}

/** Every spec of the folder, checked; all problems of all files, or the specs when there are none. */
export function loadProgramSpecs(specsDir: string, apiVersion: string | undefined, cwd: string = process.cwd()): ProgramSpecs {
  const version = apiVersion && isApiVersion(apiVersion) ? apiVersion : DEFAULT_API_VERSION;
  const result = checkSpecFiles([path.resolve(cwd, specsDir)], { apiVersion: version });
  return { specs: result.specs, drills: result.drills, problems: result.problems, ...(result.policy ? { policy: result.policy.rules } : {}) };
}

/** The time that places drills in their windows: now, or `azure-restores:drillTime` (to rehearse a schedule). */
export function drillTime(configured: string | undefined, nowMs: number = Date.now()): number {
  if (configured === undefined) return nowMs;
  const at = Date.parse(configured);
  if (Number.isNaN(at)) throw new pulumi.RunError(`azure-restores:drillTime: ${configured} is not a time (fix: write it like 2026-12-01T00:00:00Z, or remove it to use the current time)`);
  return at;
}

export function describeProblems(problems: Problem[]): string {
  const errors = problems.filter((p) => p.severity === "error");
  return `${errors.length} problem${errors.length === 1 ? "" : "s"} in the restore specs; nothing was registered:\n${errors.map(formatProblem).join("\n")}`;
}

/**
 * The `restores` output of this stack's last run, read through a StackReference to the stack itself
 * (Pulumi allows it: pulumi/pulumi tests/integration/stack_reference reads `{org}/{project}/{stack}`).
 * It tells the program which restores have ended, so their grants are no longer declared and the
 * engine deletes them (docs/architecture.md, Permissions).
 */
export async function previousRestores(): Promise<PreviousRestores> {
  const self = new pulumi.StackReference("azure-restores-previous-run", { name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}` });
  const details = await self.getOutputDetails("restores");
  const value = details.value ?? details.secretValue;
  return value && typeof value === "object" ? (value as PreviousRestores) : {};
}

/** The grants of the specs that ask for them, read with the restore provider's own configuration and credentials. */
export async function programGrants(specs: CheckedSpec[], get: (key: string) => string | undefined): Promise<ProgramGrants> {
  if (!specs.some(({ spec }) => (spec.spec.access ?? "check") !== "check")) return { grants: [], byRestore: new Map(), warnings: [] };
  // Loaded only here: a stack that grants nothing does not load the client and its Azure SDK modules.
  const { planProgramGrants } = require("./grants") as typeof import("./grants");
  const { clientFor, settingsFrom } = require("./settings") as typeof import("./settings");
  const settings = settingsFrom(get, process.env);
  return planProgramGrants(specs, settings, await previousRestores(), clientFor(settings));
}
