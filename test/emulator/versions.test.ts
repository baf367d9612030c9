import { describe, expect, test } from "vitest";
import { loadDefinitions } from "../../api/definitions";
import type { AzureBackupJobResource, OperationJobExtendedInfo, OperationResource } from "../../api/types";
import { API_VERSIONS, PREVIEW_API_VERSIONS, STABLE_API_VERSIONS, type ApiVersion } from "../../api/versions";
import { ROUTES } from "../../emulator/routes";
import { styleOf } from "../../emulator/service-style";
import { BLOB_ACCOUNT, BLOB_BI, BV, call, expectDefinition, pathOf, pollToEnd, SUB, useTestEmulator } from "./helpers";

/**
 * The restore flow at every api-version the project ships definitions for (the nineteen stable ones and
 * the newest preview): validateRestore, restore, the operation followed through Azure-AsyncOperation
 * and Location, and the restore job, each answered as the service answers at that version
 * (service-style.ts) and valid for that version's definitions.
 */

const emu = useTestEmulator();

const restoreRequest = {
  objectType: "AzureBackupRecoveryTimeBasedRestoreRequest",
  sourceDataStoreType: "OperationalStore",
  recoveryPointTime: "2021-07-08T00:00:00Z",
  restoreTargetInfo: { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", datasourceInfo: { objectType: "Datasource", datasourceType: "Microsoft.Storage/storageAccounts/blobServices", resourceID: BLOB_ACCOUNT } },
};

/** The headers the definitions of `version` declare for the 202 of `operationId`. */
function declared202Headers(version: ApiVersion, operationId: string): string[] {
  const route = ROUTES.find((r) => r.operationId === operationId)!;
  const op = (loadDefinitions(version).paths[route.template] as Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>)[route.method.toLowerCase()];
  return Object.keys(op.responses["202"]?.headers ?? {}).map((h) => h.toLowerCase());
}

/** The 202's URLs point where the service points them at `version`; Retry-After only where it sends one. */
function expectAccepted(version: ApiVersion, operationId: string, headers: Record<string, unknown>): { status: string; result: string } {
  const style = styleOf(version);
  const status = String(headers["azure-asyncoperation"]);
  const result = String(headers["location"]);
  const statusScope = style.statusScope === "vault" ? `${BV}/operationStatus/` : `/subscriptions/${SUB}/providers/Microsoft.DataProtection/locations/`;
  expect(pathOf(status).startsWith(statusScope), `${version} ${operationId} ${status}`).toBe(true);
  expect(pathOf(result), `${version} ${operationId}`).toMatch(new RegExp(`^/subscriptions/${SUB}/providers/Microsoft\\.DataProtection/locations/[^/]+/operationResults/[^/?]+\\?api-version=${version}(&|$)`));
  for (const url of [status, result]) expect(new URL(url).searchParams.has("t"), `${version} signed`).toBe(style.signed);
  expect("retry-after" in headers, `${version} ${operationId} Retry-After`).toBe(style.retryAfter);
  // Where the definitions declare no Retry-After (2025-09-01 and later), the emulator sends none either.
  if (!declared202Headers(version, operationId).includes("retry-after")) expect(headers).not.toHaveProperty("retry-after");
  return { status, result };
}

describe("the restore flow at every api-version", () => {
  test("the versions are the nineteen stable ones and the newest preview", () => {
    expect(STABLE_API_VERSIONS).toHaveLength(19);
    expect([...API_VERSIONS]).toEqual([...STABLE_API_VERSIONS, ...PREVIEW_API_VERSIONS]);
  });

  for (const version of API_VERSIONS) {
    test(`${version}: validateRestore, restore, the operation and the job`, async () => {
      const validate = await call(emu, "POST", `${BLOB_BI}/validateRestore?api-version=${version}`, { body: { restoreRequestObject: restoreRequest } });
      expect(validate.status, JSON.stringify(validate.body)).toBe(202);
      const validated = expectAccepted(version, "BackupInstances_ValidateForRestore", validate.headers);
      expect((await pollToEnd(emu, validated.status)).body.status).toBe("Succeeded");

      const restore = await call(emu, "POST", `${BLOB_BI}/restore?api-version=${version}`, { body: restoreRequest });
      expect(restore.status, JSON.stringify(restore.body)).toBe(202);
      const started = expectAccepted(version, "BackupInstances_TriggerRestore", restore.headers);
      const done = await pollToEnd(emu, started.status);
      expect(done.body.status).toBe("Succeeded");
      expectDefinition(version, "OperationResource", done.body satisfies OperationResource);

      const result = await call<OperationJobExtendedInfo>(emu, "GET", started.result);
      expect(result.status).toBe(200);
      expectDefinition(version, "OperationJobExtendedInfo", result.body);
      const jobId = result.body.jobId ?? done.body.properties?.jobId;
      expect(jobId).toBeDefined();

      const job = await call<AzureBackupJobResource>(emu, "GET", `${BV}/backupJobs/${String(jobId).split("/").pop()}?api-version=${version}`);
      expect(job.status).toBe(200);
      expect(job.body.properties).toMatchObject({ operationCategory: "Restore", dataSourceId: BLOB_ACCOUNT });
      expectDefinition(version, "AzureBackupJobResource", job.body);
    });
  }
});
