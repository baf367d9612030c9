import { describe, expect, it } from "vitest";
import { checkBody } from "../../api/schema";
import type { AzureBackupRecoveryPointResource } from "../../api/types";
import { API_VERSIONS, FIRST_VERSION_WITH, type ApiVersion } from "../../api/versions";
import { checkParsedSpec, parseSpecText } from "../../checks";
import { fieldPathText } from "../../errors/field";
import type { RestoreSpec } from "../../kinds";
import { planRestore } from "../../plan";
import { inDefinitionsSpelling, instanceFixture, quotedBody, recordedRecoveryPoints, recordedRequest } from "../helpers/recorded";
import { problemsOf, value } from "../helpers/result";

/** The shipped api-versions from `first` on: those whose definitions have what a scenario sends. */
const since = (first: ApiVersion): ApiVersion[] => API_VERSIONS.filter((v) => v >= first);

/**
 * Golden bodies of the kinds the CLI's live tests recorded: a spec rendered against the backup instance
 * of the recording must give the body `az dataprotection` sent (test/fixtures/recordings, quoted/), as
 * JSON, at every api-version whose definitions define what it needs, and pass those definitions
 * strictly; older versions refuse it, naming the version to use.
 */
const SUB = "00000000-0000-0000-0000-000000000000";
const bi = (rg: string, vault: string, name: string) => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.DataProtection/backupVaults/${vault}/backupInstances/${name}`;
const account = (rg: string, name: string) => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`;

function spec(yaml: string): RestoreSpec {
  const { parsed, problems } = parseSpecText("golden.yaml", yaml);
  expect(problems).toEqual([]);
  const checked = checkParsedSpec(parsed!, { now: new Date("2027-01-01T00:00:00Z") });
  expect(checked.problems.filter((p) => p.severity === "error")).toEqual([]);
  return checked.spec!;
}

interface Scenario {
  title: string;
  yaml: string;
  instance: string;
  recoveryPoints?: AzureBackupRecoveryPointResource[];
  /** The CLI's validateRestore body and restore body; either may be unrecorded. */
  validate?: unknown;
  restore?: unknown;
  /** The api-versions that define what the body needs. */
  versions: readonly ApiVersion[];
  /** What the other versions say: the field and the version they name. */
  refusal?: { field: string; names: string };
}

const DISK = "backup_instance_restore_disk";
const ILR = "backup_instance_ilr_restore_adls_recovery_point";

const scenarios: Scenario[] = [
  {
    title: "DiskRestore: the newest recovery point as a new disk (backup_instance_restore_disk)",
    instance: "clitest-disk-persistent-bi-donotdelete",
    recoveryPoints: recordedRecoveryPoints(DISK, 0),
    yaml: `apiVersion: azure-restores/v1
kind: DiskRestore
metadata: { name: disk }
spec:
  backupInstance: ${bi("clitest-dpp-rg", "clitest-bkp-vault-persistent-bi-donotdelete", "clitest-disk-persistent-bi-donotdelete-clitest-disk-persistent-bi-donotdelete-e33c80ba-0bf8-11ee-aaa6-002b670b472e")}
  recoveryPoint: latest
  target:
    disk: /subscriptions/${SUB}/resourceGroups/clitest-dpp-rg/providers/Microsoft.Compute/disks/clitest-disk-restored`,
    validate: recordedRequest(DISK, 3),
    restore: recordedRequest(DISK, 8),
    versions: API_VERSIONS,
  },
  {
    title: "MySQLFlexibleRestore: a recovery point as files (backup_and_restore_mysql)",
    instance: "clitest-mysql-server",
    yaml: `apiVersion: azure-restores/v1
kind: MySQLFlexibleRestore
metadata: { name: mysql }
spec:
  backupInstance: ${bi("clitest-dpp-ecy-rg", "clitest-bkp-vault-ecy-donotdelete", "clitest-mysql-server-faec6818-0720-11ec-bd1b-c8f750f92764")}
  recoveryPoint: f1d8ae063e0c4716b7ee50938c4128e7
  target:
    files:
      containerUrl: https://clitestecysa.blob.core.windows.net/clitestmysqlblob
      filePrefix: targetmysql`,
    restore: recordedRequest("backup_and_restore_mysql", 0),
    versions: API_VERSIONS,
  },
  {
    title: "PostgreSQLFlexibleRestore: as files into a container named by its ARM ID (pg-flexible.md)",
    instance: "clitest-pgflex-server",
    yaml: `apiVersion: azure-restores/v1
kind: PostgreSQLFlexibleRestore
metadata: { name: pgflex }
spec:
  backupInstance: ${bi("clitest-dpp-ecy-rg", "clitest-bkp-vault-ecy-donotdelete", "clitest-pgflex-server-faec6818-0720-11ec-bd1b-c8f750f92764")}
  recoveryPoint: 1f2e3d4c5b6a79880716253443526170
  restoreLocation: westus
  target:
    files:
      containerUrl: https://tgtsa.blob.core.windows.net/restores
      filePrefix: dump1
      containerId: ${account("tgtrg", "tgtsa")}/blobServices/default/containers/restores`,
    restore: quotedBody("pgflex-restore-as-files"),
    versions: since(FIRST_VERSION_WITH.targetResourceArmId),
    refusal: { field: "spec.target.files.containerId", names: FIRST_VERSION_WITH.targetResourceArmId },
  },
  {
    title: "DataLakeRestore: containers renamed, one by prefix (backup_instance_ilr_restore_adls_recovery_point)",
    instance: "adlsblobsourcesa",
    recoveryPoints: recordedRecoveryPoints(ILR, 0),
    yaml: `apiVersion: azure-restores/v1
kind: DataLakeRestore
metadata: { name: adls-ilr }
spec:
  backupInstance: ${bi("dataprotectionpstest-rg", "dataprotectionpstest-bv", "adlsblobsourcesa-adlsblobsourcesa-14964441-c754-42b8-81f7-f4c552d836d6")}
  recoveryPoint: latest
  restoreLocation: eastus
  target:
    storageAccount: ${account("dataprotectionpstest-rg", "adlsblobtargetsa")}
  items:
    containers:
      - { name: con4, renameTo: renamedcon1 }
      - { name: con5, prefixes: [b], renameTo: renamedcon2 }`,
    validate: recordedRequest(ILR, 4),
    restore: recordedRequest(ILR, 10),
    versions: since(FIRST_VERSION_WITH.containerRename),
    refusal: { field: "spec.items.containers[0].renameTo", names: FIRST_VERSION_WITH.containerRename },
  },
  {
    title: "DataLakeRestore: one container into another account (backup_instance_restore_adls_recovery_point)",
    instance: "sourceadlsclisa2",
    recoveryPoints: recordedRecoveryPoints("backup_instance_restore_adls_recovery_point", 0),
    yaml: `apiVersion: azure-restores/v1
kind: DataLakeRestore
metadata: { name: adls }
spec:
  backupInstance: ${bi("dataprotectionclitest-rg", "clitest-bkp-vault", "sourceadlsclisa2-sourceadlsclisa2-d5a197d4-35ac-4f4f-8d2b-0a9c0e61b195")}
  recoveryPoint: latest
  restoreLocation: eastus
  target:
    storageAccount: ${account("dataprotectionclitest-rg", "targetadlsclitestsa3")}
  items:
    containers: [con1]`,
    validate: quotedBody("adls-restore-validate"),
    versions: since(FIRST_VERSION_WITH.itemPathCriteria),
    refusal: { field: "spec.items", names: FIRST_VERSION_WITH.itemPathCriteria },
  },
  {
    title: "BlobRestore: a vaulted container into another account (backup_instance_restore_blob_recovery_point)",
    instance: "clitestsavltdonotdelete",
    recoveryPoints: recordedRecoveryPoints("backup_instance_restore_blob_recovery_point", 0),
    yaml: `apiVersion: azure-restores/v1
kind: BlobRestore
metadata: { name: blob-vaulted }
spec:
  backupInstance: ${bi("clitest-dpp-rg", "clitest-bkp-vault-persistent-bi-donotdelete", "clitestsavltdonotdelete-clitestsavltdonotdelete-65176b0a-64ad-4247-9866-19204633c0d5")}
  recoveryPoint: latest
  target:
    storageAccount: ${account("clitest-dpp-rg", "clitestvsdonotdelete")}
  items:
    containers: [container1]`,
    restore: recordedRequest("backup_instance_restore_blob_recovery_point", 3),
    versions: since(FIRST_VERSION_WITH.itemPathCriteria),
    refusal: { field: "spec.items", names: FIRST_VERSION_WITH.itemPathCriteria },
  },
];

describe("golden: the kinds' bodies equal what az dataprotection sent", () => {
  for (const s of scenarios) {
    describe(s.title, () => {
      const facts = { instance: instanceFixture(s.instance), recoveryPoints: s.recoveryPoints };
      for (const version of s.versions) {
        it(`at ${version}: the CLI's bodies, strictly valid`, () => {
          const plan = value(planRestore(spec(s.yaml), facts, { apiVersion: version }));
          if (s.validate) expect(plan.validateRequest).toEqual(inDefinitionsSpelling(s.validate));
          if (s.restore) expect(plan.restoreRequest).toEqual(inDefinitionsSpelling(s.restore));
          expect(plan.restoreRequest).toEqual(plan.validateRequest.restoreRequestObject);
          expect(checkBody(version, "ValidateRestoreRequestObject", plan.validateRequest, { strict: true })).toEqual([]);
          expect(checkBody(version, "AzureBackupRestoreRequest", plan.restoreRequest, { strict: true })).toEqual([]);
        });
      }
      for (const version of API_VERSIONS.filter((v) => !s.versions.includes(v))) {
        it(`at ${version}: refused, naming ${s.refusal?.names}`, () => {
          const problems = problemsOf(planRestore(spec(s.yaml), facts, { apiVersion: version }));
          expect(problems.map((p) => `${fieldPathText(p.path)} ${p.code}`)).toEqual([`${s.refusal!.field} PlanApiVersionTooOld`]);
          expect(problems[0].message).toContain(`${s.refusal!.names} or later (this run uses ${version})`);
          expect(problems[0].remedy).toContain(s.refusal!.names);
        });
      }
    });
  }
});

describe("the recorded bodies differ from the definitions only in the spelling of resourceID", () => {
  const recorded: Array<[string, unknown, ApiVersion]> = [
    [`${DISK} #3`, recordedRequest(DISK, 3), "2024-04-01"],
    [`${ILR} #4`, recordedRequest(ILR, 4), "2026-06-01"],
  ];
  for (const [name, body, version] of recorded) {
    it(name, () => {
      const paths = checkBody(version, "ValidateRestoreRequestObject", body, { strict: true }).map((p) => p.path);
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect(p).toMatch(/\.(datasourceInfo|datasourceSetInfo)\.resource(Id|ID)$/);
      expect(checkBody(version, "ValidateRestoreRequestObject", inDefinitionsSpelling(body), { strict: true })).toEqual([]);
    });
  }
});
