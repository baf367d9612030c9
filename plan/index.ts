import { hash } from "crypto";
import { checkBody } from "../api/schema";
import type { AzureBackupRestoreRequest, CrossRegionRestoreRequestObject, ValidateRestoreRequestObject } from "../api/types";
import { DEFAULT_API_VERSION, type ApiVersion } from "../api/versions";
import { fieldError } from "../errors/field";
import { failed, ok, type Result } from "../errors/result";
import { kindForDatasource, kindOf, restoresDatasource, type BackupInstanceFacts, type RestoreSource, type RestoreSpec, type RestoreTarget } from "../kinds";
import type { RestoreAccess } from "../kinds/access";
import { resolveBackupInstance, type BackupInstanceAddress } from "../language/backup-instance";
import { crossRegionPlan, identityDetails, notYetReplicated, type CrossRegionPlan } from "./cross-region";
import { secondaryRegionRoute } from "../language/regions";

export type { CrossRegionPlan } from "./cross-region";

export interface PlanOptions {
  apiVersion?: ApiVersion;
  defaultSubscriptionId?: string;
}

export interface PlannedCall {
  operation: "validateRestore" | "restore" | "validateCrossRegionRestore" | "crossRegionRestore";
  method: "POST";
  /** ARM path with the api-version query. */
  path: string;
  body: ValidateRestoreRequestObject | AzureBackupRestoreRequest | CrossRegionRestoreRequestObject;
}

/** The exact REST calls one spec turns into. */
export interface RestorePlan {
  name: string;
  kind: RestoreSpec["kind"];
  apiVersion: ApiVersion;
  backupInstance: BackupInstanceAddress;
  /** ARM ID of what the backup instance protects: a restore to it overwrites the original data. */
  protectedResourceId: string;
  source: RestoreSource;
  target: RestoreTarget;
  validateRequest: ValidateRestoreRequestObject;
  restoreRequest: AzureBackupRestoreRequest;
  /** sha256 of the api-version, backup instance and restore body: what "the same restore" means. */
  requestHash: string;
  calls: PlannedCall[];
  /** The roles the restore needs (kinds/access.ts), and what cannot be checked. */
  access: RestoreAccess;
  /** Set for a restore from the vault's secondary region (`spec.fromSecondaryRegion`). */
  crossRegion?: CrossRegionPlan;
}

/**
 * Strings that JSON writes as they are, between quotes (no quote, backslash, control character or
 * surrogate): most keys and values, quoted without JSON.stringify.
 */
const PLAIN_STRING = /^[A-Za-z0-9_$./:@ -]*$/;

const quoted = (text: string): string => (PLAIN_STRING.test(text) ? `"${text}"` : JSON.stringify(text));

/** Canonical JSON (sorted keys) so a hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  // Written out (no entries, filter, map) because every plan hashes its body: this was a tenth of the
  // offline run. The output is the one of the original form, byte for byte (keys in code-unit order,
  // undefined members left out, undefined array items as empty).
  if (typeof value === "string") return quoted(value);
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      const item = canonicalJson(value[i]) as string | undefined;
      if (item !== undefined) out += item;
    }
    return `${out}]`;
  }
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    let out = "{";
    let first = true;
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      if (!first) out += ",";
      first = false;
      out += `${quoted(key)}:${canonicalJson(member)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(apiVersion: ApiVersion, backupInstanceId: string, request: AzureBackupRestoreRequest): string {
  // crypto.hash: the one-shot form, without a Hash object per plan.
  return hash("sha256", canonicalJson({ apiVersion, backupInstanceId: backupInstanceId.toLowerCase(), request }), "hex");
}

/**
 * The exact validate and trigger bodies for one checked spec, given what the API says about its backup
 * instance: the spec's kind builds the restore body; this checks it against the definitions of the
 * api-version and names the calls. Pure: no I/O, same inputs give the same plan (and hash).
 */
export function planRestore(spec: RestoreSpec, facts: BackupInstanceFacts, options: PlanOptions = {}): Result<RestorePlan> {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const address = resolveBackupInstance(spec.spec.backupInstance, options.defaultSubscriptionId);
  if (!address.ok) return address;
  const ds = facts.instance.properties?.dataSourceInfo;
  if (!ds?.resourceID) {
    return failed(fieldError(["spec", "backupInstance"], "PlanInstanceWithoutDatasource", "the backup instance has no dataSourceInfo", "check that the backup instance exists and is protected"));
  }
  const kind = kindOf(spec);
  const datasourceType = ds.datasourceType ?? "an unknown datasource type";
  if (!restoresDatasource(kind, ds.datasourceType ?? "")) {
    const fits = kindForDatasource(ds.datasourceType ?? "");
    return failed(
      fieldError(
        ["kind"],
        "PlanKindMismatch",
        `this backup instance protects a ${datasourceType}; ${spec.kind} restores ${kind.title} (${kind.datasourceTypes.join(", ")})`,
        fits ? `use kind ${fits.name}` : "use RawRestore with the request body the service takes for this datasource",
      ),
    );
  }
  // Where a restore from the secondary region runs is settled before its recovery point is looked for:
  // the facts did not ask a region the restore cannot run in.
  const regions = spec.spec.fromSecondaryRegion ? secondaryRegionRoute(spec.spec, ds.resourceLocation, apiVersion) : undefined;
  if (regions && !regions.value) return failed(...regions.problems);
  const planned = kind.plan(spec, facts, { apiVersion });
  if (!planned.ok) return regions?.value ? failed(...planned.problems.map((p) => notYetReplicated(p, kind.recoveryPoint(spec)?.ref, regions.value!.targetRegion))) : planned;
  const { source, target } = planned.value;
  const identity = identityDetails(spec.spec, apiVersion);
  if (identity.problems.length > 0) return failed(...identity.problems);
  const request: AzureBackupRestoreRequest = identity.value ? { ...planned.value.request, identityDetails: identity.value } : planned.value.request;
  const crossRegion = crossRegionPlan(spec.spec, request, target, address.value, ds.resourceLocation, apiVersion);
  if (crossRegion.problems.length > 0) return failed(...crossRegion.problems);
  const validateRequest: ValidateRestoreRequestObject = { restoreRequestObject: request };
  const invalid = checkBody(apiVersion, "ValidateRestoreRequestObject", validateRequest, { strict: true });
  if (invalid.length > 0) {
    return failed(
      ...invalid.map((p) => fieldError(["spec"], "PlanBodyInvalid", `the validateRestore body breaks the ${apiVersion} definitions at ${p.path}: ${p.message}`, "report this spec to the azure-restores maintainers, or use RawRestore")),
    );
  }
  const base = address.value.id;
  const query = `?api-version=${apiVersion}`;
  const crr = crossRegion.value;
  const access = kind.access(spec, planned.value, facts);
  return ok({
    name: spec.metadata.name,
    kind: spec.kind,
    apiVersion,
    backupInstance: address.value,
    protectedResourceId: ds.resourceID,
    source,
    target,
    validateRequest,
    restoreRequest: request,
    requestHash: requestHash(apiVersion, base, request),
    access: spec.spec.identity && spec.spec.identity !== "system" ? underIdentity(access, spec.spec.identity) : access,
    ...(crr ? { crossRegion: crr } : {}),
    calls: crr
      ? [
          { operation: "validateCrossRegionRestore", method: "POST", path: `${crr.locationPath}/validateCrossRegionRestore${query}`, body: crr.validateBody },
          { operation: "crossRegionRestore", method: "POST", path: `${crr.locationPath}/crossRegionRestore${query}`, body: crr.restoreBody },
        ]
      : [
          { operation: "validateRestore", method: "POST", path: `${base}/validateRestore${query}`, body: validateRequest },
          { operation: "restore", method: "POST", path: `${base}/restore${query}`, body: request },
        ],
  });
}

/** The vault's needs, for the user-assigned identity the restore runs under instead of the system one. */
function underIdentity(access: RestoreAccess, userAssigned: string): RestoreAccess {
  return { ...access, needs: access.needs.map((n) => (n.identity.of === "vault" ? { ...n, identity: { of: "vault", userAssigned } } : n)) };
}
