import type { DatasourceSet, ItemLevelRestoreTargetInfo } from "../api/types";
import { kubernetesAccess } from "./kubernetes-access";
import { earliestVersion, supportsKubernetesRestoreCriteria, supportsKubernetesVaultTierCriteria } from "../api/versions";
import { fieldError, type FieldPath, type FieldProblem } from "../errors/field";
import { failed, ok } from "../errors/result";
import { duplicateEntries, isObj, strings, type Obj } from "../language/common-rules";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import * as P from "../language/patterns";
import { resolveRecoveryPoint } from "../language/recovery-point";
import { armId, patterned, recoveryPoint, specSchema, type Schema } from "../language/schema-parts";
import type { RestoreKind } from "./kind";
import { kubernetesCriteria, type KubernetesRestoreSelection } from "./kubernetes-criteria";
import { datasourceFor, RECOVERY_OPTION, restoreLocation, sourceDatasource } from "./parts";

/**
 * Azure Kubernetes Service (`Microsoft.ContainerService/managedClusters`): a recovery point of a cluster
 * restored into the original or another cluster, with a selection of what comes back. Bodies as `az
 * dataprotection backup-instance restore initialize-for-data-recovery` builds them for AKS
 * (azure-cli-extensions manual/custom.py@52e482dc, helpers.py@8722b2f2: ItemLevelRestoreTargetInfo, the
 * restore configuration as its one criterion, the datasource set a copy of the datasource), checked field
 * by field against the CLI's recorded restore (test/fixtures/recordings/backup_and_restore_aks.json).
 * Rules from the CLI (both staging IDs or neither), the definitions of 2024-04-01 and 2026-06-01, the AKS
 * restore article (azure-docs azure-kubernetes-service-cluster-restore.md@03e5750a) and Kubernetes'
 * naming and label selector syntax.
 */
export interface KubernetesRestoreSpec extends CommonSpec, KubernetesRestoreSelection {
  recoveryPoint: RecoveryPointRef;
  target?: { cluster: string };
}

export type KubernetesRestore = SpecEnvelope<"KubernetesRestore", KubernetesRestoreSpec>;

const namespace = (description: string): Schema =>
  patterned(description, P.K8S_NAMESPACE, "is not a Kubernetes namespace name", "use 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit");

const namespaces = (description: string): Schema => ({ type: "array", description, minItems: 1, items: namespace("Namespace name.") });

const selection = (description: string, what: string): Schema => ({
  type: "object",
  description,
  additionalProperties: false,
  properties: {
    namespaces: namespaces(`Namespaces to ${what}.`),
    resourceTypes: { type: "array", description: `Resource types to ${what}.`, minItems: 1, items: { type: "string", minLength: 1 } },
  },
});

const schema = (): Schema =>
  specSchema(["recoveryPoint"], {
    recoveryPoint,
    sourceDataStore: {
      type: "string",
      enum: ["OperationalStore", "VaultStore"],
      default: "OperationalStore",
      description: "Where the recovery point is read from: OperationalStore (snapshots) or VaultStore (needs staging).",
      "x-fix": "use OperationalStore or VaultStore",
    },
    target: {
      type: "object",
      description: "The cluster to restore into; absent = the cluster that was backed up.",
      additionalProperties: false,
      required: ["cluster"],
      properties: {
        cluster: armId("ARM ID of the target AKS cluster (the original or another one).", P.AKS_CLUSTER_ID, "an AKS cluster", "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>"),
      },
    },
    include: selection("Restore only these namespaces and resource types; absent = everything backed up.", "restore"),
    exclude: selection("Leave these namespaces and resource types out.", "leave out"),
    labelSelectors: {
      type: "array",
      description: "Restore only resources with these labels (Kubernetes label selectors, e.g. app=web).",
      minItems: 1,
      items: patterned("A label selector.", P.K8S_LABEL_SELECTOR, "is not a Kubernetes label selector", "write key=value, key!=value, key in (a,b), key notin (a,b), key or !key, several joined by commas"),
    },
    clusterScopedResources: { type: "boolean", default: true, description: "Restore cluster-scoped resources (true by default).", "x-fix": "write true or false" },
    namespaceMappings: {
      type: "object",
      description: "Restore a namespace under another name: `source: target`. A target that does not exist is created.",
      additionalProperties: namespace("Namespace the source namespace is restored as."),
    },
    conflictPolicy: { type: "string", enum: ["Skip", "Patch"], default: "Skip", description: "What to do with a resource that already exists: Skip it (default), or Patch it.", "x-fix": "use Skip or Patch" },
    persistentVolumes: {
      type: "string",
      enum: ["WithData", "WithoutData"],
      default: "WithData",
      description: "Restore persistent volumes with their data (default), or without.",
      "x-fix": "use WithData or WithoutData",
    },
    restoreHooks: {
      type: "array",
      description: "Restore hooks to run, by the name and namespace of their RestoreHook resource.",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "namespace"],
        properties: {
          name: patterned("Name of the RestoreHook.", P.K8S_OBJECT_NAME, "is not a Kubernetes object name", "use lowercase letters, digits, '-' and '.', up to 253 characters"),
          namespace: namespace("Namespace of the RestoreHook."),
        },
      },
    },
    staging: {
      type: "object",
      description: "VaultStore only: where the restore stages its data (required there).",
      additionalProperties: false,
      required: ["resourceGroup", "storageAccount"],
      properties: {
        resourceGroup: armId("ARM ID of the resource group for staging disks and snapshots.", P.RESOURCE_GROUP_ID, "a resource group", "/subscriptions/<guid>/resourceGroups/<rg>"),
        storageAccount: armId("ARM ID of the staging storage account.", P.STORAGE_ACCOUNT_ID, "a storage account", "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<name>"),
      },
    },
  });

const NAMESPACE = new RegExp(P.K8S_NAMESPACE);

function selectionRules(spec: Obj): FieldProblem[] {
  const out: FieldProblem[] = [];
  const include = isObj(spec.include) ? spec.include : {};
  const exclude = isObj(spec.exclude) ? spec.exclude : {};
  for (const [field, value] of [["include", spec.include], ["exclude", spec.exclude]] as const) {
    if (isObj(value) && Object.keys(value).length === 0) {
      out.push(fieldError(["spec", field], "SpecEmptySelection", `${field} is empty`, `list namespaces or resourceTypes, or remove ${field}`, "key"));
    }
  }
  for (const [list, word] of [["namespaces", "namespace"], ["resourceTypes", "resource type"]] as const) {
    const included = strings(include[list]);
    const excluded = strings(exclude[list]);
    out.push(...duplicateEntries(["spec", "include", list], included, word), ...duplicateEntries(["spec", "exclude", list], excluded, word));
    excluded.forEach((value, i) => {
      if (included.includes(value)) {
        out.push(fieldError(["spec", "exclude", list, i], list === "namespaces" ? "SpecNamespaceIncludedAndExcluded" : "SpecResourceTypeIncludedAndExcluded", `${word} '${value}' is both included and excluded`, `keep '${value}' in include or in exclude, not both`));
      }
    });
  }
  out.push(...duplicateEntries(["spec", "labelSelectors"], strings(spec.labelSelectors), "label selector"));
  const hooks = Array.isArray(spec.restoreHooks) ? spec.restoreHooks.map((h) => (isObj(h) ? `${String(h.namespace)}/${String(h.name)}` : "")) : [];
  out.push(...duplicateEntries(["spec", "restoreHooks"], hooks, "restore hook"));
  return out;
}

function mappingRules(spec: Obj): FieldProblem[] {
  if (!isObj(spec.namespaceMappings)) return [];
  const out: FieldProblem[] = [];
  const included = isObj(spec.include) && Array.isArray(spec.include.namespaces) ? strings(spec.include.namespaces) : undefined;
  const excluded = isObj(spec.exclude) ? strings(spec.exclude.namespaces) : [];
  const targets = new Map<string, string>();
  for (const [source, target] of Object.entries(spec.namespaceMappings)) {
    const at: FieldPath = ["spec", "namespaceMappings", source];
    if (!NAMESPACE.test(source)) {
      out.push(fieldError(at, "SpecInvalidValue", `'${source}' is not a Kubernetes namespace name`, "use 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit", "key"));
    } else if (excluded.includes(source)) {
      out.push(fieldError(at, "SpecMappingFromExcludedNamespace", `namespace '${source}' is mapped but excluded: it is not restored`, `remove the mapping, or remove '${source}' from exclude.namespaces`, "key"));
    } else if (included && !included.includes(source)) {
      out.push(fieldError(at, "SpecMappingFromUnrestoredNamespace", `namespace '${source}' is mapped but not in include.namespaces: it is not restored`, `add '${source}' to include.namespaces, or remove the mapping`, "key"));
    }
    if (typeof target !== "string") continue;
    if (excluded.includes(target)) {
      out.push(fieldError(at, "SpecMappingToExcludedNamespace", `namespace '${source}' is restored as '${target}', which exclude.namespaces leaves out`, `map '${source}' to another namespace, or remove '${target}' from exclude.namespaces`));
    } else if (target === source) {
      out.push({ ...fieldError(at, "SpecMappingToSelf", `namespace '${source}' is mapped to itself`, "remove the mapping"), severity: "warning" });
    } else if (targets.has(target) || included?.includes(target)) {
      const other = targets.get(target) ?? target;
      out.push({
        ...fieldError(at, "SpecMappingMergesNamespaces", `'${source}' and '${other}' are both restored into namespace '${target}'`, "map each namespace to a namespace of its own; resources with the same name would collide"),
        severity: "warning",
      });
    }
    targets.set(target, source);
  }
  return out;
}

function rules(spec: Obj): FieldProblem[] {
  const out = [...selectionRules(spec), ...mappingRules(spec)];
  const vault = spec.sourceDataStore === "VaultStore";
  if (vault && spec.staging === undefined) {
    out.push(fieldError(["spec", "sourceDataStore"], "SpecStagingMissing", "a restore from VaultStore stages its data in a resource group and a storage account", "add staging: { resourceGroup: <resource group ID>, storageAccount: <storage account ID> }"));
  }
  if (!vault && spec.staging !== undefined) {
    out.push(fieldError(["spec", "staging"], "SpecStagingNeedsVaultStore", "staging applies only to restores from VaultStore; an OperationalStore restore reads snapshots in place", "remove staging, or set sourceDataStore: VaultStore", "key"));
  }
  return out;
}

const MIN_VERSION = earliestVersion(supportsKubernetesRestoreCriteria);
const MIN_VAULT_TIER_VERSION = earliestVersion(supportsKubernetesVaultTierCriteria);

export const kubernetesKind: RestoreKind<KubernetesRestore> = {
  name: "KubernetesRestore",
  title: "Azure Kubernetes Service",
  datasourceTypes: ["Microsoft.ContainerService/managedClusters"],
  misplacedFields: {
    pointInTime: "AKS restores from a recovery point: use recoveryPoint",
    items: "select what comes back with include / exclude (namespaces, resourceTypes) and labelSelectors",
    namespaces: "put namespaces under include or exclude, e.g. include: { namespaces: [app1] }",
    includedNamespaces: "write include: { namespaces: [...] }",
    excludedNamespaces: "write exclude: { namespaces: [...] }",
    includeClusterScopeResources: "the field is clusterScopedResources",
    persistentVolumeRestoreMode: "the field is persistentVolumes: WithData | WithoutData",
    restoreHookReferences: "the field is restoreHooks: [{ name, namespace }]",
    rehydration: "rehydration is for PostgreSQL restores from ArchiveStore",
  },
  specSchema: schema,
  rules,

  recoveryPoint(spec) {
    return { ref: spec.spec.recoveryPoint, dataStore: spec.spec.sourceDataStore ?? "OperationalStore" };
  },

  plan(spec, facts, context) {
    if (!supportsKubernetesRestoreCriteria(context.apiVersion)) {
      return failed(
        fieldError(["kind"], "PlanApiVersionTooOld", `AKS restores need api-version ${MIN_VERSION} or later: ${context.apiVersion} defines no KubernetesClusterRestoreCriteria`, `set the api-version to ${MIN_VERSION} or later`),
      );
    }
    if (spec.spec.sourceDataStore === "VaultStore" && !supportsKubernetesVaultTierCriteria(context.apiVersion)) {
      return failed(
        fieldError(["spec", "sourceDataStore"], "PlanApiVersionTooOld", `AKS restores from VaultStore need api-version ${MIN_VAULT_TIER_VERSION} or later: ${context.apiVersion} defines no KubernetesClusterVaultTierRestoreCriteria`, `set the api-version to ${MIN_VAULT_TIER_VERSION} or later`),
      );
    }
    const s = spec.spec;
    const ds = sourceDatasource(facts);
    const location = restoreLocation(s, ds);
    const dataStore = s.sourceDataStore ?? "OperationalStore";
    const point = resolveRecoveryPoint(s.recoveryPoint, dataStore, facts.recoveryPoints);
    if (!point.ok) return point;
    const clusterId = s.target?.cluster ?? ds.resourceID;
    const datasourceInfo = datasourceFor(ds, clusterId, location);
    // For AKS the CLI sends the cluster itself as the datasource set.
    const datasourceSetInfo: DatasourceSet = { ...datasourceInfo, objectType: "DatasourceSet" };
    const restoreTargetInfo: ItemLevelRestoreTargetInfo = {
      objectType: "ItemLevelRestoreTargetInfo",
      recoveryOption: RECOVERY_OPTION,
      restoreLocation: location,
      datasourceInfo,
      datasourceSetInfo,
      restoreCriteria: [kubernetesCriteria(s)],
    };
    return ok({
      request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", recoveryPointId: point.value.id, sourceDataStoreType: dataStore, restoreTargetInfo },
      source: { dataStore, recoveryPointId: point.value.id, ...(point.value.time ? { recoveryPointTime: point.value.time } : {}) },
      target: { kind: "other", id: clusterId, lockKey: `managedCluster:${clusterId.toLowerCase()}` },
    });
  },

  policyTargets(spec) {
    const cluster = spec.spec.target?.cluster;
    const staging = spec.spec.staging;
    const targets = [
      ...(cluster ? [{ id: cluster, path: ["spec", "target", "cluster"] }] : []),
      ...(staging ? [{ id: staging.resourceGroup, path: ["spec", "staging", "resourceGroup"] }, { id: staging.storageAccount, path: ["spec", "staging", "storageAccount"] }] : []),
    ];
    if (cluster) return { targets };
    return { targets, original: { what: "the original cluster", instead: "restore into another cluster (target.cluster)" } };
  },

  access(spec, plan, facts) {
    return kubernetesAccess(plan, facts, spec.spec.sourceDataStore === "VaultStore");
  },

  destination(spec) {
    return spec.spec.target ?? "original";
  },
};
