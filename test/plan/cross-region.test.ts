import { describe, expect, it } from "vitest";
import { checkBody } from "../../api/schema";
import { API_VERSIONS, FIRST_VERSION_WITH } from "../../api/versions";
import { planRestore } from "../../plan";
import { checkedSpec, inDefinitionsSpelling, instanceFixture, recordedRecoveryPoints, recordedRequest } from "../helpers/recorded";
import { problemsOf, value } from "../helpers/result";
import { checkParsedSpec, parseSpecText } from "../../checks";

/**
 * Restores from the vault's secondary region (`spec.fromSecondaryRegion`) and under a user-assigned
 * identity (`spec.identity`), against the CLI's recorded cross-region restore (cross_region_restore:
 * a PostgreSQL instance in eastus2euap validated into a server in centraluseuap).
 */
const instance = instanceFixture("clitestcrr-ecy-postgres");
const recoveryPoints = recordedRecoveryPoints("cross_region_restore", 1);
const TARGET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/cli-dpp-bugbash-oss-rg/providers/Microsoft.DBforPostgreSQL/servers/cli-dpp-bugbash-server1";
const UAMI = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest-dpp-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/restore-identity";

function crr(extra = "", target = `${TARGET}/databases/postgres-restored`): ReturnType<typeof checkedSpec>["spec"] {
  return checkedSpec(`apiVersion: azure-restores/v1
kind: PostgreSQLRestore
metadata: { name: crr }
spec:
  backupInstance: ${instance.id}
  recoveryPoint: 67fd20be3eb94f6aa88505364c51d0e9
  fromSecondaryRegion: true
  target:
    database:
      id: ${target}
      credentialsSecretUri: https://cli-dpp-server1-kv.vault.azure.net/secrets/dpp-bugbash-server1-conn/b7c857c1d35643c08724bd4047394be1
${extra}`).spec;
}

const facts = { instance, recoveryPoints };

describe("a restore from the secondary region", () => {
  it("validates through the secondary region with exactly the body the CLI sent (cross_region_restore #4)", () => {
    const plan = value(planRestore(crr(), facts, { apiVersion: "2024-04-01" }));
    expect(plan.crossRegion).toMatchObject({ sourceRegion: "eastus2euap", targetRegion: "centraluseuap" });
    const [validate, trigger] = plan.calls;
    expect(validate.path).toBe("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest-dpp-rg/providers/Microsoft.DataProtection/locations/centraluseuap/validateCrossRegionRestore?api-version=2024-04-01");
    // The CLI's body, but for two spellings the service takes either way: the target database's
    // resourceUri (the REST API document sends its ID; the CLI ""), and the CLI's `value: null` beside the secret's URI.
    const recorded = inDefinitionsSpelling(recordedRequest("cross_region_restore", 4)) as { restoreRequestObject: { restoreTargetInfo: Record<string, Record<string, unknown>> } };
    const info = recorded.restoreRequestObject.restoreTargetInfo;
    info.datasourceInfo.resourceUri = `${TARGET}/databases/postgres-restored`;
    delete (info.datasourceAuthCredentials.secretStoreResource as Record<string, unknown>).value;
    expect(validate.body).toEqual(recorded);
    expect(trigger).toMatchObject({ operation: "crossRegionRestore", path: expect.stringContaining("/locations/centraluseuap/crossRegionRestore?api-version=2024-04-01") });
    expect((trigger.body as { objectType: string }).objectType).toBe("AzureBackupRecoveryPointBasedRestoreRequest");
    const { objectType: _objectType, ...defined } = validate.body as unknown as Record<string, unknown>;
    expect(checkBody("2024-04-01", "ValidateCrossRegionRestoreRequestObject", defined, { strict: true })).toEqual([]);
  });

  it("is refused at api-versions without the cross-region calls, naming the first that has them", () => {
    for (const version of API_VERSIONS.filter((v) => v >= FIRST_VERSION_WITH.datasourceAuthCredentials && v < FIRST_VERSION_WITH.crossRegionRestore)) {
      const problems = problemsOf(planRestore(crr(), facts, { apiVersion: version }));
      expect(problems.map((p) => p.code), version).toEqual(["PlanApiVersionTooOld"]);
      expect(problems[0].message).toContain(`${FIRST_VERSION_WITH.crossRegionRestore} or later`);
    }
  });

  it("says why the restore cannot run in a region before it looks for the recovery point (the facts ask no region then)", () => {
    const none = { instance, recoveryPoints: [] };
    expect(problemsOf(planRestore(crr(), none, { apiVersion: "2023-05-01" })).map((p) => p.code)).toEqual(["PlanApiVersionTooOld"]);
    expect(problemsOf(planRestore(crr("  restoreLocation: eastus2euap"), none)).map((p) => p.code)).toEqual(["PlanSecondaryIsPrimary"]);
  });

  it("a point the secondary region does not list is said to be not replicated there yet", () => {
    const [problem] = problemsOf(planRestore(crr(), { instance, recoveryPoints: [] }));
    expect(problem).toMatchObject({ code: "PlanRecoveryPointNotInSecondaryRegion", path: ["spec", "recoveryPoint"] });
    expect(problem.message).toBe("recovery point 67fd20be3eb94f6aa88505364c51d0e9 is not in the secondary region centraluseuap: a recovery point reaches it up to 12 hours after it is taken, so a recent one may be in the vault's region only");
  });

  it("refuses the vault's own region, a region without a pair unless named, and a target in another subscription", () => {
    expect(problemsOf(planRestore(crr("  restoreLocation: eastus2euap"), facts)).map((p) => p.code)).toEqual(["PlanSecondaryIsPrimary"]);
    const unpaired = structuredClone(instance);
    unpaired.properties!.dataSourceInfo.resourceLocation = "polandcentral";
    expect(problemsOf(planRestore(crr(), { instance: unpaired, recoveryPoints })).map((p) => p.code)).toEqual(["PlanNoSecondaryRegion"]);
    expect(value(planRestore(crr("  restoreLocation: germanywestcentral"), { instance: unpaired, recoveryPoints })).crossRegion?.targetRegion).toBe("germanywestcentral");
    const elsewhere = `${TARGET.replace("00000000-0000-0000-0000-000000000000", "11111111-1111-1111-1111-111111111111")}/databases/x`;
    expect(problemsOf(planRestore(crr("", elsewhere), facts)).map((p) => p.code)).toEqual(["PlanCrossRegionCrossSubscription"]);
  });

  it("is refused offline for kinds whose datasource has no cross-region restore, naming those that do", () => {
    const parsed = parseSpecText("restores/disk-crr.yaml", `apiVersion: azure-restores/v1
kind: DiskRestore
metadata: { name: disk-crr }
spec:
  backupInstance: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/vault1/backupInstances/d
  recoveryPoint: latest
  fromSecondaryRegion: true
  target: { disk: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/disks/d2 }
`);
    const problems = checkParsedSpec(parsed.parsed!).problems.filter((p) => p.severity === "error");
    expect(problems.map((p) => `${p.field} ${p.code}`)).toEqual(["spec.fromSecondaryRegion SpecCrossRegionNotSupported"]);
    expect(problems[0].message).toContain("PostgreSQL");
  });
});

describe("a restore under a user-assigned identity", () => {
  it("sends identityDetails with the identity, and the roles are needed by that identity", () => {
    const plan = value(planRestore(crr(`  identity: ${UAMI}`), facts, { apiVersion: "2024-04-01" }));
    expect(plan.restoreRequest.identityDetails).toEqual({ useSystemAssignedIdentity: false, userAssignedIdentityArmUrl: UAMI });
    expect(plan.access.needs.map((n) => n.identity)).toEqual([{ of: "vault", userAssigned: UAMI }]);
    expect(checkBody("2024-04-01", "AzureBackupRestoreRequest", plan.restoreRequest, { strict: true })).toEqual([]);
  });

  it("says system explicitly where the definitions let it, and refuses a user-assigned one where they do not", () => {
    expect(value(planRestore(crr("  identity: system"), facts, { apiVersion: "2024-04-01" })).restoreRequest.identityDetails).toEqual({ useSystemAssignedIdentity: true });
    const old = structuredClone(crr(`  identity: ${UAMI}`));
    old.spec.fromSecondaryRegion = undefined;
    const problems = problemsOf(planRestore(old, facts, { apiVersion: "2022-12-01" }));
    expect(problems.map((p) => `${p.path.join(".")} ${p.code}`)).toEqual(["spec.identity PlanApiVersionTooOld"]);
    expect(problems[0].message).toContain(`${FIRST_VERSION_WITH.identityDetails} or later`);
  });
});
