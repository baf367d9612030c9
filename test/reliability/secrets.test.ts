/**
 * Secrets: no token, secret value or Authorization header in logs, errors, outputs or state. A full
 * run (preview, up with a failing job and a succeeding one, refresh) goes through the provider host with
 * verbose Azure logging, and everything it leaves is searched.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main";
import type { CliIO } from "../../cli/io";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { EmulatorCredential } from "../../client";
import { FakeEngine, runProgram, type ProgramRun } from "../../harness/engine";
import { emulatorConfig, startProviderHost } from "../../harness/host";
import { findLeaks } from "./leaks";

let emulator: RunningEmulator;
let program: ProgramRun;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 300, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
  program = runProgram({ "azure-restores:specs": "restores" });
});

afterAll(async () => {
  await emulator?.stop();
});

describe("the leak finder", () => {
  it("finds a real token and an Authorization header (so finding none means something)", async () => {
    const token = (await new EmulatorCredential().getToken("https://management.azure.com/.default")).token;
    expect(findLeaks({ log: `sending ${token}` })).toHaveLength(1);
    expect(findLeaks({ log: '"authorization": "Bearer abc.def.ghi"' })).toHaveLength(1);
    expect(findLeaks({ log: '"authorization": "REDACTED"' })).toEqual([]);
    expect(findLeaks({ state: { value: "hunter2" } }, ["hunter2"])).toEqual(["state: secret value"]);
  });
});

describe("a whole run leaves no secret behind", () => {
  it("in the provider's verbose log, its errors, the outputs and the state", async () => {
    emulator.control.setFaults([{ kind: "jobFails", route: "restore", count: 1, error: { code: "UserErrorInjectedJobFailure", message: "Injected." } }]);
    const host = await startProviderHost({ AZURE_LOG_LEVEL: "verbose" });
    try {
      await host.configure(emulatorConfig(emulator));
      const engine = new FakeEngine();
      const specs = program.registrations.filter((r) => r.name.startsWith("empdb11"));
      const preview = await engine.preview(host, specs);
      const steps = await engine.up(host, specs);
      await engine.refresh(host);
      expect(steps.filter((s) => s.op === "failed")).toHaveLength(1); // the injected job failure, recorded
      const log = host.stderr();
      expect(log).toMatch(/authorization/i); // verbose logging did log the headers...
      expect(log).toMatch(/REDACTED/); // ...redacted
      const leaks = findLeaks({ log, preview, steps, state: [...engine.state.values()], outputs: program.outputs });
      expect(leaks).toEqual([]);
    } finally {
      await host.stop();
    }
  });

  it("the request output is a secret output", () => {
    for (const r of program.registrations) expect(r.additionalSecretOutputs).toEqual(["request"]);
  });

  it("a secret value written into a spec is refused without echoing it", async () => {
    let out = "";
    const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {} };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-"));
    fs.writeFileSync(
      path.join(dir, "raw.yaml"),
      `apiVersion: azure-restores/v1
kind: RawRestore
metadata: { name: raw }
spec:
  backupInstance: { subscriptionId: bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f, resourceGroup: testBkpVaultRG, vault: testBkpVault, name: testpostgresql-empdb11-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e }
  request:
    objectType: AzureBackupRecoveryPointBasedRestoreRequest
    sourceDataStoreType: VaultStore
    recoveryPointId: eb006fde78cb47198be5a320fbe45e9b
    restoreTargetInfo:
      objectType: RestoreTargetInfo
      recoveryOption: FailIfExists
      datasourceInfo: { resourceID: /subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver/databases/x }
      datasourceAuthCredentials:
        objectType: SecretStoreBasedAuthCredentials
        secretStoreResource: { secretStoreType: AzureKeyVault, value: "S3cr3t-P@ssw0rd" }
`,
    );
    expect(await main(["validate", dir], io)).toBe(1);
    expect(out).toContain("a spec must not hold a secret");
    expect(findLeaks({ out }, ["S3cr3t-P@ssw0rd"])).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
