import type { GenericRestoreDatasourceCriteria, ItemLevelRestoreCriteria } from "../../api/types";
import { sameArmId, sameName } from "../ids";
import { dpErrors } from "../service-errors";
import { parentResourceId, proxyResourceJobFields, resourceName, resourceOfType } from "./arm";
import { accessErrors, targetResource } from "./access-needs";
import type { DatasourceTarget, RestoreKind, RestoreTarget } from "./kind";

/**
 * Azure Elastic SAN volume groups (`Microsoft.ElasticSan/elasticSans/volumeGroups`, preview). A restore
 * creates the selected volumes of a recovery point as new volumes in a volume group (alternate location
 * only: azure-docs azure-elastic-san-backup-support-matrix.md @21268be8), as the CLI's recorded restore
 * does (backup_and_restore_esan #0: `srcvol1` as `restoredvol1` into the backed-up group). The world's
 * volume group (a `resources` entry) lists its volumes in `volumes`. Rules, none with a sourced code
 * (the sources give no Elastic SAN error code): the target group exists; a new name that exists in the
 * group, or that another restore is creating there, fails (`recoveryOption: FailIfExists`). A volume
 * restored without a name override gets the service's default name, which no source shows, so it is
 * not checked. Several volumes in one request are accepted: Az.DataProtection says the service takes
 * exactly one, but the definitions' own example (2026-06-01 TriggerRestoreWithGenericParameters.json)
 * sends three. Jobs as recorded (#3, #4): `progressEnabled: true`, the volume group as `recoveryDestination`.
 */

export interface VolumeGroupTarget {
  kind: "volumeGroup";
  id: string;
  /** The volumes the restore creates, where their names are known (those given by name overrides). */
  volumes: string[];
}

const VOLUME_GROUP_TYPE = "Microsoft.ElasticSan/elasticSans/volumeGroups";

function isVolumeGroup(target: RestoreTarget): target is VolumeGroupTarget {
  return target.kind === "volumeGroup";
}

/** The volumes a request selects, and the names it gives them. */
function selection(target: DatasourceTarget): { volumes: string[]; newNames: string[] } {
  const criteria = target.objectType === "ItemLevelRestoreTargetInfo" ? target.restoreCriteria : [];
  const selectors = criteria
    .filter((c: ItemLevelRestoreCriteria): c is GenericRestoreDatasourceCriteria => c.objectType === "GenericRestoreDatasourceCriteria")
    .map((c) => c.resourceSelectors);
  const volumes = selectors.flatMap((s) => s.resourceIdentifiers ?? []);
  const overrides = selectors.flatMap((s) => Object.entries(s.resourceNameOverrides ?? {}));
  const newNames = overrides.filter(([from]) => volumes.some((v) => sameName(v, from))).map(([, to]) => to);
  return { volumes, newNames };
}

function existingVolumes(properties: Record<string, unknown> | undefined): string[] {
  const volumes = properties?.volumes;
  return Array.isArray(volumes) ? volumes.filter((v): v is string => typeof v === "string") : [];
}

export const elasticSan: RestoreKind<VolumeGroupTarget> = {
  name: "elastic-san",
  datasourceTypes: ["microsoft.elasticsan/elasticsans/volumegroups"],

  targetOf(_instance, target) {
    const id = target.datasourceInfo.resourceID;
    return { target: { kind: "volumeGroup", id, volumes: selection(target).newNames }, recoveryDestination: id };
  },

  // Elastic SAN Volume Importer on the target volume group: volumes/write (the role's actions); no
  // source gives the refusal's code, so it is the generic one the service gives for a datasource.
  access(ctx) {
    const id = targetResource(ctx);
    return id ? [{ who: "vault", scope: id, permission: { action: "Microsoft.ElasticSan/elasticSans/volumeGroups/volumes/write" }, refusal: accessErrors.msiMissingPermissions }] : [];
  },

  rules({ world, target, restored }) {
    const groupId = target.datasourceInfo.resourceID;
    const group = resourceOfType(world, groupId, VOLUME_GROUP_TYPE);
    if (!group) return dpErrors.targetResourceNotFound("Elastic SAN volume group", groupId);
    const { newNames } = selection(target);
    const taken = [...existingVolumes(group.properties), ...restored().filter((t) => isVolumeGroup(t) && sameArmId(t.id, groupId)).flatMap((t) => (t as VolumeGroupTarget).volumes)];
    const clash = newNames.find((name) => taken.some((v) => sameName(v, name)));
    return clash !== undefined ? dpErrors.targetVolumeAlreadyExists(clash, resourceName(groupId)) : undefined;
  },

  // A volume group's datasource set is its Elastic SAN (the recorded restore's datasourceSetInfo).
  jobFields: (instance) => proxyResourceJobFields(instance, resourceName(parentResourceId(instance.dataSourceInfo.resourceID)), true),
};
