import type { DatasourceSet, GenericRestoreDatasourceCriteria, ItemLevelRestoreTargetInfo } from "../api/types";
import { ROLES } from "../api/roles";
import { need, snapshotResourceGroup } from "./access";
import { supportsGenericRestoreCriteria, versionsNamed } from "../api/versions";
import { fieldError, type FieldProblem } from "../errors/field";
import { failed, ok } from "../errors/result";
import { duplicateEntries, isObj, type Obj } from "../language/common-rules";
import type { CommonSpec, RecoveryPointRef, SpecEnvelope } from "../language/model";
import * as P from "../language/patterns";
import { resolveRecoveryPoint } from "../language/recovery-point";
import { armId, patterned, recoveryPoint, specSchema, type Schema } from "../language/schema-parts";
import type { RestoreKind } from "./kind";
import { datasourceFor, lastSegment, parentId, RECOVERY_OPTION, restoreLocation, sourceDatasource } from "./parts";

/**
 * Azure Elastic SAN volume groups (`Microsoft.ElasticSan/elasticSans/volumeGroups`, preview): volumes of
 * an operational-tier recovery point restored as new volumes into a volume group (alternate location
 * only). Bodies as `az dataprotection backup-instance initialize-restoreconfig --datasource-type
 * AzureElasticSAN` and `restore initialize-for-data-recovery` build them (azure-cli-extensions
 * manual/custom.py@52e482dc; the test tests/latest/test_dataprotection_esan.py@4bf1a97e): one
 * GenericRestoreDatasourceCriteria with ResourceListSelectionCriteria, the datasource set the parent
 * Elastic SAN. Checked field by field against the CLI's recorded restore
 * (test/fixtures/recordings/backup_and_restore_esan.json, api-version 2026-06-01). The criteria are
 * defined from 2026-06-01 on. Name rules: Azure Verified Modules (avm/res/elastic-san); one volume per
 * restore: Az.DataProtection's New-AzDataProtectionRestoreConfigurationClientObject.
 */
export interface ElasticSanVolume {
  /** The backed-up volume's name. */
  name: string;
  /** The new volume's name; absent = the service's default naming. */
  restoreAs?: string;
}

export interface ElasticSanRestoreSpec extends CommonSpec {
  recoveryPoint: RecoveryPointRef;
  target: { volumeGroup: string };
  volumes: ElasticSanVolume[];
}

export type ElasticSanRestore = SpecEnvelope<"ElasticSanRestore", ElasticSanRestoreSpec>;

const volumeName = (description: string): Schema =>
  patterned(description, P.ELASTIC_SAN_VOLUME_NAME, "is not an Elastic SAN volume name", "use 3-63 lowercase letters and digits, with single '-' or '_' between them");

const schema = (): Schema =>
  specSchema(["recoveryPoint", "target", "volumes"], {
    recoveryPoint,
    target: {
      type: "object",
      description: "The volume group the volumes are restored into, as new volumes.",
      additionalProperties: false,
      required: ["volumeGroup"],
      properties: {
        volumeGroup: armId(
          "ARM ID of the target volume group (the original or another one).",
          P.ELASTIC_SAN_VOLUME_GROUP_ID,
          "an Elastic SAN volume group",
          "/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ElasticSan/elasticSans/<san>/volumeGroups/<group>",
        ),
      },
    },
    volumes: {
      type: "array",
      description: "The backed-up volumes to restore, each optionally under a new name.",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: {
          name: volumeName("Name of the backed-up volume."),
          restoreAs: volumeName("Name of the new volume; absent = the service's default naming."),
        },
      },
    },
  });

function rules(spec: Obj): FieldProblem[] {
  const volumes = Array.isArray(spec.volumes) ? spec.volumes.filter(isObj) : [];
  const names = volumes.map((v) => (typeof v.name === "string" ? v.name : ""));
  const out = duplicateEntries(["spec", "volumes"], names, "volume");
  const newNames = new Map<string, number>();
  volumes.forEach((v, i) => {
    if (typeof v.restoreAs !== "string") return;
    const earlier = newNames.get(v.restoreAs);
    if (earlier !== undefined) {
      out.push(fieldError(["spec", "volumes", i, "restoreAs"], "SpecDuplicateRestoreName", `volumes [${earlier}] and [${i}] are both restored as '${v.restoreAs}'`, "give each restored volume a name of its own"));
    }
    newNames.set(v.restoreAs, i);
  });
  if (volumes.length > 1) {
    out.push({
      ...fieldError(["spec", "volumes"], "SpecSeveralVolumes", `${volumes.length} volumes in one restore; Az.DataProtection documents that the service restores exactly one volume per request`, "restore each volume with a spec of its own"),
      severity: "warning",
    });
  }
  return out;
}

/** The versions whose definitions have the generic criteria: 2026-06-01 only (not the preview 2026-08-31-preview). */
const VERSIONS = versionsNamed(supportsGenericRestoreCriteria);

export const elasticSanKind: RestoreKind<ElasticSanRestore> = {
  name: "ElasticSanRestore",
  title: "Azure Elastic SAN",
  datasourceTypes: ["Microsoft.ElasticSan/elasticSans/volumeGroups"],
  misplacedFields: {
    pointInTime: "Elastic SAN restores from a recovery point: use recoveryPoint",
    sourceDataStore: "Elastic SAN recovery points are in OperationalStore: remove sourceDataStore",
    items: "list the volumes to restore under volumes: [{ name, restoreAs? }]",
    resourceIdentifiers: "list the volumes under volumes: [{ name }]",
    resourceNameOverrides: "give each volume its new name with restoreAs",
  },
  specSchema: schema,
  rules,

  recoveryPoint(spec) {
    return { ref: spec.spec.recoveryPoint, dataStore: "OperationalStore" };
  },

  plan(spec, facts, context) {
    if (!supportsGenericRestoreCriteria(context.apiVersion)) {
      return failed(
        fieldError(["kind"], "PlanApiVersionTooOld", `Elastic SAN restores need api-version ${VERSIONS}: ${context.apiVersion} defines no GenericRestoreDatasourceCriteria`, `set the api-version to ${VERSIONS}`),
      );
    }
    const s = spec.spec;
    const ds = sourceDatasource(facts);
    const location = restoreLocation(s, ds);
    const point = resolveRecoveryPoint(s.recoveryPoint, "OperationalStore", facts.recoveryPoints);
    if (!point.ok) return point;
    const groupId = s.target.volumeGroup;
    const sanId = parentId(groupId);
    // The CLI's datasource set of a proxy resource: the parent, with no URI.
    const datasourceSetInfo: DatasourceSet = {
      datasourceType: ds.datasourceType,
      objectType: "DatasourceSet",
      resourceID: sanId,
      resourceLocation: location,
      resourceName: lastSegment(sanId),
      resourceType: (ds.resourceType ?? "").split("/").slice(0, -1).join("/"),
      resourceUri: "",
    };
    const overrides = s.volumes.filter((v) => v.restoreAs !== undefined).map((v) => [v.name, v.restoreAs!]);
    const criteria: GenericRestoreDatasourceCriteria = {
      objectType: "GenericRestoreDatasourceCriteria",
      resourceSelectors: {
        objectType: "ResourceListSelectionCriteria",
        resourceIdentifiers: s.volumes.map((v) => v.name),
        ...(overrides.length > 0 ? { resourceNameOverrides: Object.fromEntries(overrides) } : {}),
      },
    };
    const restoreTargetInfo: ItemLevelRestoreTargetInfo = {
      objectType: "ItemLevelRestoreTargetInfo",
      recoveryOption: RECOVERY_OPTION,
      restoreLocation: location,
      datasourceInfo: datasourceFor(ds, groupId, location),
      datasourceSetInfo,
      restoreCriteria: [criteria],
    };
    return ok({
      request: { objectType: "AzureBackupRecoveryPointBasedRestoreRequest", recoveryPointId: point.value.id, sourceDataStoreType: "OperationalStore", restoreTargetInfo },
      source: { dataStore: "OperationalStore", recoveryPointId: point.value.id, ...(point.value.time ? { recoveryPointTime: point.value.time } : {}) },
      target: { kind: "other", id: groupId, lockKey: `volumeGroup:${groupId.toLowerCase()}` },
    });
  },

  policyTargets(spec) {
    return { targets: [{ id: spec.spec.target.volumeGroup, path: ["spec", "target", "volumeGroup"] }] };
  },

  // Azure Backup's Elastic SAN backup documentation (restore permissions): Elastic SAN Volume Importer for the vault's
  // identity (on the target volume group, as Az.DataProtection assigns it) and Reader on the snapshot resource group.
  access(_spec, plan, facts) {
    const snapshots = snapshotResourceGroup(facts);
    const source = "Azure Backup Elastic SAN documentation (restore permissions); Az.DataProtection manifest AzureElasticSAN";
    return {
      needs: [need(ROLES.elasticSanVolumeImporter, plan.target.id, "the target volume group", source), ...(snapshots ? [need(ROLES.reader, snapshots, "the snapshot resource group", source)] : [])],
      unchecked: snapshots ? [] : ["the snapshot resource group (the backup instance names none)"],
    };
  },

  destination(spec) {
    return spec.spec.target;
  },
};
