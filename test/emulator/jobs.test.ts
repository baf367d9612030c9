import * as fs from "fs";
import { definesProperty } from "../../emulator/shape";
import { expect, test } from "vitest";
import * as YAML from "yaml";
import type { AzureBackupJobResource, ResourceList } from "../../api/types";
import { API_VERSIONS } from "../../api/versions";
import { defaultWorldPath, type WorldFile } from "../../emulator/world";
import { BLOB_ACCOUNT, BLOB_BI, BLOB_BI_NAME, BV, call, expectDefinition, pollToEnd, useTestEmulator } from "./helpers";

/** Restore jobs: progress on the virtual clock, outcomes from the world, shapes per api-version. */

const body = (time = "2021-07-08T00:00:00Z") => ({
  objectType: "AzureBackupRecoveryTimeBasedRestoreRequest",
  sourceDataStoreType: "OperationalStore",
  recoveryPointTime: time,
  restoreTargetInfo: { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", datasourceInfo: { objectType: "Datasource", datasourceType: "Microsoft.Storage/storageAccounts/blobServices", resourceID: BLOB_ACCOUNT } },
});

const emu = useTestEmulator();

async function restore(version = "2021-01-01"): Promise<string> {
  const res = await call(emu, "POST", `${BLOB_BI}/restore?api-version=${version}`, { body: body() });
  expect(res.status).toBe(202);
  const done = await pollToEnd(emu, String(res.headers["azure-asyncoperation"]), 1);
  return done.body.properties?.jobId ?? "";
}

function withOutcome(outcome: NonNullable<NonNullable<WorldFile["vaults"]>[number]["backupInstances"]>[number]["restoreJob"]): WorldFile {
  const world = YAML.parse(fs.readFileSync(defaultWorldPath(), "utf8")) as WorldFile;
  const bi = world.vaults?.[0].backupInstances?.find((b) => b.name === BLOB_BI_NAME);
  if (bi) bi.restoreJob = outcome;
  return world;
}

test("a job is InProgress until its duration has passed; then Completed with endTime, duration and a new etag", async () => {
  const jobId = await restore();
  const url = `${jobId}?api-version=2021-01-01`;
  const running = (await call<AzureBackupJobResource>(emu, "GET", url)).body.properties!;
  expect(running.status).toBe("InProgress");
  expect(running.endTime).toBeUndefined();
  expect(running.extendedInfo?.subTasks?.[0].taskStatus).toBe("InProgress");
  emu.control.advance(60);
  const later = (await call<AzureBackupJobResource>(emu, "GET", url)).body.properties!;
  expect(later.status).toBe("InProgress");
  // As Azure answers a running job's GET (recording backup_instance_restore_disk): no elapsed time yet.
  expect(later.duration).toBe("PT0S");
  emu.control.advance(200);
  const done = (await call<AzureBackupJobResource>(emu, "GET", url)).body.properties!;
  expect(done.status).toBe("Completed");
  expect(done.duration).toBe("PT4M16.2830187S");
  expect(done.etag).not.toBe(running.etag);
  expect(done.extendedInfo?.subTasks?.[0].taskStatus).toBe("Completed");
});

test("the world can make jobs end Failed with its errorDetails", async () => {
  emu.control.loadWorld(withOutcome({ outcome: "Failed", error: { code: "LongRunningRestoreTrackingFailure", message: "Restore of blob ranges failed.", isRetryable: false, isUserError: true, recommendedAction: ["Retry"] } }));
  const jobId = await restore();
  emu.control.advance(600);
  const job = (await call<AzureBackupJobResource>(emu, "GET", `${jobId}?api-version=2021-01-01`)).body.properties!;
  expect(job.status).toBe("Failed");
  expect(job.errorDetails).toEqual([{ code: "LongRunningRestoreTrackingFailure", message: "Restore of blob ranges failed.", isRetryable: false, isUserError: true, recommendedAction: ["Retry"] }]);
});

test("CompletedWithWarnings: warningDetails where the api-version defines them", async () => {
  emu.control.loadWorld(withOutcome({ outcome: "CompletedWithWarnings", duration: "PT1M", warnings: ["2 blobs were skipped."] }));
  const jobId = await restore();
  emu.control.advance(120);
  for (const v of API_VERSIONS) {
    const job = await call<AzureBackupJobResource>(emu, "GET", `${jobId}?api-version=${v}`);
    expect(job.body.properties?.status).toBe("CompletedWithWarnings");
    const warnings = job.body.properties?.extendedInfo?.warningDetails;
    if (definesProperty(v, "JobExtendedInfo", "warningDetails")) expect(warnings?.[0].warning?.message).toBe("2 blobs were skipped.");
    else expect(warnings).toBeUndefined();
    expectDefinition(v, "AzureBackupJobResource", job.body);
  }
});

test("jobs carry what a client needs to find a restore again: the list names instance and time, the job its source and destination", async () => {
  await restore();
  const list = await call<ResourceList<AzureBackupJobResource>>(emu, "GET", `${BV}/backupJobs?api-version=2024-04-01`);
  expectDefinition("2024-04-01", "AzureBackupJobResourceList", list.body);
  const candidates = list.body.value?.filter((j) => j.properties?.operationCategory === "Restore" && j.properties.backupInstanceId?.toLowerCase() === BLOB_BI.toLowerCase()) ?? [];
  expect(candidates).toHaveLength(1);
  // As recorded (job_list_and_show), the list carries no extendedInfo, supportedActions [] and TimeSpan durations.
  expect(candidates[0].properties).toMatchObject({ extendedInfo: null, supportedActions: [], isUserTriggered: true });
  expect(candidates[0].properties?.duration).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{7}$/);
  const job = (await call<AzureBackupJobResource>(emu, "GET", `${candidates[0].id}?api-version=2024-04-01`)).body.properties!;
  expect(job.extendedInfo?.sourceRecoverPoint?.recoveryPointTime).toBe("2021-07-08T00:00:00Z");
  expect(job.extendedInfo?.recoveryDestination).toBe(BLOB_ACCOUNT);
  expect(job.supportedActions).toEqual([""]);
});
