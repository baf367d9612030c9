import * as fs from "fs";
import * as path from "path";
import { positioned } from "../errors/field";
import { problem, type Problem } from "../errors/problem";
import type { DrillSpec } from "../drills/spec";
import type { RestoreSpec } from "../kinds";
import { MAX_SPEC_BYTES, parseSpecText, type ParsedSpecFile } from "../language/yaml";
import { checkParsedSpec, type SpecCheckOptions } from "./check";
import { checkPolicyFile, specPolicyViolations, type RestorePolicy } from "./policy";

export { checkSpecValue, checkParsedSpec, type SpecCheckOptions } from "./check";
export { parseSpecText, type ParsedSpecFile } from "../language/yaml";
export type { RestorePolicy, PolicyRules } from "./policy";

/** A spec that passed every check, with where it came from. */
export interface CheckedSpec {
  file: string;
  spec: RestoreSpec;
}

/** A RestoreDrill that passed every check. */
export interface CheckedDrill {
  file: string;
  drill: DrillSpec;
}

/** Names clash across files: Pulumi resources and stack outputs are keyed by metadata.name. */
export function duplicateNames<T extends { file: string; name: string }>(entries: T[]): Array<{ entry: T; first: T }> {
  const firstByName = new Map<string, T>();
  const clashes: Array<{ entry: T; first: T }> = [];
  for (const entry of entries) {
    const first = firstByName.get(entry.name);
    if (first) clashes.push({ entry, first });
    else firstByName.set(entry.name, entry);
  }
  return clashes;
}

/** Files beside the specs that are not specs. */
export const POLICY_FILE_NAMES = ["restore-policy.yaml", "restore-policy.yml"];
const SPEC_EXTENSIONS = [".yaml", ".yml"];

export interface SpecSetResult {
  /** Specs that passed every check (empty when any error was found in any file). */
  specs: CheckedSpec[];
  /** Drills that passed every check (likewise). */
  drills: CheckedDrill[];
  /** Every error and warning of every file. */
  problems: Problem[];
  /** Files read. */
  files: string[];
  /** The restore policy found beside the specs, if any. */
  policy?: RestorePolicy;
}

function display(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** Spec files under the given files or folders (recursively), sorted, with a problem for each path that is not there. */
export function findSpecFiles(paths: string[]): { files: string[]; problems: Problem[] } {
  const files: string[] = [];
  const problems: Problem[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules") walk(full);
      else if (entry.isFile() && SPEC_EXTENSIONS.includes(path.extname(entry.name)) && !POLICY_FILE_NAMES.includes(entry.name)) files.push(full);
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      problems.push(problem("SpecPathNotFound", `no such file or folder: ${p}`, { file: p, remedy: "check the path (specs live under restores/ by default)" }));
      continue;
    }
    if (stat.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files: [...new Set(files.map((f) => path.resolve(f)))], problems };
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

/** Reads one spec file, refusing oversized files before reading them (one open, fstat, read, close). */
export function readSpecFile(file: string): { text?: string; problems: Problem[] } {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    const size = fs.fstatSync(fd).size;
    if (size > MAX_SPEC_BYTES) {
      return {
        problems: [problem("SpecTooLarge", `the file is ${size} bytes; a spec may be at most ${MAX_SPEC_BYTES} bytes`, { file: display(file), line: 1, column: 1, remedy: "keep one restore per file; a spec is a few hundred bytes" })],
      };
    }
    const bytes = size > 0 ? readExactly(fd, size) : fs.readFileSync(fd);
    const text = utf8.decode(bytes).replace(/^\uFEFF/, "");
    return { text, problems: [] };
  } catch (error) {
    return { problems: [problem("SpecUnreadable", `cannot read the file: ${(error as Error).message}`, { file: display(file), remedy: "check the file's permissions" })] };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The file's `size` bytes (fewer if it shrank), as fs.readFileSync reads a file of known size. */
function readExactly(fd: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let read = 0;
  for (let n = -1; n !== 0 && read < size; read += n) n = fs.readSync(fd, buffer, read, size - read, null);
  return read < size ? buffer.subarray(0, read) : buffer;
}

/** Checks already-parsed files together: per-file checks, the rules across files, and the policy's. Pure. */
export function checkParsedSpecs(parsed: ParsedSpecFile[], options: SpecCheckOptions & { policy?: RestorePolicy } = {}): { specs: CheckedSpec[]; drills: CheckedDrill[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const specs: CheckedSpec[] = [];
  const drills: CheckedDrill[] = [];
  const named: Array<{ file: string; name: string; parsed: ParsedSpecFile }> = [];
  for (const p of parsed) {
    const result = checkParsedSpec(p, options);
    problems.push(...result.problems);
    if (result.spec) {
      specs.push({ file: p.file, spec: result.spec });
      if (options.policy) problems.push(...specPolicyViolations(result.spec, options.policy.rules).map((v) => positioned(p, v)));
    }
    if (result.drill) drills.push({ file: p.file, drill: result.drill });
    const name = (p.value as { metadata?: { name?: unknown } })?.metadata?.name;
    if (typeof name === "string") {
      named.push({ file: p.file, name, parsed: p });
      const base = path.basename(p.file).replace(/\.ya?ml$/, "");
      if (base !== name) {
        const pos = p.locate(["metadata", "name"]);
        problems.push({
          code: "SpecNameMismatch",
          severity: "warning",
          message: `metadata.name '${name}' differs from the file name '${path.basename(p.file)}'`,
          remedy: `rename the file to ${name}.yaml so a reader finds the restore by its name`,
          field: "metadata.name",
          file: p.file,
          line: pos.line,
          column: pos.column,
        });
      }
    }
  }
  for (const { entry, first } of duplicateNames(named)) {
    const pos = entry.parsed.locate(["metadata", "name"]);
    const firstPos = first.parsed.locate(["metadata", "name"]);
    problems.push({
      code: "SpecDuplicateName",
      severity: "error",
      message: `metadata.name '${entry.name}' is already used by ${first.file}:${firstPos.line}`,
      remedy: "give every restore its own name (it is the Pulumi resource name)",
      field: "metadata.name",
      file: entry.file,
      line: pos.line,
      column: pos.column,
    });
  }
  const failed = problems.some((p) => p.severity === "error");
  return { specs: failed ? [] : specs, drills: failed ? [] : drills, problems };
}

/** The policy file in a specs folder, read and checked; none when the folder has none. */
export function readPolicy(dir: string): { policy?: RestorePolicy; problems: Problem[] } {
  const file = POLICY_FILE_NAMES.map((name) => path.join(dir, name)).find((f) => fs.existsSync(f));
  if (!file) return { problems: [] };
  const read = readSpecFile(file);
  if (read.text === undefined) return { problems: read.problems };
  const parsed = parseSpecText(display(file), read.text);
  if (!parsed.parsed) return { problems: parsed.problems };
  return checkPolicyFile(parsed.parsed);
}

/** Finds, reads, parses and checks every spec under `paths`; reports every problem of every file. */
export function checkSpecFiles(paths: string[], options: SpecCheckOptions = {}): SpecSetResult {
  const found = findSpecFiles(paths);
  const problems: Problem[] = [...found.problems];
  const folder = paths.find((p) => fs.existsSync(p) && fs.statSync(p).isDirectory()) ?? (paths[0] ? path.dirname(paths[0]) : ".");
  const policy = readPolicy(folder);
  problems.push(...policy.problems);
  const parsed: ParsedSpecFile[] = [];
  for (const file of found.files) {
    const read = readSpecFile(file);
    problems.push(...read.problems);
    if (read.text === undefined) continue;
    const result = parseSpecText(display(file), read.text);
    problems.push(...result.problems);
    if (result.parsed) parsed.push(result.parsed);
  }
  const checked = checkParsedSpecs(parsed, { ...options, policy: policy.policy });
  problems.push(...checked.problems);
  const failed = problems.some((p) => p.severity === "error");
  return { specs: failed ? [] : checked.specs, drills: failed ? [] : checked.drills, problems, files: found.files.map(display), ...(policy.policy ? { policy: policy.policy } : {}) };
}
