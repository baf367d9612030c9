import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FIRST_VERSION_WITH } from "../../api/versions";
import { checkSpecFiles } from "../../checks";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { FakeEngine, RESTORE_TYPE, runProgram, type Registration } from "../../harness/engine";
import { emulatorConfig, startProviderHost, type ProviderHost } from "../../harness/host";
import { editedWorld } from "../emulator/kind-helpers";

/**
 * Restores from the vault's secondary region, through the provider host against the emulator, as
 * `pulumi preview` and `up` meet them: the disaster-recovery example (examples/disaster-recovery/) brings
 * drVault's databases of pgprimary (eastus2) back on pgsecondary (centralus, eastus2's pair). Each
 * database has a point two hours old, not yet replicated to centralus (emulator/worlds/default.yaml).
 */

const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const LOCATION = `/subscriptions/${SUB}/resourceGroups/drVaultRG/providers/Microsoft.DataProtection/locations/centralus`;
const DR_VAULT = `/subscriptions/${SUB}/resourceGroups/drVaultRG/providers/Microsoft.DataProtection/backupVaults/drVault`;
/** The orders database's points: the newest replicated one, and the one centralus does not have yet. */
const REPLICATED = "d01a0b1c2d3e4f5a6b7c8d9e0f1a2b02";
const NOT_YET_REPLICATED = "d01a0b1c2d3e4f5a6b7c8d9e0f1a2b03";
const DR_VAULT_PRINCIPAL = "6b2d4f8a-1c3e-4a5b-9d7f-0e2c4a6b8d91";
const DR_RESTORE_IDENTITY_PRINCIPAL = "8e4f6a0c-3d5b-4c7e-a1f9-2b4d6e8a0c53";
const OTHER_IDENTITY = `/subscriptions/${SUB}/resourceGroups/drVaultRG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/someoneElse`;

const root = path.join(__dirname, "..", "..");
let emulator: RunningEmulator;
let program: Registration[];
let disk: Registration;
const hosts: ProviderHost[] = [];

async function newHost(extra: Record<string, string> = {}): Promise<ProviderHost> {
  const host = await startProviderHost();
  hosts.push(host);
  await host.configure(emulatorConfig(emulator, extra));
  return host;
}

/** A DR example as the program registers it, its spec edited. */
function dr(name: string, edit: (spec: Record<string, any>) => void = () => undefined): Registration {
  const found = program.find((r) => r.name === name);
  if (!found) throw new Error(`no registration ${name}`);
  const r = JSON.parse(JSON.stringify(found)) as Registration;
  edit(r.inputs.spec as Record<string, any>);
  return r;
}

const requests = (route: string) => emulator.control.requestLog({ route, method: "POST" });

/** Preview of one restore: its failure, and what reached the emulator. */
async function previewFailure(reg: Registration, config: Record<string, string> = {}): Promise<string> {
  const [step] = await new FakeEngine().preview(await newHost(config), [reg]);
  expect(step.op, JSON.stringify(step)).toBe("failed");
  return step.failures!.join("\n");
}

beforeAll(async () => {
  const run = runProgram({ "azure-restores:specs": "examples/disaster-recovery" });
  expect(run.error).toBeUndefined();
  program = run.registrations;
  disk = runProgram({ "azure-restores:specs": "restores" }).registrations.find((r) => r.name === "appdisk01-as-new-disk")!;
  emulator = await startEmulator({ timeScale: 300, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
});

afterAll(async () => {
  for (const host of hosts) await host.stop().catch(() => undefined);
  await emulator?.stop();
});

beforeEach(() => {
  emulator.control.reset();
});

describe("a restore from the secondary region, through the provider host", () => {
  it("preview validates at the secondary region; up restores from its newest replicated point and records the route; nothing goes to the primary", async () => {
    const engine = new FakeEngine();
    expect(await engine.preview(await newHost(), [dr("dr-orders")])).toEqual([{ name: "dr-orders", op: "create" }]);
    expect(requests("validateCrossRegionRestore")).toHaveLength(1);
    expect(requests("crossRegionRestore")).toHaveLength(0);

    expect(await engine.up(await newHost(), [dr("dr-orders")])).toEqual([{ name: "dr-orders", op: "create" }]);
    const record = engine.state.get("dr-orders")!.outputs;
    expect(record).toMatchObject({
      status: "Completed",
      phase: "ended",
      adopted: false,
      recoveryPointId: REPLICATED,
      crossRegion: { locationPath: LOCATION, sourceRegion: "eastus2", targetRegion: "centralus", vaultId: DR_VAULT },
    });
    expect(record.jobId).toMatch(/\/backupVaults\/drVault\/backupJobs\/[0-9a-f-]{36}$/i);
    expect(requests("crossRegionRestore").map((e) => e.path)).toEqual([expect.stringMatching(/\/locations\/centralus\/crossRegionRestore$/i)]);
    expect(emulator.control.requestLog({ route: "fetchCrossRegionRestoreJob" }).length).toBeGreaterThan(0);
    for (const primary of ["listRecoveryPoints", "getRecoveryPoint", "validateRestore", "restore", "listJobs", "getJob"]) expect(emulator.control.requestLog({ route: primary }), primary).toEqual([]);

    // The next preview sees nothing to do; refresh reads the job where it ran.
    emulator.control.clearRequestLog();
    expect(await engine.preview(await newHost(), [dr("dr-orders")])).toEqual([{ name: "dr-orders", op: "same" }]);
    expect(emulator.control.requestLog()).toEqual([]);
    await engine.refresh(await newHost());
    expect(emulator.control.requestLog().map((e) => e.route)).toEqual(["fetchCrossRegionRestoreJob"]);
    expect(engine.state.get("dr-orders")!.outputs.status).toBe("Completed");
  });

  it("a host killed between the trigger and the state save: the next run adopts the job from the secondary region's job list", async () => {
    const first = await newHost();
    const urn = `urn:pulumi:test::azure-restores::${RESTORE_TYPE}::dr-inventory`;
    const pending = first.create(urn, (await first.check(urn, {}, dr("dr-inventory").inputs)).inputs);
    for (let i = 0; i < 400 && requests("crossRegionRestore").filter((e) => e.status === 202).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    first.kill();
    await pending.catch(() => undefined);
    expect(emulator.control.jobs()).toHaveLength(1);

    const engine = new FakeEngine();
    expect(await engine.up(await newHost(), [dr("dr-inventory")])).toEqual([{ name: "dr-inventory", op: "create" }]);
    expect(engine.state.get("dr-inventory")!.outputs).toMatchObject({ adopted: true, status: "Completed", jobId: emulator.control.jobs()[0].id, crossRegion: { targetRegion: "centralus" } });
    expect(requests("crossRegionRestore")).toHaveLength(1);
    expect(emulator.control.requestLog({ route: "fetchCrossRegionRestoreJobs" }).length).toBeGreaterThan(0);
    expect(emulator.control.jobs()).toHaveLength(1);
  });

  it("runs under the user-assigned identity the spec names, on a vault that has only that identity", async () => {
    const engine = new FakeEngine();
    const steps = await engine.up(await newHost(), [dr("dr-reports")]);
    expect(steps).toEqual([{ name: "dr-reports", op: "create" }]);
    expect(engine.state.get("dr-reports")!.outputs).toMatchObject({ status: "Completed", crossRegion: { targetRegion: "centralus" } });
  });
});

describe("the disaster-recovery example", () => {
  it("passes every offline check, as `azure-restores validate examples/disaster-recovery/` runs them", () => {
    const result = checkSpecFiles([path.join(root, "examples", "disaster-recovery")]);
    expect(result.problems).toEqual([]);
    expect(result.specs.map((s) => s.spec.metadata.name).sort()).toEqual(["dr-billing", "dr-inventory", "dr-orders", "dr-reports"]);
    for (const { spec } of result.specs) expect(spec.spec, spec.metadata.name).toMatchObject({ fromSecondaryRegion: true, recoveryPoint: "latest" });
  });

  it("runs end to end: every database back on pgsecondary in centralus, each from its newest replicated point, under the identity its spec names", async () => {
    const engine = new FakeEngine();
    expect((await engine.preview(await newHost(), program)).map((s) => s.op)).toEqual(program.map(() => "create"));
    const steps = await engine.up(await newHost(), program);
    expect(steps.map((s) => `${s.name}:${s.op}`).sort()).toEqual(["dr-billing:create", "dr-inventory:create", "dr-orders:create", "dr-reports:create"]);
    for (const name of ["dr-billing", "dr-inventory", "dr-orders", "dr-reports"]) {
      const record = engine.state.get(name)!.outputs as { status: string; recoveryPointId: string; target: string; crossRegion: { targetRegion: string } };
      expect(record.status, name).toBe("Completed");
      expect(record.crossRegion.targetRegion, name).toBe("centralus");
      expect(record.recoveryPointId, name).toMatch(/^d0[1-4]a0b1c2d3e4f5a6b7c8d9e0f1a2b02$/);
    }
    const restores = requests("crossRegionRestore").map((e) => e.path);
    expect(restores).toHaveLength(4);
    expect(emulator.control.jobs()).toHaveLength(4);
    // billing and reports ran as drRestoreIdentity: its roles were the ones checked, not drVault's system identity's
    const principals = (name: string) => (engine.state.get(name)!.outputs as { access: { needs: Array<{ principalId: string }> } }).access.needs.map((n) => n.principalId);
    for (const name of ["dr-billing", "dr-reports"]) expect(principals(name), name).toEqual([DR_RESTORE_IDENTITY_PRINCIPAL]);
    for (const name of ["dr-orders", "dr-inventory"]) expect(principals(name), name).toEqual([DR_VAULT_PRINCIPAL]);
  });
});

describe("what a restore from the secondary region refuses, through the provider host", () => {
  it("a vault without cross-region restore: the service's code and fix, in preview", async () => {
    emulator.control.loadWorld(editedWorld((w) => (w.vaults!.find((v) => v.name === "drVault")!.crossRegionRestore = false)));
    const reason = await previewFailure(dr("dr-orders"));
    expect(reason).toContain("UserErrorCrossRegionRestoreNotEnabled");
    expect(reason).toContain("(fix: Enable cross-region restore on a geo-redundant backup vault.)");
    expect(requests("crossRegionRestore")).toHaveLength(0);
  });

  it("a secondary region that is not the vault's pair: refused by the service; the vault's own region: refused before any call", async () => {
    const elsewhere = await previewFailure(dr("dr-orders", (s) => (s.spec.restoreLocation = "westus")));
    expect(elsewhere).toContain("UserErrorInvalidSecondaryRegion");
    expect(elsewhere).toContain("centralus");

    emulator.control.clearRequestLog();
    const primary = await previewFailure(dr("dr-orders", (s) => (s.spec.restoreLocation = "eastus2")));
    expect(primary).toContain("spec.restoreLocation  eastus2 is the vault's own region: a cross-region restore runs in its secondary region (centralus)");
    expect(requests("validateCrossRegionRestore")).toHaveLength(0);
  });

  it("a point not yet replicated: latest resolves to the replicated one (above); naming it is refused", async () => {
    const reason = await previewFailure(dr("dr-orders", (s) => (s.spec.recoveryPoint = NOT_YET_REPLICATED)));
    expect(reason).toContain(`spec.recoveryPoint  recovery point ${NOT_YET_REPLICATED} is not in the secondary region centralus`);
    expect(reason).toContain("(fix: use latest (the newest point the secondary region has)");
    expect(requests("validateCrossRegionRestore")).toHaveLength(0);
  });

  it("a user-assigned identity at an api-version too old for it: the version that accepts it is named", async () => {
    const reason = await previewFailure(dr("dr-billing", (s) => delete s.spec.fromSecondaryRegion), { "azure-restores:apiVersion": "2023-01-01" });
    expect(reason).toContain(`spec.identity  a restore under a user-assigned identity needs api-version ${FIRST_VERSION_WITH.identityDetails} or later (this run uses 2023-01-01)`);
    expect(emulator.control.requestLog({ route: "validateRestore" })).toEqual([]);
  });

  it("a cross-region restore at an api-version too old for it: the version that has the calls is named", async () => {
    const reason = await previewFailure(dr("dr-orders"), { "azure-restores:apiVersion": "2023-05-01" });
    expect(reason).toContain(`spec.fromSecondaryRegion  a cross-region restore needs api-version ${FIRST_VERSION_WITH.crossRegionRestore} or later (this run uses 2023-05-01)`);
    expect(emulator.control.requestLog().map((e) => e.route)).toEqual(["getBackupInstance"]);
  });

  it("an identity the vault does not have: refused when its roles are checked; without the check, by the service", async () => {
    const billing = dr("dr-billing", (s) => (s.spec.identity = OTHER_IDENTITY));
    const reason = await previewFailure(billing);
    expect(reason).toContain(`spec.identity  the Backup vault drVault has no user-assigned identity ${OTHER_IDENTITY} (its identities: system-assigned, drRestoreIdentity)`);
    expect(reason).toContain("(fix: set spec.identity to one of the vault's user-assigned identities (or system), or attach this identity to the vault)");
    expect(requests("validateCrossRegionRestore")).toHaveLength(0);

    const service = await previewFailure(billing, { "azure-restores:checkAccess": "false" });
    expect(service).toContain("UserErrorUserAssignedIdentityNotAttached");
    expect(service).toContain("(fix: Please retry the operation after attaching the User Identity to the Backup Vault.)");
    expect(requests("crossRegionRestore")).toHaveLength(0);
  });

  it("a kind without cross-region restore: refused offline, no request sent", async () => {
    const crrDisk = JSON.parse(JSON.stringify(disk)) as Registration;
    (crrDisk.inputs.spec as Record<string, any>).spec.fromSecondaryRegion = true;
    const reason = await previewFailure(crrDisk);
    expect(reason).toContain("spec.fromSecondaryRegion  Azure managed disks cannot be restored from the secondary region");
    expect(reason).toContain("Azure Database for PostgreSQL single server databases, Azure Database for PostgreSQL flexible servers, Azure Database for MySQL flexible servers");
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("a target in another subscription than the vault's", async () => {
    const reason = await previewFailure(dr("dr-orders", (s) => (s.spec.target.database.id = s.spec.target.database.id.replace(SUB, "cccc2c2c-dd3d-ee4e-ff5f-aaaaaa0a0a0a"))));
    expect(reason).toContain("spec.target  a cross-region restore cannot write to another subscription (cccc2c2c-dd3d-ee4e-ff5f-aaaaaa0a0a0a) than the vault's");
    expect(requests("validateCrossRegionRestore")).toHaveLength(0);
  });
});
