import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { ROLES } from "../../api/roles";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { RESTORE_TYPE, runProgramAsync, type ProgramRun } from "../../harness/engine";
import { emulatorConfig } from "../../harness/host";
import { editedWorld } from "../emulator/kind-helpers";

/**
 * `spec.access: grant | keep` under Pulumi's mocks, as `pulumi preview` runs the program: the program
 * reads (from the emulator) which roles each restore's identity misses, registers one azure-native
 * RoleAssignment per missing role with the principal the azure-native invoke returns, and makes the
 * Restore depend on it; a restore the stack's previous `restores` output shows ended registers none.
 */

const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const server = (name: string) => `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/${name}`;
const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
/** What `dataprotection.getBackupVaultOutput` returns under the mocks: the vault's identity, as the emulator's world has it. */
const VAULT_PRINCIPAL = "3c6e8f1a-5b2d-4e7f-9a1c-2d4b6e8f0a13";

let emulator: RunningEmulator;
let specs: string;

/** The PostgreSQL example as a new spec: another name, another target server, this access. */
function spec(name: string, target: string, access: string): string {
  const text = fs.readFileSync(path.join(__dirname, "..", "..", "restores", "empdb11-as-database.yaml"), "utf8");
  const doc = YAML.parse(text);
  doc.metadata.name = name;
  doc.spec.target.database.id = `${server(target)}/databases/${name}`;
  doc.spec.access = access;
  return YAML.stringify(doc);
}

async function run(previousOutputs: Record<string, unknown> = {}): Promise<ProgramRun> {
  const out = await runProgramAsync(
    { ...emulatorConfig(emulator), "azure-restores:specs": specs },
    { calls: { "azure-native:dataprotection:getBackupVault": { identity: { type: "SystemAssigned", principalId: VAULT_PRINCIPAL } } }, previousOutputs },
  );
  expect(out.error).toBeUndefined();
  return out;
}

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 300, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
  // The vault's identity holds no Reader anywhere: every PostgreSQL restore misses it on its server.
  emulator.control.loadWorld(editedWorld((w) => (w.roleAssignments = (w.roleAssignments ?? []).filter((a) => a.role !== "Reader"))));
  specs = fs.mkdtempSync(path.join(os.tmpdir(), "grants-"));
  fs.writeFileSync(path.join(specs, "granting.yaml"), spec("granting", "targetossserver", "grant"));
  fs.writeFileSync(path.join(specs, "granted-before.yaml"), spec("granted-before", "targetossserver12", "grant"));
  fs.writeFileSync(path.join(specs, "keeping.yaml"), spec("keeping", "targetossserver95", "keep"));
  fs.writeFileSync(path.join(specs, "checking.yaml"), spec("checking", "targetossserver", "check"));
});

afterAll(async () => {
  await emulator?.stop();
  fs.rmSync(specs, { recursive: true, force: true });
});

describe("grants under Pulumi's mocks", () => {
  it("registers one RoleAssignment per missing role, exactly as Azure needs it, and the Restore depends on it", async () => {
    const { registrations } = await run();
    const grants = registrations.filter((r) => r.type === ROLE_ASSIGNMENT);
    expect(grants.map((g) => g.inputs.scope).sort()).toEqual([server("targetossserver"), server("targetossserver12"), server("targetossserver95")]);
    for (const g of grants) {
      expect(g.inputs).toMatchObject({
        roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${ROLES.reader.id}`,
        principalId: VAULT_PRINCIPAL,
        principalType: "ServicePrincipal",
      });
      expect(g.inputs.roleAssignmentName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const granting = registrations.find((r) => r.type === RESTORE_TYPE && r.name === "granting")!;
    const itsGrant = grants.find((g) => g.inputs.scope === server("targetossserver"))!;
    expect(granting.dependencies!.some((urn) => urn.endsWith(`::${itsGrant.name}`))).toBe(true);
    expect(granting.inputs.grants).toEqual([expect.objectContaining({ roleAssignmentName: itsGrant.inputs.roleAssignmentName, scope: server("targetossserver"), identity: "vault" })]);
    // access: check grants nothing and depends on nothing
    const checking = registrations.find((r) => r.name === "checking")!;
    expect(checking.inputs.grants).toBeUndefined();
    expect(checking.dependencies ?? []).toEqual([]);
    // keep: outlives its restore and the stack
    expect(grants.find((g) => g.inputs.scope === server("targetossserver95"))!.retainOnDelete).toBe(true);
    expect(itsGrant.retainOnDelete).toBe(false);
  });

  it("registers none for a restore that ended (its grant is revoked), keeps a kept one, and grants a rerun again", async () => {
    const ended = { "granted-before": { jobId: "j1", status: "Completed" }, keeping: { jobId: "j2", status: "Completed" }, granting: { jobId: "j3", status: "Failed", rerun: "an older run" } };
    const { registrations } = await run({ restores: ended });
    const scopes = registrations.filter((r) => r.type === ROLE_ASSIGNMENT).map((g) => g.inputs.scope).sort();
    // granting ended under another rerun token: this run is a new restore, so its grant stays
    expect(scopes).toEqual([server("targetossserver"), server("targetossserver95")]);
    expect(registrations.find((r) => r.name === "granted-before")!.inputs.grants).toBeUndefined();
  });
});
