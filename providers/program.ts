import * as path from "path";
import { isApiVersion, DEFAULT_API_VERSION } from "../api/versions";
import { formatProblem, type Problem } from "../errors/problem";
import { checkSpecFiles, type CheckedSpec } from "../checks";
import type { PolicyRules } from "../checks/policy";

export interface ProgramSpecs {
  specs: CheckedSpec[];
  problems: Problem[];
  policy?: PolicyRules;
}

/** Every spec of the folder, checked; all problems of all files, or the specs when there are none. */
export function loadProgramSpecs(specsDir: string, apiVersion: string | undefined, cwd: string = process.cwd()): ProgramSpecs {
  const version = apiVersion && isApiVersion(apiVersion) ? apiVersion : DEFAULT_API_VERSION;
  const result = checkSpecFiles([path.resolve(cwd, specsDir)], { apiVersion: version });
  return { specs: result.specs, problems: result.problems, ...(result.policy ? { policy: result.policy.rules } : {}) };
}

export function describeProblems(problems: Problem[]): string {
  const errors = problems.filter((p) => p.severity === "error");
  return `${errors.length} problem${errors.length === 1 ? "" : "s"} in the restore specs; nothing was registered:\n${errors.map(formatProblem).join("\n")}`;
}
