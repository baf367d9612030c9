import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { grantOf } from "../../access";
import { ROLES } from "../../api/roles";
import type { WorldFile } from "../../emulator/world";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { FakeEngine, runProgram, type Registration } from "../../harness/engine";
import { emulatorConfig, startProviderHost, type ProviderHost } from "../../harness/host";
import { loadProgramSpecs } from "../../providers/program";
import { call } from "../emulator/helpers";
import { editedWorld } from "../emulator/kind-helpers";

/**
 * Access through the provider host against the emulator, as `pulumi preview` and `up` meet it: the
 * PostgreSQL example restores into targetossserver, which needs the vault's identity to be Reader on the
 * server (kinds/postgresql.ts); the default world grants it on targetrg, these worlds do not.
 */

const root = path.join(__dirname, "..", "..");
const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
const VAULT_PRINCIPAL = "3c6e8f1a-5b2d-4e7f-9a1c-2d4b6e8f0a13";
const SERVER = `/subscriptions/${SUB}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver`;
const VAULT = { subscriptionId: SUB, resourceGroup: "testBkpVaultRG", vault: "testBkpVault" };
const READER_GRANT = grantOf({ role: ROLES.reader, scope: SERVER, scopeName: "the target server", identity: { of: "vault" }, source: "" }, VAULT);

let emulator: RunningEmulator;
const hosts: ProviderHost[] = [];

const spec = loadProgramSpecs("restores", undefined, root).specs.find((s) => s.spec.metadata.name === "empdb11-as-database")!;
/** The example as the program registers it (with its serialized provider), inputs edited. */
let registered: Registration;
const registration = (inputs: Record<string, unknown> = {}): Registration => JSON.parse(JSON.stringify({ ...registered, inputs: { ...registered.inputs, ...inputs } }));

async function newHost(extra: Record<string, string> = {}): Promise<ProviderHost> {
  const host = await startProviderHost();
  hosts.push(host);
  await host.configure(emulatorConfig(emulator, extra));
  return host;
}

/** The default world without the vault's Reader role on targetrg. */
const withoutReader = (edit: (w: WorldFile) => void = () => undefined) =>
  editedWorld((w) => {
    w.roleAssignments = (w.roleAssignments ?? []).filter((a) => a.role !== "Reader");
    edit(w);
  });

/** The PUT the azure-native provider sends for an `authorization.RoleAssignment` (api-version 2022-04-01; the CLI's is the same, recording update_msi_permissions_disk_61faf6b #4). */
function putAssignment(scope: string, name: string, roleDefinitionId: string): Promise<{ status: number; text: string }> {
  return call(emulator, "PUT", `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`, {
    body: { properties: { principalId: VAULT_PRINCIPAL, principalType: "ServicePrincipal", roleDefinitionId, description: "Granted by azure-restores for a restore; revoked after it ends unless a spec keeps it (spec.access)." } },
  });
}

beforeAll(async () => {
  const run = runProgram({ "azure-restores:specs": "restores" });
  expect(run.error).toBeUndefined();
  registered = run.registrations.find((r) => r.name === "empdb11-as-database")!;
  emulator = await startEmulator({ timeScale: 300, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
});

afterAll(async () => {
  for (const host of hosts) await host.stop().catch(() => undefined);
  await emulator?.stop();
});

beforeEach(() => {
  emulator.control.reset();
});

describe("the restore's roles, through the provider host", () => {
  it("preview fails without the role, naming the identity, the role, the scope and the fix; nothing is validated or started", async () => {
    emulator.control.loadWorld(withoutReader());
    const [step] = await new FakeEngine().preview(await newHost(), [registration()]);
    expect(step.op).toBe("failed");
    const reason = step.failures!.join("\n");
    expect(reason).toContain(`the Backup vault testBkpVault's system identity (principal ${VAULT_PRINCIPAL})`);
    expect(reason).toContain(`Reader (${ROLES.reader.id}) on the target server ${SERVER}`);
    expect(reason).toContain(`az role assignment create --assignee-object-id ${VAULT_PRINCIPAL} --assignee-principal-type ServicePrincipal --role ${ROLES.reader.id} --scope ${SERVER}`);
    expect(emulator.control.requestLog({ route: "validateRestore" })).toHaveLength(0);
  });

  it("with the assignment made by the PUT azure-native sends, preview passes and up completes the restore", async () => {
    emulator.control.loadWorld(withoutReader());
    const put = await putAssignment(SERVER, READER_GRANT.roleAssignmentName, READER_GRANT.roleDefinitionId);
    expect(put.status, put.text).toBe(201);
    const engine = new FakeEngine();
    const [step] = await engine.up(await newHost(), [registration()]);
    expect(step).toMatchObject({ op: "create" });
    const record = engine.state.get("empdb11-as-database")!.outputs as { status: string; access: { needs: Array<Record<string, unknown>> } };
    expect(record.status).toBe("Completed");
    expect(record.access.needs).toEqual([expect.objectContaining({ role: "Reader", scope: SERVER, state: "granted", principalId: VAULT_PRINCIPAL })]);
  });

  it("with a propagation delay, a restore whose grant this run made retries validateRestore, says so, and completes", async () => {
    emulator.control.loadWorld(withoutReader((w) => (w.settings = { ...w.settings, roleAssignmentPropagation: "PT30M" })));
    const host = await newHost();
    const inputs = registration({ grants: [READER_GRANT], spec: { ...spec.spec, spec: { ...spec.spec.spec, access: "grant" } } });
    // preview, before the grant exists: the missing role is the run's to grant
    expect((await new FakeEngine().preview(host, [inputs]))[0].op).toBe("create");
    expect((await putAssignment(SERVER, READER_GRANT.roleAssignmentName, READER_GRANT.roleDefinitionId)).status).toBe(201);
    const engine = new FakeEngine();
    const [step] = await engine.up(host, [inputs]);
    expect(step.op, JSON.stringify(step)).toBe("create");
    const record = engine.state.get("empdb11-as-database")!.outputs as { status: string; access: { propagationRetries?: number } };
    expect(record.status).toBe("Completed");
    expect(record.access.propagationRetries, JSON.stringify(record.access)).toBeGreaterThan(0);
    expect(host.stderr()).toContain("while the roles this run granted propagate");
    // preview's check and up's check validated once each; create then once per retry, and once more
    const validations = emulator.control.requestLog({ route: "validateRestore", method: "POST" });
    expect(validations.length).toBe(2 + record.access.propagationRetries! + 1);
  });

  it("a custom role that grants the needed action passes", async () => {
    const custom = "4e4e4e4e-0000-4000-8000-00000000c0de";
    emulator.control.loadWorld(
      withoutReader((w) => {
        w.roleDefinitions = [{ name: custom, roleName: "PostgreSQL restore reader", permissions: [{ actions: ["Microsoft.DBforPostgreSQL/servers/read"], notActions: [] }] }];
        w.roleAssignments!.push({ scope: `/subscriptions/${SUB}/resourceGroups/targetrg`, role: custom, principalId: VAULT_PRINCIPAL });
      }),
    );
    const engine = new FakeEngine();
    const [step] = await engine.up(await newHost(), [registration()]);
    expect(step.op, JSON.stringify(step)).toBe("create");
    expect((engine.state.get("empdb11-as-database")!.outputs as { status: string }).status).toBe("Completed");
  });

  it("a caller that may not read role assignments gets a warning, not a failure", async () => {
    emulator.control.setFaults([{ kind: "status", route: "listRoleAssignments", status: 403, error: { code: "AuthorizationFailed", message: "The client 'x' with object id 'x' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read'." } }]);
    const host = await newHost();
    const [step] = await new FakeEngine().preview(host, [registration()]);
    expect(step.op).toBe("create");
    expect(host.stderr()).toMatch(/warning: empdb11-as-database: could not check Reader on the target server .*AuthorizationFailed/);
  });
});
