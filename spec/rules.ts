import type { Severity } from "../errors/problem";
import { durationDays, parseUtcTime } from "./time";
import type { FieldPath } from "./yaml";

/** A problem found in one spec, placed by field path (the caller turns it into a file position). */
export interface FieldProblem {
  path: FieldPath;
  code: string;
  severity: Severity;
  message: string;
  remedy: string;
  /** Point at the key rather than its value (unknown or misplaced fields). */
  at?: "key" | "value";
}

/** Azure limits: at most 10 containers or ranges per operational-tier restore; rehydration kept 10-30 days. */
export const MAX_OPERATIONAL_CRITERIA = 10;
export const REHYDRATION_MIN_DAYS = 10;
export const REHYDRATION_MAX_DAYS = 30;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

function err(path: FieldPath, code: string, message: string, remedy: string, at?: "key" | "value"): FieldProblem {
  return { path, code, severity: "error", message, remedy, ...(at ? { at } : {}) };
}

export interface RuleOptions {
  /** "Now", for rules about the future; injected so the rules stay pure. */
  now: Date;
}

/**
 * Relationships between fields that `az dataprotection` and the service enforce, worded with a fix.
 * Runs on any parsed value (shape errors are the schema's job): each rule looks only at values of
 * the type it expects.
 */
export function specRules(value: unknown, options: RuleOptions): FieldProblem[] {
  if (!isObj(value) || !isObj(value.spec)) return [];
  const spec = value.spec;
  switch (value.kind) {
    case "BlobRestore":
      return blobRules(spec, options);
    case "PostgreSQLRestore":
      return postgresRules(spec, options);
    case "RawRestore":
      return rawRules(spec);
    default:
      return [];
  }
}

function timeRules(spec: Obj, options: RuleOptions): FieldProblem[] {
  const out: FieldProblem[] = [];
  const checkTime = (path: FieldPath, raw: unknown) => {
    if (typeof raw !== "string") return;
    const time = parseUtcTime(raw);
    if (!time) return; // the schema reports the format
    if (Number.isNaN(time.getTime())) out.push(err(path, "SpecInvalidTime", `'${raw}' is not a real date`, "check the day and month"));
    else if (time.getTime() > options.now.getTime()) out.push(err(path, "SpecTimeInFuture", `${raw} is in the future`, "restore to a time that has passed"));
  };
  checkTime(["spec", "pointInTime"], spec.pointInTime);
  if (isObj(spec.recoveryPoint)) checkTime(["spec", "recoveryPoint", "latestBefore"], spec.recoveryPoint.latestBefore);
  if (isObj(spec.wait) && typeof spec.wait.timeout === "string") {
    const days = durationDays(spec.wait.timeout);
    if (days !== undefined && days <= 0) out.push(err(["spec", "wait", "timeout"], "SpecInvalidTimeout", "the timeout is zero", "give the job time to finish, e.g. PT2H"));
  }
  return out;
}

function blobRules(spec: Obj, options: RuleOptions): FieldProblem[] {
  const out = timeRules(spec, options);
  const hasTime = spec.pointInTime !== undefined;
  const hasPoint = spec.recoveryPoint !== undefined;
  if (hasTime && hasPoint) {
    out.push(
      err(["spec", "recoveryPoint"], "SpecTierConflict", "give either pointInTime (operational tier) or recoveryPoint (vaulted tier), not both", "remove one of the two", "key"),
    );
  } else if (!hasTime && !hasPoint) {
    out.push(
      err(["spec"], "SpecRestorePointMissing", "a blob restore needs pointInTime (operational tier) or recoveryPoint (vaulted tier)", "add pointInTime: <UTC time> or recoveryPoint: latest", "key"),
    );
  }
  // With both given (already an error), judge the items as the operational tier so every problem shows.
  const operational = hasTime;
  const vaulted = hasPoint && !hasTime;
  const items = isObj(spec.items) ? spec.items : undefined;
  if (items) {
    if (Object.keys(items).length === 0) {
      out.push(err(["spec", "items"], "SpecEmptyItems", "items is empty", "list containers, ranges or prefixes, or remove items to restore the whole account", "key"));
    }
    if (operational && items.prefixes !== undefined) {
      out.push(err(["spec", "items", "prefixes"], "SpecPrefixesNeedVaultedTier", "prefixes are for vaulted-tier restores (recoveryPoint)", "use ranges for a point-in-time restore, e.g. { from: container/prefix, to: container/prefiy }", "key"));
    }
    if (vaulted && items.ranges !== undefined) {
      out.push(err(["spec", "items", "ranges"], "SpecRangesNeedOperationalTier", "ranges are for operational-tier restores (pointInTime)", "use prefixes (container/prefix) for a vaulted-tier restore", "key"));
    }
    const containers = strings(items.containers);
    const ranges = Array.isArray(items.ranges) ? items.ranges : [];
    if (operational && containers.length + ranges.length > MAX_OPERATIONAL_CRITERIA) {
      out.push(
        err(
          ["spec", "items"],
          "SpecTooManyRanges",
          `${containers.length + ranges.length} containers and ranges; Azure restores at most ${MAX_OPERATIONAL_CRITERIA} per operational-tier restore`,
          "split the restore into several specs, or widen the ranges",
          "key",
        ),
      );
    }
    out.push(...duplicateEntries(["spec", "items", "containers"], containers, "container"));
    out.push(...duplicateEntries(["spec", "items", "prefixes"], strings(items.prefixes), "prefix"));
    if (operational) out.push(...rangeRules(containers, ranges));
  }
  if (isObj(spec.target) && spec.target.storageAccount !== undefined && operational) {
    out.push(
      err(["spec", "target"], "SpecTargetNeedsVaultedTier", "an operational-tier restore (pointInTime) always rolls back the original account", "remove target, or restore from a vaulted recovery point (recoveryPoint) to restore into another account", "key"),
    );
  }
  return out;
}

function duplicateEntries(path: FieldPath, values: string[], what: string): FieldProblem[] {
  const seen = new Map<string, number>();
  const out: FieldProblem[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) out.push({ ...err([...path, index], "SpecDuplicateItem", `${what} '${value}' is listed twice (also at [${seen.get(value)}])`, `remove the second '${value}'`), severity: "warning" });
    else seen.set(value, index);
  });
  return out;
}

/** Ranges are `[from, to)`; a container `c` is the range `[c, c-0)`, as `az dataprotection` maps it. */
function rangeRules(containers: string[], ranges: unknown[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  const spans: Array<{ from: string; to: string; path: FieldPath; label: string }> = [];
  containers.forEach((c, i) => spans.push({ from: c, to: `${c}-0`, path: ["spec", "items", "containers", i], label: `container '${c}'` }));
  ranges.forEach((range, i) => {
    if (!isObj(range) || typeof range.from !== "string" || typeof range.to !== "string") return;
    const path: FieldPath = ["spec", "items", "ranges", i];
    if (range.from >= range.to) {
      out.push(
        err([...path, "to"], "SpecRangeReversed", `the range ends ('${range.to}') at or before it starts ('${range.from}'); 'to' is exclusive`, "make 'to' sort after 'from' (swap them if they are reversed)"),
      );
      return;
    }
    spans.push({ from: range.from, to: range.to, path, label: `range ${range.from}..${range.to}` });
  });
  const sorted = [...spans].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (current.from < previous.to) {
      out.push(err(current.path, "SpecRangesOverlap", `${current.label} overlaps ${previous.label}`, "merge the two or make them disjoint (Azure rejects overlapping ranges)"));
    }
  }
  return out;
}

function postgresRules(spec: Obj, options: RuleOptions): FieldProblem[] {
  const out = timeRules(spec, options);
  const store = spec.sourceDataStore ?? "VaultStore";
  if (store === "ArchiveStore" && spec.rehydration === undefined) {
    out.push(
      err(["spec", "sourceDataStore"], "SpecRehydrationMissing", "a restore from ArchiveStore rehydrates the recovery point first and needs rehydration settings", "add rehydration: { priority: Standard, retention: P15D }"),
    );
  }
  if (store !== "ArchiveStore" && spec.rehydration !== undefined) {
    out.push(err(["spec", "rehydration"], "SpecRehydrationWithoutArchive", "rehydration applies only to restores from ArchiveStore", "remove rehydration, or set sourceDataStore: ArchiveStore", "key"));
  }
  if (isObj(spec.rehydration) && typeof spec.rehydration.retention === "string") {
    const days = durationDays(spec.rehydration.retention);
    if (days !== undefined && (days < REHYDRATION_MIN_DAYS || days > REHYDRATION_MAX_DAYS || !Number.isInteger(days))) {
      out.push(
        err(
          ["spec", "rehydration", "retention"],
          "SpecRehydrationRetention",
          `retention is ${Number.isInteger(days) ? `${days} days` : spec.rehydration.retention}; Azure keeps a rehydrated recovery point ${REHYDRATION_MIN_DAYS} to ${REHYDRATION_MAX_DAYS} days`,
          `use a whole number of days from P${REHYDRATION_MIN_DAYS}D to P${REHYDRATION_MAX_DAYS}D`,
        ),
      );
    }
  }
  if (spec.target === undefined) {
    // the schema reports the missing field; this says why it is required
  } else if (isObj(spec.target)) {
    const hasDb = spec.target.database !== undefined;
    const hasFiles = spec.target.files !== undefined;
    if (!hasDb && !hasFiles) {
      out.push(
        err(["spec", "target"], "SpecOriginalLocationUnsupported", "PostgreSQL has no original-location restore: name a new database or a container for files", "add target.database { id, credentialsSecretUri } or target.files { containerUrl, filePrefix }", "key"),
      );
    } else if (hasDb && hasFiles) {
      out.push(err(["spec", "target"], "SpecTargetConflict", "give exactly one of target.database and target.files", "remove one of the two", "key"));
    }
    if (isObj(spec.target.database) && typeof spec.target.database.id === "string" && /\/flexibleServers\//i.test(spec.target.database.id)) {
      out.push(
        err(["spec", "target", "database", "id"], "SpecFlexibleServerDatabase", "Azure Backup restores Flexible Server backups as files, not into a database", "use target.files { containerUrl, filePrefix }"),
      );
    }
  }
  return out;
}

/** Paths of `secretStoreResource.value` anywhere in a request: a secret written into a spec. */
function secretValues(value: unknown, path: Array<string | number>): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretValues(v, [...path, i]));
  if (!isObj(value)) return [];
  const here = path[path.length - 1] === "secretStoreResource" && value.value !== undefined && value.value !== null ? [[...path, "value"]] : [];
  return [...here, ...Object.entries(value).flatMap(([k, v]) => secretValues(v, [...path, k]))];
}

function rawRules(spec: Obj): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const path of secretValues(spec.request, ["spec", "request"])) {
    out.push(err(path, "SpecSecretValue", "a spec must not hold a secret: it would be stored in git and in the stack", "remove value and name the secret by its Key Vault URL in secretStoreResource.uri", "key"));
  }
  if (isObj(spec.request) && spec.request.objectType === "ValidateRestoreRequestObject") {
    out.push(err(["spec", "request", "objectType"], "SpecRawValidateBody", "request is the restore body, not the validate body", "put the inner restoreRequestObject here; the tool wraps it for validateRestore"));
  }
  return out;
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
