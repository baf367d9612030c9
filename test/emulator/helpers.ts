import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { checkBody, formatBodyProblems } from "../../api/schema";
import type { AzureBackupRestoreRequest, OperationResource } from "../../api/types";
import type { ApiVersion } from "../../api/versions";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator/server";

/** Names of the default world (emulator/worlds/default.yaml). */
export const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
export const BV = `/subscriptions/${SUB}/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault`;
export const BLOB_BI_NAME = "msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d";
export const PG_BI_NAME = "testpostgresql-empdb11-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e";
export const BLOB_BI = `${BV}/backupInstances/${BLOB_BI_NAME}`;
export const PG_BI = `${BV}/backupInstances/${PG_BI_NAME}`;
export const BLOB_ACCOUNT = `/subscriptions/${SUB}/resourceGroups/RG-BlobBackup/providers/Microsoft.Storage/storageAccounts/msblobbackup`;
export const TARGET_SERVER = `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver`;
export const LOW_SERVER = `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver95`;
export const SECRET = "https://vikottur-test.vault.azure.net/secrets/dbauth3";
export const RP = "eb006fde78cb47198be5a320fbe45e9b";

/** A vaulted restore of empdb11's point RP as the new database `database` on targetossserver, with the world's secret. */
export function pgDatabaseRestore(database: string): AzureBackupRestoreRequest {
  const datasource = (type: string, id: string, name: string) => ({ objectType: "Datasource", datasourceType: "Microsoft.DBforPostgreSQL/servers/databases", resourceID: id, resourceName: name, resourceType: type, resourceLocation: "westus", resourceUri: "" });
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    sourceDataStoreType: "VaultStore",
    recoveryPointId: RP,
    restoreTargetInfo: {
      objectType: "RestoreTargetInfo",
      recoveryOption: "FailIfExists",
      restoreLocation: "westus",
      datasourceInfo: datasource("Microsoft.DBforPostgreSQL/servers/databases", `${TARGET_SERVER}/databases/${database}`, database),
      datasourceSetInfo: { ...datasource("Microsoft.DBforPostgreSQL/servers", TARGET_SERVER, "targetossserver"), objectType: "DatasourceSet" },
      datasourceAuthCredentials: { objectType: "SecretStoreBasedAuthCredentials", secretStoreResource: { secretStoreType: "AzureKeyVault", uri: SECRET } },
    },
  };
}

/** One cert directory for the whole test run (generated once, reused). */
export const TEST_CERT_DIR = path.join(os.tmpdir(), "azure-restores-emulator-test-certs");

/** An emulator as the tests use it: strict bodies, port 0, the test cert directory. */
/**
 * An emulator for the whole test file: started before its tests, reset before each, stopped after. The
 * returned object reads through to the running emulator.
 */
export function useTestEmulator(options: EmulatorOptions = {}): RunningEmulator {
  let current: RunningEmulator | undefined;
  beforeAll(async () => {
    current = await startTestEmulator(options);
  });
  afterAll(async () => {
    await current?.stop();
  });
  beforeEach(() => {
    current?.control.reset();
  });
  return new Proxy({} as RunningEmulator, {
    get: (_target, property) => {
      if (!current) throw new Error("the test emulator is not running yet");
      return Reflect.get(current, property);
    },
  });
}

export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ strict: true, certDir: TEST_CERT_DIR, ...options });
}

export { call, type CallOptions, type EmulatorEndpoint, type HttpResult } from "../../harness/arm-call";
import { call, type EmulatorEndpoint, type HttpResult } from "../../harness/arm-call";

/**
 * Where the service (as the seeds recorded it) returns what a definition does not allow. Only these
 * differences are tolerated by expectDefinition.
 */
const DEFINITION_GAPS: Array<{ version: ApiVersion | ((v: ApiVersion) => boolean); definition: string; path: RegExp; why: string }> = [
  {
    version: (v) => v >= "2022-01-01",
    definition: "AzureBackupJobResource",
    path: /^(value\[\d+\]\.)?properties\.(sourceDataStoreType|isCrossRegionRestore)$/,
    why: "every recorded job (test/fixtures/recordings) carries sourceDataStoreType and isCrossRegionRestore, which no definition declares",
  },
  {
    version: "2021-01-01",
    definition: "OperationResource",
    path: /^properties\.jobId$/,
    why: "the blob seed (2021-01-01) shows properties.jobId; OperationExtendedInfo got its OperationJobExtendedInfo subtype (discriminator) only in 2021-07-01",
  },
  {
    version: "2021-01-01",
    definition: "AzureBackupJobResource",
    path: /^(value\[\d+\]\.)?properties\.dataSourceSetName$/,
    why: "2021-01-01 requires dataSourceSetName; the blob seed's restore job (2021-01-01) has none",
  },
];

/** Asserts `body` is valid for `definition` of `version`, strictly (no property the definitions lack). */
export function expectDefinition(version: ApiVersion, definition: string, body: unknown): void {
  const gaps = DEFINITION_GAPS.filter((g) => (typeof g.version === "function" ? g.version(version) : g.version === version) && (g.definition === definition || `${g.definition}List` === definition));
  const problems = checkBody(version, definition, body, { strict: true }).filter((p) => !gaps.some((g) => g.path.test(p.path)));
  expect(formatBodyProblems(problems), `${definition} (${version})`).toBe("");
}

/** Keys of a JSON value, recursively, with array items merged: the "shape" two responses share. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) {
    const merged: Record<string, unknown> = {};
    for (const item of value) {
      const s = shapeOf(item);
      if (s && typeof s === "object" && !Array.isArray(s)) Object.assign(merged, s);
      else return [s];
    }
    return [merged];
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .map(([k, v]): [string, unknown] => [k, shapeOf(v)])
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  }
  return value === null ? "null" : typeof value;
}

/** Follows an Azure-AsyncOperation URL to a terminal status, advancing the virtual clock between polls. */
export async function pollToEnd(emu: RunningEmulator, statusUrl: string, stepSeconds = 10, maxPolls = 100): Promise<HttpResult<OperationResource>> {
  for (let i = 0; i < maxPolls; i++) {
    const res = await call<OperationResource>(emu, "GET", statusUrl);
    if (res.status !== 200 || res.body.status?.toLowerCase() !== "inprogress") return res;
    emu.control.advance(stepSeconds);
  }
  throw new Error(`operation ${statusUrl} did not finish`);
}

/** Drops the scheme and host of an absolute emulator URL. */
export function pathOf(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}
