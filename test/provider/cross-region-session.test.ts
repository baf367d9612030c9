import { describe, expect, it } from "vitest";
import type { AzureBackupRecoveryPointResource } from "../../api/types";
import { inputs, session, SUBSCRIPTION } from "../helpers/session-setup";

/**
 * A restore from the secondary region in the session, on the fake API: the PostgreSQL example (its
 * instance in westus, so the secondary region is eastus) with `fromSecondaryRegion: true`.
 */
const POINT = "eb006fde78cb47198be5a320fbe45e9b";
const point: AzureBackupRecoveryPointResource = { name: POINT, properties: { objectType: "AzureBackupDiscreteRecoveryPoint", recoveryPointId: POINT, recoveryPointTime: "2021-10-21T16:31:16Z", recoveryPointDataStoresDetails: [{ type: "VaultStore", visible: true }] } };
const LOCATION = `/subscriptions/${SUBSCRIPTION}/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/locations/eastus`;
const crr = () => inputs("empdb11-as-database", (spec) => (spec.spec.fromSecondaryRegion = true));

describe("a restore from the secondary region, without the host", () => {
  it("reads the secondary region's points, validates, triggers and follows its job there, and records where", async () => {
    const { api, session: s } = session();
    api.secondaryRecoveryPoints = [point];
    expect((await s.check({}, crr())).failures).toEqual([]);
    const { outs } = await s.create(crr());
    expect(outs).toMatchObject({ phase: "ended", status: "Completed", crossRegion: { locationPath: LOCATION, sourceRegion: "westus", targetRegion: "eastus" } });
    const ops = api.calls.map((c) => c.op);
    expect(ops).toEqual(expect.arrayContaining(["fetchSecondaryRecoveryPoints", "validateCrossRegionRestore", "fetchCrossRegionRestoreJobs", "crossRegionRestore", "fetchCrossRegionRestoreJob"]));
    for (const primary of ["listRecoveryPoints", "getRecoveryPoint", "validateRestore", "restore", "getJob", "listJobs"]) expect(ops, primary).not.toContain(primary);
    expect(api.calls.find((c) => c.op === "fetchSecondaryRecoveryPoints")!.target).toBe(LOCATION);
    // refresh reads the job where it ran
    const before = api.count("fetchCrossRegionRestoreJob");
    await s.read(outs.jobId, outs);
    expect(api.count("fetchCrossRegionRestoreJob")).toBe(before + 1);
    expect(api.count("getJob")).toBe(0);
  });

  it("refuses a point the secondary region does not have yet, naming it, though the primary has it", async () => {
    const { api, session: s } = session();
    api.recoveryPoints = [point];
    const { failures } = await s.check({}, crr());
    expect(failures).toHaveLength(1);
    expect(failures[0].reason).toContain(POINT);
    expect(api.count("validateCrossRegionRestore")).toBe(0);
  });

  it("adopts a job it started before a crash from the secondary region's job list", async () => {
    const { api, clock, session: s } = session();
    api.secondaryRecoveryPoints = [point];
    const request = { objectType: "AzureBackupRecoveryPointBasedRestoreRequest" as const, recoveryPointId: POINT, sourceDataStoreType: "VaultStore" as const, restoreTargetInfo: { objectType: "RestoreTargetInfo" as const, recoveryOption: "FailIfExists", datasourceInfo: { datasourceType: "x", objectType: "Datasource", resourceID: "x" } } };
    const address = { subscriptionId: SUBSCRIPTION, resourceGroup: "testBkpVaultRG", vault: "testBkpVault", name: "testpostgresql-empdb11-aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e" };
    const target = `/subscriptions/${SUBSCRIPTION}/resourceGroups/targetrg/providers/Microsoft.DBforPostgreSQL/servers/targetossserver/databases/emprestored21`;
    const lost = api.addCrossRegionJob(address, request, target, clock.now() - 60_000);
    const { outs } = await s.create(crr());
    expect(outs).toMatchObject({ adopted: true, jobId: lost.id, status: "Completed" });
    expect(api.count("crossRegionRestore")).toBe(0);
  });
});
