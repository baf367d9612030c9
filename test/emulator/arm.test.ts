import { describe, expect, test } from "vitest";
import { loadDefinitions } from "../../api/definitions";
import type { BackupInstanceResource, CloudError } from "../../api/types";
import { API_VERSIONS } from "../../api/versions";
import { ROUTES, routeVersions } from "../../emulator/routes";
import { emulatorToken } from "../../emulator/token";
import { BLOB_BI, BV, call, expectDefinition, PG_BI, PG_BI_NAME, startTestEmulator, SUB, useTestEmulator } from "./helpers";

/** ARM behaviour: authentication, api-version, routing, names, errors, headers, request bodies. */

const V = "2021-07-01";
const restoreBody = {
  objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
  sourceDataStoreType: "VaultStore",
  recoveryPointId: "eb006fde78cb47198be5a320fbe45e9b",
  restoreTargetInfo: {
    objectType: "RestoreFilesTargetInfo",
    recoveryOption: "FailIfExists",
    targetDetails: { url: "https://testossstorageaccount.blob.core.windows.net/testcontainerrestore", filePrefix: "p", restoreTargetLocationType: "AzureBlobs" },
  },
};

const emu = useTestEmulator();

describe("routes follow the definitions", () => {
  test("each route's path template and method are in the definitions of the versions serving it", () => {
    for (const route of ROUTES) {
      const versions = routeVersions(route);
      expect(versions.length, route.operationId).toBeGreaterThan(0);
      for (const v of API_VERSIONS) {
        const op = (loadDefinitions(v).paths[route.template] as Record<string, { operationId?: string }> | undefined)?.[route.method.toLowerCase()];
        expect(Boolean(op), `${v} ${route.operationId}`).toBe(versions.includes(v));
        if (op) expect(op.operationId).toBe(route.operationId);
      }
    }
  });

  test("every supported api-version serves the restore operations", async () => {
    for (const v of API_VERSIONS) {
      const res = await call<BackupInstanceResource>(emu, "GET", `${PG_BI}?api-version=${v}`);
      expect(res.status, v).toBe(200);
      expectDefinition(v, "BackupInstanceResource", res.body);
    }
  });
});

describe("authentication", () => {
  test("a missing Authorization header gets 401 AuthenticationFailed with WWW-Authenticate", async () => {
    const res = await call<CloudError>(emu, "GET", `${PG_BI}?api-version=${V}`, { token: null });
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." });
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com\/common", error="invalid_token", error_description=".+"$/);
    expect(res.headers["x-ms-request-id"]).toBeDefined();
  });

  test("a malformed token gets 401 InvalidAuthenticationToken", async () => {
    for (const headers of [{ Authorization: "Bearer not-a-jwt" }, { Authorization: "Basic dXNlcjpwYXNz" }, { Authorization: "Bearer a.b.c" }]) {
      const res = await call<CloudError>(emu, "GET", `${PG_BI}?api-version=${V}`, { token: null, headers });
      expect(res.status).toBe(401);
      expect(res.body.error?.code).toBe("InvalidAuthenticationToken");
      expect(res.headers["www-authenticate"]).toContain('error="invalid_token"');
    }
  });

  test("an expired token gets 401 ExpiredAuthenticationToken", async () => {
    const res = await call<CloudError>(emu, "GET", `${PG_BI}?api-version=${V}`, { token: emulatorToken({ expiresInSeconds: -60 }) });
    expect(res.status).toBe(401);
    expect(res.body.error?.code).toBe("ExpiredAuthenticationToken");
  });

  test("the request log never holds the token", async () => {
    const token = emulatorToken();
    await call(emu, "GET", `${PG_BI}?api-version=${V}`, { token });
    await call(emu, "GET", `${PG_BI}?api-version=${V}`, { token: null, headers: { Authorization: "Bearer leaked.secret.value" } });
    const log = JSON.stringify(emu.control.requestLog());
    expect(log).not.toContain(token.split(".")[1]);
    expect(log).not.toContain("leaked");
  });
});

describe("api-version", () => {
  test("missing: 400 MissingApiVersionParameter", async () => {
    const res = await call<CloudError>(emu, "GET", PG_BI);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: "MissingApiVersionParameter", message: "The api-version query parameter (?api-version=) is required for all requests." });
  });

  test("unsupported: 400 NoRegisteredProviderFound listing the supported versions", async () => {
    const res = await call<CloudError>(emu, "GET", `${PG_BI}?api-version=2019-05-13`);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("NoRegisteredProviderFound");
    expect(res.body.error?.message).toBe(
      "No registered resource provider found for location 'westus' and API version '2019-05-13' for type 'backupVaults/backupInstances'. " +
        `The supported api-versions are '${API_VERSIONS.join(", ")}'. The supported locations are '${[
          "westus",
          "eastus",
          "eastus2",
          "centralus",
          "westeurope",
          "northeurope",
          "southeastasia",
          "eastasia",
          "centraluseuap",
          "eastus2euap",
        ].join(", ")}'.`,
    );
  });

  test("an operation a version does not define: NoRegisteredProviderFound with the versions that do", async () => {
    const res = await call<CloudError>(emu, "GET", `${BV}/operationStatus/abc?api-version=2021-01-01`);
    expect(res.status).toBe(400);
    const defining = API_VERSIONS.filter((v) => `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DataProtection/backupVaults/{vaultName}/operationStatus/{operationId}` in loadDefinitions(v).paths);
    expect(defining).not.toContain("2021-01-01");
    expect(res.body.error?.message).toContain(`for type 'backupVaults/operationStatus'. The supported api-versions are '${defining.join(", ")}'.`);
  });

  test("the parameter name is case-insensitive", async () => {
    expect((await call(emu, "GET", `${PG_BI}?API-VERSION=${V}`)).status).toBe(200);
  });
});

describe("paths and names", () => {
  test("paths, resource names and the provider namespace match without regard to case", async () => {
    const upper = `/SUBSCRIPTIONS/${SUB.toUpperCase()}/RESOURCEGROUPS/TESTBKPVAULTRG/PROVIDERS/microsoft.dataprotection/BACKUPVAULTS/TESTBKPVAULT/BACKUPINSTANCES/${PG_BI_NAME.toUpperCase()}`;
    const res = await call<BackupInstanceResource>(emu, "GET", `${upper}?api-version=${V}`);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe(PG_BI_NAME);
    const validate = await call(emu, "POST", `${upper}/ValidateRestore?api-version=${V}`, { body: { restoreRequestObject: restoreBody } });
    expect(validate.status).toBe(202);
  });

  test("a malformed subscription ID gets 400 InvalidSubscriptionId", async () => {
    const res = await call<CloudError>(emu, "GET", `/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/b?api-version=${V}`);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("InvalidSubscriptionId");
  });

  test("names with forbidden characters get 400 InvalidResourceName", async () => {
    for (const bad of ["a%3Cscript%3E", "a%2Fb", "%00", "a%20"]) {
      const res = await call<CloudError>(emu, "GET", `${BV}/backupInstances/${bad}?api-version=${V}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error?.code).toBe("InvalidResourceName");
    }
    // dot segments are resolved before routing, as URLs are: this is the vault itself
    const vault = await call<{ name?: string }>(emu, "GET", `${BV}/backupInstances/..?api-version=${V}`);
    expect([vault.status, vault.body.name]).toEqual([200, "testBkpVault"]);
  });
});

describe("404s with ARM's codes", () => {
  const cases: Array<[string, string, string]> = [
    [`/subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault/backupInstances/x`, "SubscriptionNotFound", "The subscription '99999999-9999-9999-9999-999999999999' could not be found."],
    [`/subscriptions/${SUB}/resourceGroups/nosuchrg/providers/Microsoft.DataProtection/backupVaults/testBkpVault/backupInstances/x`, "ResourceGroupNotFound", "Resource group 'nosuchrg' could not be found."],
    [
      `/subscriptions/${SUB}/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/nosuchvault/backupInstances/x`,
      "ResourceNotFound",
      "The Resource 'Microsoft.DataProtection/backupVaults/nosuchvault' under resource group 'testBkpVaultRG' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    ],
  ];
  for (const [path, code, message] of cases) {
    test(code + (code === "ResourceNotFound" ? " (vault)" : ""), async () => {
      const res = await call<CloudError>(emu, "GET", `${path}?api-version=${V}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({ code, message });
      expectDefinition(V, "CloudError", res.body);
    });
  }

  test("backup instance, recovery point, job and operation: ResourceNotFound with the service's additionalInfo", async () => {
    for (const path of [`${BV}/backupInstances/nosuchinstance`, `${PG_BI}/recoveryPoints/nosuchpoint`, `${BV}/backupJobs/00000000-0000-0000-0000-000000000001`, `/subscriptions/${SUB}/providers/Microsoft.DataProtection/locations/westus/operationStatus/bm9wZQ==`]) {
      const res = await call<CloudError>(emu, "GET", `${path}?api-version=${V}`);
      expect(res.status, path).toBe(404);
      expect(res.body.error?.code).toBe("ResourceNotFound");
      expect(res.body.error?.additionalInfo?.[0]).toMatchObject({ type: "UserFacingError", info: { code: "ResourceNotFound", isUserError: true } });
      expectDefinition(V, "CloudError", res.body);
    }
  });

  test("an unknown path: 404 NotFound; a known path with another method: 405 with Allow", async () => {
    const unknown = await call<CloudError>(emu, "GET", `/subscriptions/${SUB}/providers/Microsoft.DataProtection/nothing?api-version=${V}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe("NotFound");
    const wrongMethod = await call<CloudError>(emu, "GET", `${PG_BI}/restore?api-version=${V}`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe("POST");
  });
});

describe("headers", () => {
  test("every response carries request and correlation IDs; a given correlation and client request ID come back", async () => {
    const a = await call(emu, "GET", `${PG_BI}?api-version=${V}`, { headers: { "x-ms-correlation-request-id": "0f0e0d0c-0b0a-0908-0706-050403020100", "x-ms-client-request-id": "abc-123" } });
    expect(a.headers["x-ms-correlation-request-id"]).toBe("0f0e0d0c-0b0a-0908-0706-050403020100");
    expect(a.headers["x-ms-client-request-id"]).toBe("abc-123");
    const b = await call(emu, "GET", `${PG_BI}/nope?api-version=${V}`, { token: null });
    for (const res of [a, b]) {
      expect(res.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers["x-ms-correlation-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(a.headers["x-ms-request-id"]).not.toBe(b.headers["x-ms-request-id"]);
    expect(emu.control.requestLog()[0]).toMatchObject({ clientRequestId: "abc-123", route: "getBackupInstance", apiVersion: V, status: 200, method: "GET" });
  });
});

describe("request bodies", () => {
  test("a body that breaks the definition gets 400 InvalidRequestContent naming the JSON path", async () => {
    const res = await call<CloudError>(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body: { ...restoreBody, restoreTargetInfo: { ...restoreBody.restoreTargetInfo, targetDetails: { url: "u" } } } });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("InvalidRequestContent");
    expect(res.body.error?.message).toContain("restoreTargetInfo.targetDetails.filePrefix: is required");
    expect(res.body.error?.details?.map((d) => d.target)).toEqual(expect.arrayContaining(["restoreTargetInfo.targetDetails.filePrefix", "restoreTargetInfo.targetDetails.restoreTargetLocationType"]));
  });

  test("discriminators are followed and open enums stay open", async () => {
    const wrongType = await call<CloudError>(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body: { ...restoreBody, objectType: "AzureBackupRestoreRequestX" } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error?.message).toContain("objectType: 'AzureBackupRestoreRequestX' is not a known");
    // OperationalStore is not listed in 2021-07-01's enum, but the enum is open (the blob seed uses it)
    const open = await call(emu, "POST", `${BLOB_BI}/findRestorableTimeRanges?api-version=${V}`, { body: { sourceDataStoreType: "OperationalStore" } });
    expect(open.status).toBe(200);
  });

  test("strict mode refuses unknown properties; the default (like Azure) ignores them", async () => {
    const body = { ...restoreBody, color: "blue" };
    const strict = await call<CloudError>(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body });
    expect(strict.status).toBe(400);
    expect(strict.body.error?.message).toContain("color: is not a property of AzureBackupRecoveryPointBasedRestoreRequest in api-version 2021-07-01");
    const lenient = await startTestEmulator({ strict: false });
    try {
      expect((await call(lenient, "POST", `${PG_BI}/restore?api-version=${V}`, { body })).status).toBe(202);
    } finally {
      await lenient.stop();
    }
  });

  test("invalid JSON, an empty body and a non-JSON content type", async () => {
    const bad = await call<CloudError>(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body: '{"objectType": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/not valid JSON/);
    const empty = await call<CloudError>(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body: "" });
    expect(empty.status).toBe(400);
    const xml = await call<CloudError>(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body: "<a/>", headers: { "Content-Type": "application/xml" } });
    expect(xml.status).toBe(415);
    expect(xml.body.error?.code).toBe("UnsupportedMediaType");
  });

  test("bodies over the size cap get 413", async () => {
    const res = await call<CloudError>(emu, "POST", `${PG_BI}/restore?api-version=${V}`, { body: JSON.stringify({ pad: "x".repeat(1024 * 1024) }) });
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe("RequestEntityTooLarge");
  });
});
