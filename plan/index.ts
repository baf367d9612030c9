import { createHash } from "crypto";
import { checkBody } from "../api/schema";
import {
  BLOB_DATASOURCE_TYPE,
  type AzureBackupRecoveryPointResource,
  type AzureBackupRestoreRequest,
  type BackupInstanceResource,
  type Datasource,
  type ItemLevelRestoreCriteria,
  type ItemPathBasedRestoreCriteria,
  type RestoreTargetInfoBase,
  type ValidateRestoreRequestObject,
} from "../api/types";
import { DEFAULT_API_VERSION, supportsDatasourceAuthCredentials, supportsItemPathCriteria, type ApiVersion } from "../api/versions";
import type { BlobRestore, PostgreSQLRestore, RawRestore, RestoreSpec } from "../spec/model";
import type { FieldProblem } from "../spec/rules";
import { toServiceTime } from "../spec/time";
import { resolveBackupInstance, type BackupInstanceAddress } from "./backup-instance";
import { resolveRecoveryPoint, type ResolvedRecoveryPoint } from "./recovery-point";

export { resolveBackupInstance, type BackupInstanceAddress } from "./backup-instance";
export { resolveRecoveryPoint, type ResolvedRecoveryPoint } from "./recovery-point";

/** What the plan needs to know about the backup instance, as the API returns it. */
export interface BackupInstanceFacts {
  instance: BackupInstanceResource;
  /** The instance's recovery points; needed for `latest`/`latestBefore` and to check an ID exists. */
  recoveryPoints?: AzureBackupRecoveryPointResource[];
}

export interface PlanOptions {
  apiVersion?: ApiVersion;
  defaultSubscriptionId?: string;
}

/** Where the restore writes: the key restores are serialized and matched on. */
export interface RestoreTarget {
  kind: "storageAccount" | "database" | "files" | "other";
  /** ARM ID or URL of what is written. */
  id: string;
  /** Restores sharing a lock key run one after another (one blob restore per storage account). */
  lockKey: string;
}

export interface RestoreSource {
  dataStore: string;
  recoveryPointId?: string;
  recoveryPointTime?: string;
  pointInTime?: string;
}

export interface PlannedCall {
  operation: "validateRestore" | "restore";
  method: "POST";
  /** ARM path with the api-version query. */
  path: string;
  body: ValidateRestoreRequestObject | AzureBackupRestoreRequest;
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
}

export interface PlanResult {
  plan?: RestorePlan;
  problems: FieldProblem[];
}

const RECOVERY_OPTION = "FailIfExists";

function fail(path: Array<string | number>, code: string, message: string, remedy: string): FieldProblem {
  return { path, code, severity: "error", message, remedy };
}

function lastSegment(id: string): string {
  return id.replace(/\/+$/, "").split("/").pop() ?? id;
}

function parentId(id: string): string {
  return id.split("/").slice(0, -2).join("/");
}

/** Canonical JSON (sorted keys) so a hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(apiVersion: ApiVersion, backupInstanceId: string, request: AzureBackupRestoreRequest): string {
  return createHash("sha256").update(canonicalJson({ apiVersion, backupInstanceId: backupInstanceId.toLowerCase(), request })).digest("hex");
}

function instanceDatasource(facts: BackupInstanceFacts): Datasource | undefined {
  return facts.instance.properties?.dataSourceInfo;
}

function datasourceFor(source: Datasource, targetId: string, location: string): Datasource {
  return {
    datasourceType: source.datasourceType,
    objectType: "Datasource",
    resourceID: targetId,
    resourceLocation: location,
    resourceName: lastSegment(targetId),
    resourceType: source.resourceType,
    resourceUri: targetId,
  };
}

interface KindPlan {
  request: AzureBackupRestoreRequest;
  source: RestoreSource;
  target: RestoreTarget;
}

function planBlob(spec: BlobRestore, facts: BackupInstanceFacts, apiVersion: ApiVersion, problems: FieldProblem[]): KindPlan | undefined {
  const ds = instanceDatasource(facts)!;
  const s = spec.spec;
  const location = s.restoreLocation ?? ds.resourceLocation ?? "";
  const items = s.items;
  if (s.pointInTime !== undefined) {
    const restoreCriteria: ItemLevelRestoreCriteria[] = [
      ...(items?.containers ?? []).map((c) => ({ objectType: "RangeBasedItemLevelRestoreCriteria" as const, minMatchingValue: c, maxMatchingValue: `${c}-0` })),
      ...(items?.ranges ?? []).map((r) => ({ objectType: "RangeBasedItemLevelRestoreCriteria" as const, minMatchingValue: r.from, maxMatchingValue: r.to })),
    ];
    const restoreTargetInfo: RestoreTargetInfoBase =
      restoreCriteria.length > 0
        ? { objectType: "ItemLevelRestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, restoreCriteria, datasourceInfo: ds }
        : { objectType: "RestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, datasourceInfo: ds };
    const recoveryPointTime = toServiceTime(s.pointInTime);
    return {
      request: { objectType: "AzureBackupRecoveryTimeBasedRestoreRequest", restoreTargetInfo, sourceDataStoreType: "OperationalStore", recoveryPointTime },
      source: { dataStore: "OperationalStore", pointInTime: recoveryPointTime },
      target: { kind: "storageAccount", id: ds.resourceID, lockKey: `storageAccount:${ds.resourceID.toLowerCase()}` },
    };
  }
  const point = pickRecoveryPoint(s.recoveryPoint!, "VaultStore", facts, problems);
  if (!point) return undefined;
  const prefixes = items?.prefixes ?? [];
  const containers = [...new Set([...(items?.containers ?? []), ...prefixes.map((p) => p.slice(0, p.indexOf("/")))])];
  if (containers.length > 0 && !supportsItemPathCriteria(apiVersion)) {
    problems.push(fail(["spec", "items"], "PlanApiVersionTooOld", `item-level vaulted blob restores need api-version 2024-04-01 or later (this run uses ${apiVersion})`, "set the api-version to 2024-04-01 or later, or restore the whole account"));
    return undefined;
  }
  const targetId = s.target?.storageAccount ?? ds.resourceID;
  const datasourceInfo = s.target?.storageAccount ? datasourceFor(ds, s.target.storageAccount, location) : ds;
  const restoreCriteria: ItemPathBasedRestoreCriteria[] = containers.map((container) => {
    const sub = prefixes.filter((p) => p.startsWith(`${container}/`)).map((p) => p.slice(container.length + 1));
    return { objectType: "ItemPathBasedRestoreCriteria", itemPath: container, isPathRelativeToBackupItem: true, ...(sub.length > 0 ? { subItemPathPrefix: sub } : {}) };
  });
  const restoreTargetInfo: RestoreTargetInfoBase =
    restoreCriteria.length > 0
      ? { objectType: "ItemLevelRestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, restoreCriteria, datasourceInfo }
      : { objectType: "RestoreTargetInfo", recoveryOption: RECOVERY_OPTION, restoreLocation: location, datasourceInfo };
  return {
    request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", restoreTargetInfo, sourceDataStoreType: "VaultStore", recoveryPointId: point.id },
    source: { dataStore: "VaultStore", recoveryPointId: point.id, ...(point.time ? { recoveryPointTime: point.time } : {}) },
    target: { kind: "storageAccount", id: targetId, lockKey: `storageAccount:${targetId.toLowerCase()}` },
  };
}

function pickRecoveryPoint(ref: BlobRestore["spec"]["recoveryPoint"] & {}, dataStore: string, facts: BackupInstanceFacts, problems: FieldProblem[]): ResolvedRecoveryPoint | undefined {
  const resolved = resolveRecoveryPoint(ref, dataStore, facts.recoveryPoints);
  if ("problem" in resolved) {
    problems.push(fail(["spec", "recoveryPoint"], resolved.problem.code, resolved.problem.message, resolved.problem.remedy));
    return undefined;
  }
  return resolved;
}

function planPostgres(spec: PostgreSQLRestore, facts: BackupInstanceFacts, apiVersion: ApiVersion, problems: FieldProblem[]): KindPlan | undefined {
  const ds = instanceDatasource(facts)!;
  const s = spec.spec;
  const location = s.restoreLocation ?? ds.resourceLocation ?? "";
  const dataStore = s.sourceDataStore ?? "VaultStore";
  let restoreTargetInfo: RestoreTargetInfoBase;
  let target: RestoreTarget;
  if (s.target.database) {
    const dbId = s.target.database.id;
    if (dbId.toLowerCase() === ds.resourceID.toLowerCase()) {
      problems.push(fail(["spec", "target", "database", "id"], "PlanOriginalLocationUnsupported", "this is the database that was backed up: PostgreSQL has no original-location restore", "restore into a new database name, or to another server"));
      return undefined;
    }
    if (!supportsDatasourceAuthCredentials(apiVersion)) {
      problems.push(fail(["spec", "target", "database"], "PlanApiVersionTooOld", `restoring into a PostgreSQL database needs api-version 2021-07-01 or later (this run uses ${apiVersion})`, "set the api-version to 2021-07-01 or later"));
      return undefined;
    }
    const serverId = parentId(dbId);
    const setType = facts.instance.properties?.dataSourceSetInfo?.resourceType ?? (ds.resourceType ?? "").split("/").slice(0, -1).join("/");
    restoreTargetInfo = {
      objectType: "RestoreTargetInfo",
      recoveryOption: RECOVERY_OPTION,
      datasourceInfo: datasourceFor(ds, dbId, location),
      datasourceSetInfo: {
        objectType: "DatasourceSet",
        resourceID: serverId,
        resourceName: lastSegment(serverId),
        resourceType: setType,
        resourceLocation: location,
        resourceUri: "",
        datasourceType: ds.datasourceType,
      },
      datasourceAuthCredentials: {
        objectType: "SecretStoreBasedAuthCredentials",
        secretStoreResource: { secretStoreType: "AzureKeyVault", uri: s.target.database.credentialsSecretUri },
      },
      restoreLocation: location,
    };
    target = { kind: "database", id: dbId, lockKey: `database:${dbId.toLowerCase()}` };
  } else {
    const files = s.target.files!;
    restoreTargetInfo = {
      objectType: "RestoreFilesTargetInfo",
      recoveryOption: RECOVERY_OPTION,
      restoreLocation: location,
      targetDetails: { url: files.containerUrl, filePrefix: files.filePrefix, restoreTargetLocationType: "AzureBlobs" },
    };
    target = { kind: "files", id: files.containerUrl, lockKey: `files:${files.containerUrl.toLowerCase()}/${files.filePrefix}` };
  }
  const point = pickRecoveryPoint(s.recoveryPoint, dataStore, facts, problems);
  if (!point) return undefined;
  const source: RestoreSource = { dataStore, recoveryPointId: point.id, ...(point.time ? { recoveryPointTime: point.time } : {}) };
  if (dataStore === "ArchiveStore") {
    return {
      request: {
        objectType: "AzureBackupRestoreWithRehydrationRequest",
        sourceDataStoreType: "ArchiveStore",
        restoreTargetInfo,
        recoveryPointId: point.id,
        rehydrationPriority: s.rehydration!.priority,
        rehydrationRetentionDuration: s.rehydration!.retention,
      },
      source,
      target,
    };
  }
  return { request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", sourceDataStoreType: dataStore, restoreTargetInfo, recoveryPointId: point.id }, source, target };
}

function planRaw(spec: RawRestore, facts: BackupInstanceFacts, problems: FieldProblem[]): KindPlan | undefined {
  const request = spec.spec.request;
  const info = request.restoreTargetInfo;
  const ds = instanceDatasource(facts)!;
  const requested = "datasourceInfo" in info ? info.datasourceInfo?.datasourceType : undefined;
  if (requested && ds.datasourceType && requested.toLowerCase() !== ds.datasourceType.toLowerCase()) {
    problems.push(
      fail(["spec", "request", "restoreTargetInfo", "datasourceInfo", "datasourceType"], "PlanDatasourceTypeMismatch", `the backup instance protects ${ds.datasourceType}, the request restores ${requested}`, `use datasourceType ${ds.datasourceType}`),
    );
    return undefined;
  }
  const targetId = "datasourceInfo" in info && info.datasourceInfo ? info.datasourceInfo.resourceID : "targetDetails" in info ? info.targetDetails.url : ds.resourceID;
  const kind = "targetDetails" in info ? "files" : ds.datasourceType === BLOB_DATASOURCE_TYPE ? "storageAccount" : "other";
  const source: RestoreSource = { dataStore: request.sourceDataStoreType };
  if ("recoveryPointId" in request) source.recoveryPointId = request.recoveryPointId;
  if ("recoveryPointTime" in request) source.pointInTime = request.recoveryPointTime;
  return { request, source, target: { kind, id: targetId, lockKey: `${kind}:${targetId.toLowerCase()}` } };
}

const KIND_DATASOURCES: Record<string, RegExp> = {
  BlobRestore: /^Microsoft\.Storage\/storageAccounts\/blobServices$/i,
  PostgreSQLRestore: /^Microsoft\.DBforPostgreSQL\/(servers\/databases|flexibleServers)$/i,
};

/**
 * The exact validate and trigger bodies for one checked spec, given what the API says about its backup
 * instance. Pure: no I/O, same inputs give the same plan (and hash).
 */
export function planRestore(spec: RestoreSpec, facts: BackupInstanceFacts, options: PlanOptions = {}): PlanResult {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  const problems: FieldProblem[] = [];
  const address = resolveBackupInstance(spec.spec.backupInstance, options.defaultSubscriptionId);
  if ("problem" in address) return { problems: [address.problem] };
  const ds = instanceDatasource(facts);
  if (!ds?.resourceID) {
    return { problems: [fail(["spec", "backupInstance"], "PlanInstanceWithoutDatasource", "the backup instance has no dataSourceInfo", "check that the backup instance exists and is protected")] };
  }
  const expected = KIND_DATASOURCES[spec.kind];
  if (expected && !expected.test(ds.datasourceType ?? "")) {
    return {
      problems: [fail(["kind"], "PlanKindMismatch", `${spec.kind} cannot restore this backup instance: it protects ${ds.datasourceType ?? "an unknown datasource type"}`, "use the kind that matches the datasource (BlobRestore, PostgreSQLRestore) or RawRestore")],
    };
  }
  let planned: KindPlan | undefined;
  switch (spec.kind) {
    case "BlobRestore":
      planned = planBlob(spec, facts, apiVersion, problems);
      break;
    case "PostgreSQLRestore":
      planned = planPostgres(spec, facts, apiVersion, problems);
      break;
    case "RawRestore":
      planned = planRaw(spec, facts, problems);
      break;
  }
  if (!planned) return { problems };
  const validateRequest: ValidateRestoreRequestObject = { restoreRequestObject: planned.request };
  for (const p of checkBody(apiVersion, "ValidateRestoreRequestObject", validateRequest, { strict: true })) {
    problems.push(fail(["spec"], "PlanBodyInvalid", `the validateRestore body breaks the ${apiVersion} definitions at ${p.path}: ${p.message}`, "report this spec to the azure-restores maintainers, or use RawRestore"));
  }
  if (problems.length > 0) return { problems };
  const base = address.id;
  const query = `?api-version=${apiVersion}`;
  return {
    plan: {
      name: spec.metadata.name,
      kind: spec.kind,
      apiVersion,
      backupInstance: address,
      protectedResourceId: ds.resourceID,
      source: planned.source,
      target: planned.target,
      validateRequest,
      restoreRequest: planned.request,
      requestHash: requestHash(apiVersion, base, planned.request),
      calls: [
        { operation: "validateRestore", method: "POST", path: `${base}/validateRestore${query}`, body: validateRequest },
        { operation: "restore", method: "POST", path: `${base}/restore${query}`, body: planned.request },
      ],
    },
    problems: [],
  };
}
