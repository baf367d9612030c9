import { describe, expect, it } from "vitest";
import { loadDefinitions } from "../../api/definitions";
import { checkBody } from "../../api/schema";
import type { ItemLevelRestoreTargetInfo } from "../../api/types";
import { API_VERSIONS, supportsGenericRestoreCriteria } from "../../api/versions";
import { planRestore } from "../../plan";
import { checkedSpec, instanceFixture, recordedRestore } from "../helpers/recorded";
import { problemsOf, value } from "../helpers/result";

/**
 * ElasticSanRestore against the CLI's recorded Elastic SAN restore (cassette
 * test_dataprotection_backup_and_restore_esan.yaml@37e90e27, api-version 2026-06-01): volume srcvol1 restored as
 * restoredvol1 into the volume group that was backed up. The fixture instance is built from that request and
 * the recorded job (the cassette's part with the instance was not kept).
 */
const instance = instanceFixture("esanbugbashcli1-vg");
const recorded = recordedRestore("backup_and_restore_esan");
const GROUP = instance.properties!.dataSourceInfo.resourceID;
const OTHER_GROUP = GROUP.replace("esanbugbashcli1/volumeGroups/esanbugbashcli1-vg", "esan2/volumeGroups/restored-vg");

const esan = (volumes: string, group = GROUP) =>
  checkedSpec(`apiVersion: azure-restores/v1
kind: ElasticSanRestore
metadata: { name: esan }
spec:
  backupInstance: ${instance.id}
  recoveryPoint: 835cbc65aeaa43e69a944fd578f643cd
  target:
    volumeGroup: ${group}
  volumes:
${volumes}`).spec;

const recordedSpec = () => esan("    - { name: srcvol1, restoreAs: restoredvol1 }");

describe("ElasticSanRestore: the CLI's recorded restore", () => {
  const supported = API_VERSIONS.filter(supportsGenericRestoreCriteria);

  it("is expressible at 2026-06-01 only (not the preview 2026-08-31-preview): exactly the versions whose definitions have the generic criteria", () => {
    expect(supported).toEqual(["2026-06-01"]);
    for (const v of API_VERSIONS) {
      const defs = loadDefinitions(v).definitions;
      expect(supportsGenericRestoreCriteria(v), v).toBe("GenericRestoreDatasourceCriteria" in defs && "ResourceListSelectionCriteria" in defs);
    }
  });

  for (const version of supported) {
    it(`renders exactly the recorded body at ${version}, strictly valid there`, () => {
      const plan = value(planRestore(recordedSpec(), { instance }, { apiVersion: version }));
      expect(recorded.apiVersion).toBe("2026-06-01");
      expect(plan.restoreRequest).toEqual(recorded.requestBody);
      expect(checkBody(version, "ValidateRestoreRequestObject", plan.validateRequest, { strict: true })).toEqual([]);
      expect(plan.target).toEqual({ kind: "other", id: GROUP, lockKey: `volumeGroup:${GROUP.toLowerCase()}` });
    });
  }

  for (const version of API_VERSIONS.filter((v) => !supportsGenericRestoreCriteria(v))) {
    it(`is refused at ${version}, naming the version that defines it`, () => {
      const problems = problemsOf(planRestore(recordedSpec(), { instance }, { apiVersion: version }));
      expect(problems).toMatchObject([{ code: "PlanApiVersionTooOld", path: ["kind"] }]);
      expect(problems[0].message).toBe(`Elastic SAN restores need api-version 2026-06-01: ${version} defines no GenericRestoreDatasourceCriteria`);
      expect(problems[0].remedy).toBe("set the api-version to 2026-06-01");
    });
  }
});

describe("ElasticSanRestore: volumes and target", () => {
  const infoOf = (volumes: string, group?: string) => value(planRestore(esan(volumes, group), { instance }, { apiVersion: "2026-06-01" })).restoreRequest.restoreTargetInfo as ItemLevelRestoreTargetInfo;

  it("sends no name overrides when no volume is renamed (the service's default naming applies)", () => {
    expect(infoOf("    - { name: srcvol1 }").restoreCriteria).toEqual([
      { objectType: "GenericRestoreDatasourceCriteria", resourceSelectors: { objectType: "ResourceListSelectionCriteria", resourceIdentifiers: ["srcvol1"] } },
    ]);
  });

  it("overrides only the renamed volumes, names sent as written (the CLI would camel-case an underscore away)", () => {
    expect(infoOf("    - { name: data_vol1, restoreAs: data_vol1-r }\n    - { name: logs }").restoreCriteria).toEqual([
      {
        objectType: "GenericRestoreDatasourceCriteria",
        resourceSelectors: { objectType: "ResourceListSelectionCriteria", resourceIdentifiers: ["data_vol1", "logs"], resourceNameOverrides: { data_vol1: "data_vol1-r" } },
      },
    ]);
  });

  it("another volume group: the datasource is that group, the datasource set its Elastic SAN", () => {
    const info = infoOf("    - { name: srcvol1 }", OTHER_GROUP);
    expect(info.datasourceInfo).toMatchObject({ resourceID: OTHER_GROUP, resourceName: "restored-vg", resourceUri: OTHER_GROUP, resourceType: "Microsoft.ElasticSan/elasticSans/volumeGroups" });
    expect(info.datasourceSetInfo).toEqual({
      datasourceType: "Microsoft.ElasticSan/elasticSans/volumeGroups",
      objectType: "DatasourceSet",
      resourceID: OTHER_GROUP.replace("/volumeGroups/restored-vg", ""),
      resourceLocation: "eastus2euap",
      resourceName: "esan2",
      resourceType: "Microsoft.ElasticSan/elasticSans",
      resourceUri: "",
    });
  });
});
