import { isApiVersion, API_VERSIONS, DEFAULT_API_VERSION } from "../api/versions";
import { checkSpecFiles } from "../checks";
import { reportProblems, type CliIO } from "./io";

export interface ValidateOptions {
  paths: string[];
  apiVersion?: string;
  json?: boolean;
}

/** `azure-restores validate [paths]`: every problem of every spec; exit 1 on any error. */
export function validateCommand(options: ValidateOptions, io: CliIO): number {
  if (options.apiVersion !== undefined && !isApiVersion(options.apiVersion)) {
    io.stderr(`--api-version ${options.apiVersion} is not supported; use one of ${API_VERSIONS.join(", ")}\n`);
    return 2;
  }
  const paths = options.paths.length > 0 ? options.paths : ["restores"];
  const result = checkSpecFiles(paths, { apiVersion: options.apiVersion ?? DEFAULT_API_VERSION });
  const errors = result.problems.filter((p) => p.severity === "error").length;
  const warnings = result.problems.length - errors;
  if (options.json) {
    io.stdout(`${JSON.stringify({ files: result.files, specs: result.specs.map((s) => s.spec.metadata.name), errors, warnings, problems: result.problems }, null, 2)}\n`);
    return errors > 0 ? 1 : 0;
  }
  reportProblems(result.problems, io);
  const summary = `${result.files.length} spec file${result.files.length === 1 ? "" : "s"} checked: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  (errors > 0 ? io.stderr : io.stdout)(`${summary}\n`);
  return errors > 0 ? 1 : 0;
}
