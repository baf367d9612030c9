import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main";
import type { CliIO } from "../../cli/io";
import { correctedSeedBody } from "../fixtures/seeds/corrections";

const root = path.join(__dirname, "..", "..");
const restores = path.join(root, "restores");
const instances = path.join(root, "test", "fixtures", "instances");

function run(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env };
  return main(argv, io).then((code) => ({ code, out, err }));
}

function brokenCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "restores-"));
  for (const f of fs.readdirSync(restores)) fs.copyFileSync(path.join(restores, f), path.join(dir, f));
  const file = path.join(dir, "empdb11-from-archive.yaml");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("retention: P15D", "retention: P45D").replace("priority: Standard", "priority: Urgent"));
  return dir;
}

describe("azure-restores validate", () => {
  it("passes the shipped examples (exit 0)", async () => {
    const r = await run(["validate", restores]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("12 spec files checked: 0 errors, 0 warnings\n");
    expect(r.err).toBe("");
  });

  it("fails a broken copy with precise, positioned messages (exit 1)", async () => {
    const dir = brokenCopy();
    const r = await run(["validate", dir]);
    expect(r.code).toBe(1);
    const file = path.join(dir, "empdb11-from-archive.yaml");
    expect(r.err).toContain(`${file}:13:15  spec.rehydration.priority  'Urgent' is not one of Standard, High  (fix: use Standard or High)`);
    expect(r.err).toContain(`${file}:14:16  spec.rehydration.retention  retention is 45 days; Azure keeps a rehydrated recovery point 10 to 30 days  (fix: use a whole number of days from P10D to P30D)`);
    expect(r.err).toContain("12 spec files checked: 2 errors, 0 warnings");
  });

  it("writes GitHub Actions annotations when GITHUB_ACTIONS=true", async () => {
    const r = await run(["validate", brokenCopy()], { GITHUB_ACTIONS: "true" });
    expect(r.out).toMatch(/^::error file=.*empdb11-from-archive\.yaml,line=14,col=16,title=SpecRehydrationRetention spec.rehydration.retention::/m);
  });

  it("prints JSON on request", async () => {
    const r = await run(["validate", "--json", restores]);
    expect(JSON.parse(r.out)).toMatchObject({ errors: 0, warnings: 0, specs: expect.arrayContaining(["msblob-all-20210708"]) });
  });

  it("says which option it does not know (exit 2)", async () => {
    const r = await run(["validate", "--strcit"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--strcit");
  });
});

describe("azure-restores render", () => {
  it("prints the exact calls and bodies from an offline backup instance", async () => {
    const r = await run(["render", path.join(restores, "msblob-all-20210708.yaml"), "--instance", path.join(instances, "msblobbackup.json"), "--api-version", "2021-01-01"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("POST /subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault/backupInstances/msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d/validateRestore?api-version=2021-01-01");
    expect(r.out).toContain('"recoveryPointTime": "2021-07-08T00:00:00.0000000Z"');
  });

  it("takes the newest stable versions and the preview as --api-version", async () => {
    for (const version of ["2025-09-01", "2026-03-01", "2026-08-31-preview"]) {
      const r = await run(["render", path.join(restores, "msblob-all-20210708.yaml"), "--instance", path.join(instances, "msblobbackup.json"), "--api-version", version]);
      expect([r.code, r.err], version).toEqual([0, ""]);
      expect(r.out).toContain(`/validateRestore?api-version=${version}`);
    }
  });

  it("prints the plan as JSON, bodies included", async () => {
    const r = await run(["render", "--json", path.join(restores, "empdb11-as-database.yaml"), "--instance", path.join(instances, "testpostgresql-empdb11.json")]);
    const plan = JSON.parse(r.out);
    expect(plan.restoreRequest).toEqual(plan.validateRequest.restoreRequestObject);
    expect(plan.apiVersion).toBe("2026-06-01");
  });

  it("explains that latestBefore needs the recovery point listing", async () => {
    const r = await run(["render", path.join(restores, "empdb11-as-files.yaml"), "--instance", path.join(instances, "testpostgresql-empdb11.json")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/empdb11-as-files\.yaml:\d+:\d+  spec\.recoveryPoint  .*recovery point listing.*\(fix: .*--recovery-points/);
  });

  it("refuses an instance file that is not a backup instance", async () => {
    const bogus = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "inst-")), "x.json");
    fs.writeFileSync(bogus, '{"value": []}');
    const r = await run(["render", path.join(restores, "msblob-all-20210708.yaml"), "--instance", bogus]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("the file is not a backup instance");
  });
});

describe("azure-restores render against the API", () => {
  it("takes the backup instance and recovery points from the emulator", async () => {
    const { startEmulator } = await import("../../emulator/server");
    const emulator = await startEmulator({ certDir: path.join(os.tmpdir(), "azure-restores-test-certs"), strict: true });
    try {
      const r = await run(["render", path.join(restores, "empdb11-as-files.yaml"), "--endpoint", emulator.url, "--credential", "emulator", "--ca", emulator.caCertPath, "--api-version", "2021-07-01"]);
      expect(r.err).toBe("");
      expect(r.out).toContain("# source: VaultStore, recovery point eb006fde78cb47198be5a320fbe45e9b (2021-10-21T16:31:16.8316716Z)");
      expect(emulator.control.requestLog().map((e) => e.route)).toEqual(["getBackupInstance", "listRecoveryPoints"]);

      // The example spec of the blob seed, rendered from the emulator's backup instance, is the seed's body.
      const blob = await run(["render", "--json", path.join(restores, "msblob-all-20210708.yaml"), "--endpoint", emulator.url, "--credential", "emulator", "--ca", emulator.caCertPath, "--api-version", "2021-01-01"]);
      expect(JSON.parse(blob.out).validateRequest).toEqual(correctedSeedBody("blob-all.validate"));

      // Without the emulator's CA the connection is refused: TLS checks are never turned off.
      const untrusted = await run(["render", path.join(restores, "msblob-all-20210708.yaml"), "--endpoint", emulator.url, "--credential", "emulator"]);
      expect(untrusted.code).toBe(1);
      expect(untrusted.err).toMatch(/certificate/i);
    } finally {
      await emulator.stop();
    }
  });
});

describe("without a sign-in", () => {
  /** The environment of a fresh machine: no Azure variables, and no `az` on the PATH. */
  function freshMachine(): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AZURE_")));
    return { ...env, PATH: path.dirname(process.execPath), AZURE_SUBSCRIPTION_ID: "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f" };
  }

  for (const credential of [undefined, "azure-cli"]) {
    it(`render names the sign-in, not the network (${credential ?? "default"} credential)`, () => {
      const args = [path.join(root, "bin", "azure-restores.js"), "render", path.join(restores, "msblob-all-20210708.yaml"), ...(credential ? ["--credential", credential] : [])];
      const r = spawnSync(process.execPath, args, { encoding: "utf8", env: freshMachine(), timeout: 60_000 });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("CredentialUnavailable");
      expect(r.stderr).toContain(credential === "azure-cli" ? "could not sign in to Azure with AzureCliCredential" : "could not sign in to Azure with DefaultAzureCredential");
      expect(r.stderr).toContain("az login");
      expect(r.stderr).not.toMatch(/network path|no answer from/i);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe("the installed command", () => {
  it("runs through bin/ as `npx azure-restores` would, with exit codes", () => {
    const bin = path.join(root, "bin", "azure-restores.js");
    expect(execFileSync(process.execPath, [bin, "validate", restores], { encoding: "utf8" })).toContain("0 errors");
    const failed = spawnSync(process.execPath, [bin, "validate", brokenCopy()], { encoding: "utf8" });
    expect(failed.status).toBe(1);
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });
});
