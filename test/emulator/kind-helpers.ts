import * as fs from "fs";
import { expect } from "vitest";
import * as YAML from "yaml";
import type { AzureBackupJob, AzureBackupJobResource, AzureBackupRestoreRequest, CloudError, OperationResource } from "../../api/types";
import type { RunningEmulator } from "../../emulator/server";
import { defaultWorldPath, type WorldFile } from "../../emulator/world";
import { BV, call, pollToEnd, SUB } from "./helpers";

/** What the tests of the disk, flexible server and Data Lake kinds share: the default world's names and a restore's round trip. */

export const V = "2026-06-01";
export const DISK_BI = `${BV}/backupInstances/appdisk01-appdisk01-ffff5f5f-aa0a-bb1b-cc2c-dddddd3d3d3d`;
export const PGFLEX_BI = `${BV}/backupInstances/pgflexorders-pgflexorders-cccc2c2c-dd3d-ee4e-ff5f-aaaaaa0a0a0a`;
export const MYSQL_BI = `${BV}/backupInstances/mysqlshop-mysqlshop-dddd3d3d-ee4e-ff5f-aa0a-bbbbbb1b1b1b`;
export const LAKE_BI = `${BV}/backupInstances/datalakeraw-datalakeraw-eeee4e4e-ff5f-aa0a-bb1b-cccccc2c2c2c`;
export const SOURCE_DISK = `/subscriptions/${SUB}/resourceGroups/apprg/providers/Microsoft.Compute/disks/appdisk01`;
export const diskId = (name: string, rg = "targetrg") => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/disks/${name}`;
export const accountId = (name: string, rg = "targetrg") => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Storage/storageAccounts/${name}`;

/** The default world, edited. */
export function editedWorld(edit: (world: WorldFile) => void): WorldFile {
  const world = YAML.parse(fs.readFileSync(defaultWorldPath(), "utf8")) as WorldFile;
  edit(world);
  return world;
}

/** validateRestore and restore of `request` both end Failed with `code`, and no job is made. */
export async function expectViolation(emu: RunningEmulator, instance: string, request: AzureBackupRestoreRequest, code: string): Promise<void> {
  for (const [route, body] of [
    ["validateRestore", { restoreRequestObject: request }],
    ["restore", request],
  ] as const) {
    const jobs = emu.control.jobs().length;
    const res = await call(emu, "POST", `${instance}/${route}?api-version=${V}`, { body });
    expect(res.status, `${route}: ${res.text}`).toBe(202);
    const done = await pollToEnd(emu, String(res.headers["azure-asyncoperation"]));
    expect(done.body.status, `${route} ${JSON.stringify(done.body)}`).toBe("Failed");
    expect(done.body.error?.code).toBe(code);
    const result = await call<CloudError>(emu, "GET", String(res.headers.location));
    expect(result.body.error?.code).toBe(code);
    expect(emu.control.jobs()).toHaveLength(jobs);
  }
}

/** validateRestore and restore of `request` succeed; the restore's job, as its GET shows it (still running). */
export async function expectAccepted(emu: RunningEmulator, instance: string, request: AzureBackupRestoreRequest): Promise<AzureBackupJob & { id: string }> {
  const validate = await call(emu, "POST", `${instance}/validateRestore?api-version=${V}`, { body: { restoreRequestObject: request } });
  expect(validate.status, validate.text).toBe(202);
  expect((await pollToEnd(emu, String(validate.headers["azure-asyncoperation"]), 1)).body.status).toBe("Succeeded");
  const res = await call(emu, "POST", `${instance}/restore?api-version=${V}`, { body: request });
  expect(res.status, res.text).toBe(202);
  const done = await call<OperationResource>(emu, "GET", String(res.headers["azure-asyncoperation"]));
  const op = done.body.status === "Succeeded" ? done.body : (await pollToEnd(emu, String(res.headers["azure-asyncoperation"]), 1)).body;
  expect(op.status, JSON.stringify(op)).toBe("Succeeded");
  const jobId = String((op.properties as { jobId?: string } | undefined)?.jobId);
  const job = await call<AzureBackupJobResource>(emu, "GET", `${jobId}?api-version=${V}`);
  return { ...job.body.properties!, id: jobId };
}

/** The job's status once the virtual clock has moved on `seconds`. */
export async function jobStatusAfter(emu: RunningEmulator, jobId: string, seconds: number): Promise<string | undefined> {
  emu.control.advance(seconds);
  return (await call<AzureBackupJobResource>(emu, "GET", `${jobId}?api-version=${V}`)).body.properties?.status;
}
