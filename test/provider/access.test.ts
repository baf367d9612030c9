import { describe, expect, it } from "vitest";
import { grantOf } from "../../access";
import { ROLES } from "../../api/roles";
import { ProblemError } from "../../errors/problem";
import { inputs, session, SUBSCRIPTION } from "../helpers/session-setup";

/**
 * The session's access check (access/) on the fake API: the PostgreSQL restore as a database
 * (restores/empdb11-as-database.yaml) needs the vault's identity to be Reader on the target server
 * (kinds/postgresql.ts).
 */
const TARGET_RG = `/subscriptions/${SUBSCRIPTION}/resourceGroups/targetrg`;
const SERVER = `${TARGET_RG}/providers/Microsoft.DBforPostgreSQL/servers/targetossserver`;
const VAULT = { subscriptionId: SUBSCRIPTION, resourceGroup: "testBkpVaultRG", vault: "testBkpVault" };
const POINT = "eb006fde78cb47198be5a320fbe45e9b";
/** The grant the program declares for the example's one need. */
const READER_GRANT = grantOf({ role: ROLES.reader, scope: SERVER, scopeName: "the target server", identity: { of: "vault" }, source: "" }, VAULT);

function withoutRoles() {
  const s = session();
  s.api.holdsEveryRole = false;
  s.api.recoveryPoints = [{ name: POINT, properties: { objectType: "AzureBackupDiscreteRecoveryPoint", recoveryPointId: POINT, recoveryPointTime: "2021-10-21T16:31:16Z", recoveryPointDataStoresDetails: [{ type: "VaultStore", visible: true }] } }];
  return s;
}

type Api = ReturnType<typeof withoutRoles>["api"];

const assignment = (roleId: string, scope: string, principalId: string, extra: Record<string, unknown> = {}) => ({
  id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${roleId}`,
  name: roleId,
  properties: { roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`, principalId, scope, ...extra },
});

const customRole = (api: Api, id: string, permissions: Array<{ actions: string[]; notActions: string[] }>) =>
  api.customRoles.push({ id: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${id}`, name: id, properties: { roleName: `custom ${id}`, type: "CustomRole", permissions } });

const granting = () => inputs("empdb11-as-database", (spec) => (spec.spec.access = "grant"));

describe("the roles a restore needs, checked in preview", () => {
  it("fails a restore whose vault identity lacks the role, naming identity, role, scope and the fix", async () => {
    const { api, session: s } = withoutRoles();
    const { failures } = await s.check({}, inputs("empdb11-as-database"));
    expect(failures).toHaveLength(1);
    const reason = failures[0].reason;
    expect(reason).toContain(`the Backup vault testBkpVault's system identity (principal ${api.vaultPrincipalId})`);
    expect(reason).toContain(`Reader (${ROLES.reader.id}) on the target server ${SERVER}`);
    expect(reason).toContain("set spec.access: grant");
    expect(reason).toContain(`az role assignment create --assignee-object-id ${api.vaultPrincipalId} --assignee-principal-type ServicePrincipal --role ${ROLES.reader.id} --scope ${SERVER}`);
    expect(api.count("validateRestore")).toBe(0);
  });

  it("accepts the role inherited from the resource group, and any role that grants as much (Owner, a custom role)", async () => {
    const setups: Array<[string, (api: Api) => void]> = [
      ["Reader on the resource group", (api) => api.assignments.push(assignment(ROLES.reader.id, TARGET_RG, api.vaultPrincipalId))],
      ["Owner on the subscription", (api) => api.assignments.push(assignment(ROLES.owner.id, `/subscriptions/${SUBSCRIPTION}`, api.vaultPrincipalId))],
      [
        "a custom role with the read actions",
        (api) => {
          customRole(api, "0c0ffee0-0000-4000-8000-00000000c0de", [{ actions: ["*/read"], notActions: [] }]);
          api.assignments.push(assignment("0c0ffee0-0000-4000-8000-00000000c0de", TARGET_RG, api.vaultPrincipalId));
        },
      ],
    ];
    for (const [label, setup] of setups) {
      const { api, session: s } = withoutRoles();
      setup(api);
      expect((await s.check({}, inputs("empdb11-as-database"))).failures, label).toEqual([]);
    }
  });

  it("does not count a role that takes the needed action away, another principal's role, or one assigned on another resource", async () => {
    const { api, session: s } = withoutRoles();
    customRole(api, "0c0ffee0-0000-4000-8000-0000000000ff", [{ actions: ["*"], notActions: ["Microsoft.DBforPostgreSQL/*"] }]);
    api.assignments.push(
      assignment("0c0ffee0-0000-4000-8000-0000000000ff", `/subscriptions/${SUBSCRIPTION}`, api.vaultPrincipalId),
      assignment(ROLES.reader.id, `/subscriptions/${SUBSCRIPTION}`, "someone-else"),
      assignment(ROLES.reader.id, `${SERVER}2`, api.vaultPrincipalId),
    );
    const { failures } = await s.check({}, inputs("empdb11-as-database"));
    expect(failures).toHaveLength(1);
    expect(failures[0].reason).toContain("holds no role granting Reader");
  });

  it("reads a principal's assignments once per subscription, and at the scope itself when the subscription is not readable", async () => {
    const { api, session: s } = withoutRoles();
    api.assignments.push(assignment(ROLES.reader.id, TARGET_RG, api.vaultPrincipalId));
    expect((await s.check({}, inputs("empdb11-as-database"))).failures).toEqual([]);
    expect(api.calls.filter((c) => c.op === "listRoleAssignments").map((c) => c.target)).toEqual([`/subscriptions/${SUBSCRIPTION}`]);

    const narrow = withoutRoles();
    narrow.api.assignmentsDenied = (scope) => scope === `/subscriptions/${SUBSCRIPTION}`;
    narrow.api.assignments.push(assignment(ROLES.reader.id, TARGET_RG, narrow.api.vaultPrincipalId));
    expect((await narrow.session.check({}, inputs("empdb11-as-database"))).failures).toEqual([]);
    expect(narrow.api.calls.filter((c) => c.op === "listRoleAssignments").map((c) => c.target)).toEqual([`/subscriptions/${SUBSCRIPTION}`, SERVER]);
    expect(narrow.warnings).toEqual([]);
  });

  it("warns instead of failing when the caller may not read role assignments, and when a role holds only under a condition", async () => {
    const denied = withoutRoles();
    denied.api.assignmentsDenied = true;
    expect((await denied.session.check({}, inputs("empdb11-as-database"))).failures).toEqual([]);
    const warning = denied.warnings.find((w) => w.code === "AccessNotChecked");
    expect(warning?.message).toContain("could not be read (AuthorizationFailed");

    const conditional = withoutRoles();
    conditional.api.assignments.push(assignment(ROLES.reader.id, `/subscriptions/${SUBSCRIPTION}`, conditional.api.vaultPrincipalId, { condition: "@Resource[x] StringEquals 'y'", conditionVersion: "2.0" }));
    expect((await conditional.session.check({}, inputs("empdb11-as-database"))).failures).toEqual([]);
    expect(conditional.warnings.map((w) => w.message).join("\n")).toContain("only under a condition");
  });

  it("lets a missing role pass when the run grants it, and takes validateRestore's permission error as expected then", async () => {
    const { api, clock, session: s, warnings } = withoutRoles();
    api.denial = { code: "UserErrorMSIMissingPermissions", until: clock.now() + 3_600_000 };
    expect((await s.check({}, { ...granting(), grants: [READER_GRANT] })).failures).toEqual([]);
    expect(warnings.map((w) => w.message).join("\n")).toContain("validateRestore fails until the roles this run grants are in place");
    expect((await withoutRoles().session.check({}, granting())).failures).toHaveLength(1);
  });
});

describe("a restore whose roles this run granted", () => {
  it("retries the service's permission error while the grant propagates, records it, and completes", async () => {
    const { api, clock, session: s, warnings } = withoutRoles();
    api.denial = { code: "UserErrorMSIMissingPermissions", until: clock.now() + 100_000 };
    const { outs } = await s.create({ ...granting(), grants: [READER_GRANT] });
    expect(outs).toMatchObject({ phase: "ended", status: "Completed" });
    expect(api.count("validateRestore")).toBeGreaterThan(2);
    expect(outs.access?.propagationRetries).toBe(api.count("validateRestore") - 1);
    expect(outs.access?.needs[0]).toMatchObject({ role: "Reader", scope: SERVER, state: "missing", principalId: api.vaultPrincipalId, grantedBy: READER_GRANT.roleAssignmentName });
    expect(warnings.filter((w) => w.code === "AccessPropagating")).toHaveLength(outs.access!.propagationRetries!);
  });

  it("gives up once grantPropagation has passed, and never retries a restore that granted nothing", async () => {
    const bounded = withoutRoles();
    bounded.api.denial = { code: "UserErrorMSIMissingPermissions", until: bounded.clock.now() + 3_600_000 };
    const started = bounded.clock.now();
    await expect(bounded.session.create({ ...granting(), grants: [READER_GRANT] })).rejects.toBeInstanceOf(ProblemError);
    expect(bounded.clock.now() - started).toBeLessThanOrEqual(600_000);

    const plain = withoutRoles();
    plain.api.holdsEveryRole = true;
    plain.api.denial = { code: "UserErrorMSIMissingPermissions", until: plain.clock.now() + 3_600_000 };
    await expect(plain.session.create(inputs("empdb11-as-database"))).rejects.toThrow(/UserErrorMSIMissingPermissions/);
    expect(plain.api.count("validateRestore")).toBe(1);
  });
});
