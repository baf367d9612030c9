import { BLOB_DATASOURCE_TYPE, type AzureBackupRestoreRequest } from "../api/types";
import { fieldError, type FieldPath, type FieldProblem } from "../errors/field";
import { failed, ok } from "../errors/result";
import { checkBody } from "../api/schema";
import { isObj, type Obj, type RuleContext } from "../language/common-rules";
import type { CommonSpec, SpecEnvelope } from "../language/model";
import { specSchema, type Schema } from "../language/schema-parts";
import type { RestoreKind, RestoreSource, RestoreTarget } from "./kind";
import { sourceDatasource } from "./parts";

/**
 * Any request body the restore API takes, sent as written: for what no other kind covers yet. The body
 * is checked against the definitions of the run's api-version (checks/check.ts), here only for what
 * a spec must never hold.
 */
export interface RawRestoreSpec extends CommonSpec {
  request: AzureBackupRestoreRequest;
}

export type RawRestore = SpecEnvelope<"RawRestore", RawRestoreSpec>;

/** Editor completion for `request:` comes from this generated file (schemas/). */
export const RAW_REQUEST_SCHEMA_FILE = "azure-backup-restore-request.schema.json";

const schema = (): Schema =>
  specSchema(["request"], {
    request: {
      $ref: RAW_REQUEST_SCHEMA_FILE,
      description: "An AzureBackupRestoreRequest body exactly as the restore API takes it (checked against the official definitions).",
    },
  });

/** Paths of `secretStoreResource.value` anywhere in a request: a secret written into a spec. */
function secretValues(value: unknown, path: FieldPath): FieldPath[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretValues(v, [...path, i]));
  if (!isObj(value)) return [];
  const here = path[path.length - 1] === "secretStoreResource" && value.value !== undefined && value.value !== null ? [[...path, "value"]] : [];
  return [...here, ...Object.entries(value).flatMap(([k, v]) => secretValues(v, [...path, k]))];
}

/** The request against the official definitions of the run's api-version. */
function bodyProblems(request: unknown, context: RuleContext): FieldProblem[] {
  if (!isObj(request)) return [];
  return checkBody(context.apiVersion, "AzureBackupRestoreRequest", request, { strict: true }).map((p) =>
    fieldError(["spec", "request", ...p.segments], "SpecRequestInvalid", p.message, `follow the ${p.definition ?? "AzureBackupRestoreRequest"} definition of api-version ${context.apiVersion}`),
  );
}

function rules(spec: Obj, context: RuleContext): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const path of secretValues(spec.request, ["spec", "request"])) {
    out.push(fieldError(path, "SpecSecretValue", "a spec must not hold a secret: it would be stored in git and in the stack", "remove value and name the secret by its Key Vault URL in secretStoreResource.uri", "key"));
  }
  if (isObj(spec.request) && spec.request.objectType === "ValidateRestoreRequestObject") {
    out.push(fieldError(["spec", "request", "objectType"], "SpecRawValidateBody", "request is the restore body, not the validate body", "put the inner restoreRequestObject here; the tool wraps it for validateRestore"));
  }
  return [...out, ...bodyProblems(spec.request, context)];
}

export const rawKind: RestoreKind<RawRestore> = {
  name: "RawRestore",
  title: "any datasource (the request as written)",
  datasourceTypes: [],
  specSchema: schema,
  schemaRefs: () => ({ [RAW_REQUEST_SCHEMA_FILE]: { type: "object" } }),
  rules,

  recoveryPoint() {
    return undefined;
  },

  plan(spec, facts) {
    const request = spec.spec.request;
    const info = request.restoreTargetInfo;
    const ds = sourceDatasource(facts);
    const requested = "datasourceInfo" in info ? info.datasourceInfo?.datasourceType : undefined;
    if (requested && ds.datasourceType && requested.toLowerCase() !== ds.datasourceType.toLowerCase()) {
      return failed(
        fieldError(["spec", "request", "restoreTargetInfo", "datasourceInfo", "datasourceType"], "PlanDatasourceTypeMismatch", `the backup instance protects ${ds.datasourceType}, the request restores ${requested}`, `use datasourceType ${ds.datasourceType}`),
      );
    }
    const targetId = "datasourceInfo" in info && info.datasourceInfo ? info.datasourceInfo.resourceID : "targetDetails" in info ? info.targetDetails.url : ds.resourceID;
    const kind: RestoreTarget["kind"] = "targetDetails" in info ? "files" : ds.datasourceType === BLOB_DATASOURCE_TYPE ? "storageAccount" : "other";
    const source: RestoreSource = { dataStore: request.sourceDataStoreType };
    if ("recoveryPointId" in request) source.recoveryPointId = request.recoveryPointId;
    if ("recoveryPointTime" in request) source.pointInTime = request.recoveryPointTime;
    return ok({ request, source, target: { kind, id: targetId, lockKey: `${kind}:${targetId.toLowerCase()}` } });
  },

  policyTargets() {
    // The target of a raw request is checked in preview, from the plan.
    return { targets: [] };
  },

  // A request written by hand: what it needs depends on what it restores, which only the service knows.
  access() {
    return { needs: [], unchecked: ["the roles of a RawRestore (the tool cannot tell what the request needs)"] };
  },

  destination(spec) {
    return spec.spec.request?.restoreTargetInfo ?? null;
  },
};
