/**
 * The drills' evidence and the restores' records, read from the output of `pulumi stack export`. Pure.
 *
 * The export is `{ "version": 3, "deployment": { "manifest": { "time", "magic", "version" },
 * "secrets_providers", "resources": [ { "urn", "custom", "id", "type", "inputs", "outputs", "parent",
 * "provider", "delete", ... } ] } }` (Pulumi's deployment schema, developer-docs/architecture/
 * deployment-schema.md, "Version 3" and "Resource V3"; the Cloud REST API reads versions 3 and 4 into the
 * same DeploymentV3). A resource with `delete: true` is an old copy waiting to be deleted: left out.
 */
import type { CheckResult, DrillRestoreEvidence, DrillRun, RecoveryTime } from "../drills/evidence";
import { problem, type Problem } from "../errors/problem";
import { failed, ok, type ProblemResult } from "../errors/result";
import { describe, ENCRYPTED, FieldReader, isObject, SECRET_TEXT, SecretValue, withoutUndefined, type Json, type JsonObject } from "./fields";

/** The type tokens the report reads (`pulumi-nodejs:dynamic/<module>:<type>`, as dynamic resources are typed). */
export const DRILL_TYPE = "pulumi-nodejs:dynamic/azure-restores:RestoreDrill";
export const RESTORE_TYPE = "pulumi-nodejs:dynamic/azure-restores:Restore";

/**
 * A drill is a resource of DRILL_TYPE, of any type named `…:RestoreDrill` (a program's own module), or a
 * dynamic resource (`pulumi-nodejs:dynamic…`, whatever its type) whose outputs carry runs of a drill's
 * shape (drills/evidence.ts): a list of objects with a `window` and a list of `restores`.
 */
export function isDrillResource(resource: JsonObject): boolean {
  const type = typeof resource.type === "string" ? resource.type : "";
  if (type === DRILL_TYPE || /:RestoreDrill$/.test(type)) return true;
  if (!type.startsWith("pulumi-nodejs:dynamic") || type === RESTORE_TYPE || !isObject(resource.outputs)) return false;
  const runs = resource.outputs.runs;
  return Array.isArray(runs) && runs.every((r) => isObject(r) && typeof r.window === "number" && Array.isArray(r.restores));
}

const EXPORT_REMEDY = "pass what `pulumi stack export` prints: `pulumi stack export --file stack.json`, then `azure-restores report stack.json`";
const EVIDENCE_REMEDY = "export the stack again (`pulumi stack export --file stack.json`); a field still wrong was recorded by another version of azure-restores than this report's (drills/evidence.ts): report with that version";

export interface ExportedDrill {
  urn: string;
  name: string;
  lastWindow?: number;
  /** As recorded: newest first. Empty when the evidence is secret. */
  runs: DrillRun[];
  /** Fields under `outputs` whose value was encrypted (texts among them read `[secret]`). */
  secretFields: string[];
  /** The field, under `outputs`, whose encrypted value kept the report from reading the runs. */
  secretEvidence?: string;
}

/** The few fields of a Restore's record a report shows. */
export interface ExportedRestore {
  urn: string;
  name: string;
  kind?: string;
  status?: string;
  jobId?: string;
  startTime?: string;
  endTime?: string;
  /** As the job reports it: an ISO 8601 duration (`PT6M42.118S`). */
  duration?: string;
}

export interface StackExport {
  /** The file it was read from, or `-` for stdin. */
  source: string;
  stack?: string;
  project?: string;
  /** `deployment.manifest.time`: when the deployment was written. */
  exportedAt?: string;
  drills: ExportedDrill[];
  restores: ExportedRestore[];
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } | undefined {
  const m = /^urn:pulumi:(.*?)::(.*?)::(.*?)::(.*)$/s.exec(urn);
  return m ? { stack: m[1], project: m[2], type: m[3], name: m[4] } : undefined;
}

/** Reads the text of a `pulumi stack export`; bad input is a problem naming the file, the field and the fix. */
export function parseStackExport(text: string, source: string): ProblemResult<StackExport> {
  const fail = (code: string, message: string, field?: string, remedy = EXPORT_REMEDY) => failed<Problem>(problem(code, message, { file: source, remedy, ...(field ? { field } : {}) }));
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") return fail("StackExportEmpty", "the input is empty");
  let root: Json;
  try {
    root = JSON.parse(body) as Json;
  } catch (error) {
    return fail("StackExportNotJson", `not JSON (${(error as Error).message})`);
  }
  if (!isObject(root) || !isObject(root.deployment)) {
    const hint = isObject(root) && isObject(root.checkpoint) ? " (this is a state file of the backend; export the stack instead)" : "";
    return fail("StackExportNotAnExport", `not a stack export: there is no "deployment" object${hint}`, "deployment");
  }
  if (root.version !== 3 && root.version !== 4) {
    return fail("StackExportVersion", `deployment version ${describe(root.version)} is not one this report reads (3 or 4)`, "version", "export the stack with Pulumi 3: `pulumi stack export --file stack.json`");
  }
  const deployment = root.deployment;
  const resources = deployment.resources ?? [];
  if (!Array.isArray(resources)) return fail("StackExportNotAnExport", `deployment.resources is ${describe(resources)}; a list of resources is expected`, "deployment.resources");

  const reader = new FieldReader(source, EVIDENCE_REMEDY);
  const found: StackExport = { source, drills: [], restores: [] };
  const manifest = deployment.manifest;
  if (isObject(manifest) && typeof manifest.time === "string") found.exportedAt = manifest.time;
  resources.forEach((resource, i) => {
    const path = `deployment.resources[${i}]`;
    if (!isObject(resource) || resource.delete === true) return;
    const urn = typeof resource.urn === "string" ? resource.urn : "";
    const parts = parseUrn(urn);
    if (parts && found.stack === undefined) Object.assign(found, { stack: parts.stack, project: parts.project });
    if (isDrillResource(resource)) found.drills.push(readDrill(reader, resource, urn, parts?.name ?? urn, path));
    else if (resource.type === RESTORE_TYPE) found.restores.push(readRestore(reader, resource, urn, parts?.name ?? urn, path));
  });
  if (reader.problems.length > 0) return failed(...reader.problems);
  if (found.drills.length === 0) {
    const restores = found.restores.length > 0 ? `; it holds ${found.restores.length} Restore resource${found.restores.length === 1 ? "" : "s"}` : "";
    return fail("StackExportNoDrills", `the stack holds no RestoreDrill resource (type ${DRILL_TYPE}) among its ${resources.length} resource${resources.length === 1 ? "" : "s"}${restores}`, "deployment.resources", "export the stack the drills run in, after a `pulumi up` that ran them: `pulumi stack export --stack <org>/<project>/<stack> --file stack.json`");
  }
  found.drills.sort((a, b) => a.name.localeCompare(b.name));
  found.restores.sort((a, b) => a.name.localeCompare(b.name));
  return ok(found);
}

function outputsOf(reader: FieldReader, resource: JsonObject, path: string): JsonObject | "secret" {
  const v = reader.reveal(resource.outputs, `${path}.outputs`);
  if (v === ENCRYPTED) return "secret";
  if (isObject(v)) return v;
  reader.wrong(`${path}.outputs`, `the resource's outputs are ${describe(v)}; an object is expected`);
  return {};
}

function readDrill(reader: FieldReader, resource: JsonObject, urn: string, urnName: string, path: string): ExportedDrill {
  const before = reader.secrets.length;
  const at = `${path}.outputs`;
  const drill: ExportedDrill = { urn, name: urnName, runs: [], secretFields: [] };
  const outputs = outputsOf(reader, resource, path);
  try {
    if (outputs === "secret") throw new SecretValue(at);
    const name = reader.string(outputs, "name", at, true);
    if (name !== undefined && name !== SECRET_TEXT) drill.name = name;
    drill.lastWindow = reader.number(outputs, "lastWindow", at, true);
    drill.runs = reader.array(outputs, "runs", at, (run, p) => readRun(reader, run, p));
  } catch (error) {
    if (!(error instanceof SecretValue)) throw error;
    drill.runs = [];
    drill.secretEvidence = error.path.slice(at.length + 1) || "outputs";
  }
  drill.secretFields = reader.secrets.slice(before).map((p) => p.slice(at.length + 1) || "outputs");
  return drill;
}

function readRun(r: FieldReader, run: JsonObject, at: string): DrillRun {
  const objectives = r.object(run, "objectives", at, true);
  return {
    window: r.number(run, "window", at),
    windowStart: r.string(run, "windowStart", at),
    windowEnd: r.string(run, "windowEnd", at),
    startedAt: r.string(run, "startedAt", at),
    endedAt: r.string(run, "endedAt", at),
    seed: r.string(run, "seed", at),
    ...(objectives ? { objectives: withoutUndefined({ rto: r.string(objectives, "rto", `${at}.objectives`, true), rpo: r.string(objectives, "rpo", `${at}.objectives`, true) }) } : {}),
    restores: r.array(run, "restores", at, (e, p) => readRestoreEvidence(r, e, p)),
    passed: r.boolean(run, "passed", at),
  };
}

function readRestoreEvidence(r: FieldReader, e: JsonObject, at: string): DrillRestoreEvidence {
  const rto = r.object(e, "rto", at, true);
  const error = r.object(e, "error", at, true);
  return withoutUndefined({
    backupInstanceId: r.string(e, "backupInstanceId", at),
    kind: r.string(e, "kind", at),
    recoveryPointId: r.string(e, "recoveryPointId", at, true),
    recoveryPointTime: r.string(e, "recoveryPointTime", at, true),
    rpoSeconds: r.number(e, "rpoSeconds", at, true),
    jobId: r.string(e, "jobId", at, true),
    jobStatus: r.string(e, "jobStatus", at, true),
    target: r.string(e, "target", at, true),
    rto: rto ? readRecoveryTime(r, rto, `${at}.rto`) : undefined,
    checks: r.array(e, "checks", at, (c, p) => readCheck(r, c, p)),
    rtoMet: r.boolean(e, "rtoMet", at, true),
    rpoMet: r.boolean(e, "rpoMet", at, true),
    passed: r.boolean(e, "passed", at),
    error: error ? { code: r.string(error, "code", `${at}.error`), message: r.string(error, "message", `${at}.error`) } : undefined,
  });
}

function readRecoveryTime(r: FieldReader, rto: JsonObject, at: string): RecoveryTime {
  return {
    validateSeconds: r.number(rto, "validateSeconds", at),
    jobSeconds: r.number(rto, "jobSeconds", at),
    verifySeconds: r.number(rto, "verifySeconds", at),
    totalSeconds: r.number(rto, "totalSeconds", at),
  };
}

const CHECKS: readonly CheckResult["check"][] = ["exists", "files", "sql", "command"];

function readCheck(r: FieldReader, c: JsonObject, at: string): CheckResult {
  const check = r.string(c, "check", at);
  if (!(CHECKS as readonly string[]).includes(check)) r.wrong(`${at}.check`, `check is ${describe(check)}; one of ${CHECKS.join(", ")} is expected`);
  return { check: check as CheckResult["check"], passed: r.boolean(c, "passed", at), detail: r.string(c, "detail", at), seconds: r.number(c, "seconds", at) };
}

function readRestore(reader: FieldReader, resource: JsonObject, urn: string, urnName: string, path: string): ExportedRestore {
  const outputs = outputsOf(reader, resource, path);
  if (outputs === "secret") return { urn, name: urnName };
  const at = `${path}.outputs`;
  const read = (key: string) => reader.string(outputs, key, at, true);
  const name = read("name");
  return withoutUndefined({
    urn,
    name: name === undefined || name === SECRET_TEXT ? urnName : name,
    kind: read("kind"),
    status: read("status"),
    jobId: read("jobId"),
    startTime: read("startTime"),
    endTime: read("endTime"),
    duration: read("duration"),
  });
}

