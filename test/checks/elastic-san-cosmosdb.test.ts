import { describe, expect, it } from "vitest";
import { checkParsedSpecs, parseSpecText } from "../../checks";
import type { Problem } from "../../errors/problem";

const NOW = new Date("2026-11-21T00:00:00Z");
const SUB = "00000000-0000-0000-0000-000000000000";
const ESAN_BI = `/subscriptions/${SUB}/resourceGroups/esan-bugbash-CLIrg-1/providers/Microsoft.DataProtection/backupVaults/TestEsanVault/backupInstances/esanbugbashcli1-esanbugbashcli1-vg-18585689-9bd8-11f1-9859-70a8a5673395`;
const GROUP = `/subscriptions/${SUB}/resourceGroups/esan-bugbash-CLIrg-1/providers/Microsoft.ElasticSan/elasticSans/esanbugbashcli1/volumeGroups/esanbugbashcli1-vg`;
const COSMOS_BI = `/subscriptions/${SUB}/resourceGroups/cosmosbugbash-vijami-rg/providers/Microsoft.DataProtection/backupVaults/CosmosBackupVault/backupInstances/cosmosbugbash-vijami-src-cosmosbugbash-vijami-src-faec6818-0720-11ec-bd1b-c8f750f92764`;
const ACCOUNT = `/subscriptions/${SUB}/resourceGroups/cosmosbugbash-vijami-rg/providers/Microsoft.DocumentDB/databaseAccounts/cosmosbugbash-vijami-tgt`;

function check(kind: string, bi: string, spec: string): Problem[] {
  const text = `apiVersion: azure-restores/v1\nkind: ${kind}\nmetadata:\n  name: x\nspec:\n  backupInstance: ${bi}\n  recoveryPoint: latest\n${spec}`;
  const { parsed, problems } = parseSpecText("restores/x.yaml", text);
  if (!parsed) return problems;
  return checkParsedSpecs([parsed], { now: NOW }).problems.filter((p) => p.code !== "SpecNameMismatch");
}

const codes = (problems: Problem[]) => problems.map((p) => `${p.line}:${p.column} ${p.field ?? ""} ${p.code} ${p.severity}`);
const esan = (spec: string) => check("ElasticSanRestore", ESAN_BI, `  target: { volumeGroup: ${GROUP} }\n${spec}`);
const cosmos = (spec: string) => check("CosmosDBRestore", COSMOS_BI, spec);

describe("ElasticSanRestore rules, positioned", () => {
  it("the recorded restore's spec passes", () => {
    expect(esan("  volumes:\n    - { name: srcvol1, restoreAs: restoredvol1 }")).toEqual([]);
  });

  it("volumes and the target volume group are required", () => {
    expect(codes(check("ElasticSanRestore", ESAN_BI, ""))).toEqual(["5:1 spec SpecMissingField error", "5:1 spec SpecMissingField error"]);
  });

  it("two volumes restored under one name", () => {
    const problems = esan("  volumes:\n    - { name: vol1, restoreAs: restored }\n    - { name: vol2, restoreAs: restored }");
    expect(codes(problems)).toEqual(["11:32 spec.volumes[1].restoreAs SpecDuplicateRestoreName error", "10:5 spec.volumes SpecSeveralVolumes warning"]);
    expect(problems[0].message).toBe("volumes [0] and [1] are both restored as 'restored'");
  });

  it("a volume listed twice is a warning on the second", () => {
    expect(codes(esan("  volumes:\n    - { name: vol1 }\n    - { name: vol1 }"))).toContain("11:7 spec.volumes[1] SpecDuplicateItem warning");
  });

  it("volume names follow Elastic SAN's rules", () => {
    const problems = esan("  volumes:\n    - { name: Vol1, restoreAs: a--b }");
    expect(codes(problems)).toEqual(["10:15 spec.volumes[0].name SpecInvalidValue error", "10:32 spec.volumes[0].restoreAs SpecInvalidValue error"]);
    expect(problems[0].remedy).toBe("use 3-63 lowercase letters and digits, with single '-' or '_' between them");
  });

  it("the target must be the ARM ID of a volume group, and the CLI's field names say where they belong", () => {
    expect(codes(check("ElasticSanRestore", ESAN_BI, `  target: { volumeGroup: ${GROUP}/volumes/v1 }\n  volumes: [{ name: vol1 }]`))).toEqual(["8:26 spec.target.volumeGroup SpecInvalidValue error"]);
    const problems = esan("  volumes: [{ name: vol1 }]\n  resourceNameOverrides: { vol1: vol2 }");
    expect(codes(problems)).toEqual(["10:3 spec.resourceNameOverrides SpecUnknownField error"]);
    expect(problems[0].message).toContain("give each volume its new name with restoreAs");
  });

  it("sourceDataStore is not a field: the recovery points are operational", () => {
    expect(codes(esan("  volumes: [{ name: vol1 }]\n  sourceDataStore: VaultStore"))).toEqual(["10:3 spec.sourceDataStore SpecUnknownField error"]);
  });
});

describe("CosmosDBRestore rules, positioned", () => {
  it("the live test's spec passes", () => {
    expect(cosmos(`  target: { account: ${ACCOUNT} }`)).toEqual([]);
  });

  it("a target account is required: no original-location restore", () => {
    const problems = cosmos("");
    expect(codes(problems)).toEqual(["5:1 spec SpecMissingField error"]);
    expect(problems[0].message).toBe("missing required field 'target'");
  });

  it("the target must be the ARM ID of a Cosmos DB account", () => {
    const problems = cosmos(`  target: { account: ${ACCOUNT.replace("-tgt", "-TGT")} }`);
    expect(codes(problems)).toEqual(["8:22 spec.target.account SpecInvalidValue error"]);
    expect(problems[0].message).toContain("is not the ARM ID of a Cosmos DB account");
  });

  it("point in time and items belong to other restores", () => {
    const problems = cosmos(`  target: { account: ${ACCOUNT} }\n  pointInTime: 2026-01-01T00:00:00Z`);
    expect(codes(problems)).toEqual(["9:3 spec.pointInTime SpecUnknownField error"]);
    expect(problems[0].message).toContain("point-in-time restore is Cosmos DB's own continuous backup");
  });
});
