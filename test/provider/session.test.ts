import { describe, expect, it } from "vitest";
import type { AzureBackupRestoreRequest } from "../../api/types";
import { ProblemError } from "../../errors/problem";
import { nextStep, resume } from "../../providers/progress";
import type { RestoreOutputs } from "../../providers/restore-state";
import { inputs, session } from "../helpers/session-setup";

describe("the restore session, without the host", () => {
  it("runs a new restore through planned, validated, triggered and following to ended", async () => {
    const { api, session: s } = session();
    const { id, outs } = await s.create(inputs("msblob-all-20210708"));
    expect(outs).toMatchObject({ phase: "ended", status: "Completed", adopted: false, jobId: id });
    expect(outs.validatedAt).toBeDefined();
    expect(api.calls.map((c) => c.op).filter((op, i, all) => op !== all[i - 1])).toEqual(["getBackupInstance", "getBackupVault", "listRoleAssignments", "getRoleDefinition", "listJobs", "validateRestore", "restore", "getJob"]);
  });

  it("adopts a job this restore started before a crash, instead of validating and triggering again", async () => {
    const { api, clock, session: s } = session();
    const news = inputs("msblob-all-20210708");
    const request: AzureBackupRestoreRequest = { objectType: "AzureBackupRecoveryTimeBasedRestoreRequest", sourceDataStoreType: "OperationalStore", recoveryPointTime: "2021-07-08T00:00:00.0000000Z", restoreTargetInfo: { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", datasourceInfo: { datasourceType: "x", objectType: "Datasource", resourceID: "x" } } };
    const address = { subscriptionId: "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f", resourceGroup: "testBkpVaultRG", vault: "testBkpVault", name: "msblobbackup-f2df34eb-5628-4570-87b2-0331d797c67d" };
    const lost = api.addJob(address, request, "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/RG-BlobBackup/providers/Microsoft.Storage/storageAccounts/msblobbackup", clock.now() - 60_000);
    const { outs } = await s.create(news);
    expect(outs).toMatchObject({ adopted: true, jobId: lost.id, phase: "ended", status: "Completed" });
    // The list shows no source or destination: the candidate was read before it was adopted.
    expect(api.calls.filter((c) => c.op === "getJob" && c.target === lost.id).length).toBeGreaterThan(1);
    expect(api.count("validateRestore")).toBe(0);
    expect(api.count("restore")).toBe(0);
  });

  it("reuses the validation check made in the same run", async () => {
    const { api, session: s } = session();
    const news = inputs("empdb11-as-files");
    api.recoveryPoints = [{ name: "rp1", id: "rp1", properties: { objectType: "AzureBackupDiscreteRecoveryPoint", recoveryPointId: "rp1", recoveryPointTime: "2021-10-21T16:31:16Z", recoveryPointDataStoresDetails: [{ type: "VaultStore", visible: true }] } }];
    expect((await s.check({}, news)).failures).toEqual([]);
    const { outs } = await s.create(news);
    expect(api.count("validateRestore")).toBe(1);
    expect(api.count("getBackupInstance")).toBe(1);
    expect(outs).toMatchObject({ recoveryPointId: "rp1", status: "Completed" });
  });

  it("runs restores to one storage account one after another, others in parallel", async () => {
    const { api, session: s } = session();
    const [a, b] = await Promise.all([s.create(inputs("msblob-all-20210708")), s.create(inputs("msblob-ranges-20210708"))]);
    const ends = [a, b].map((r) => Date.parse(r.outs.endTime!));
    const triggers = api.calls.filter((c) => c.op === "restore").map((c) => c.at);
    expect(triggers).toHaveLength(2);
    expect(triggers[1]).toBeGreaterThanOrEqual(Math.min(...ends));
  });

  it("waits for its own restore on a backup instance the service caps at one, however long the job, and retries once it ends", async () => {
    const { api, session: s } = session();
    api.maxRunningPerInstance = 1;
    api.jobDurationMs = 40 * 60_000;
    api.recoveryPoints = [{ name: "rp1", id: "rp1", properties: { objectType: "AzureBackupDiscreteRecoveryPoint", recoveryPointId: "rp1", recoveryPointTime: "2021-10-21T16:31:16Z", recoveryPointDataStoresDetails: [{ type: "VaultStore", visible: true }] } }];
    const second = inputs("empdb11-as-files", (spec) => {
      spec.metadata.name = "empdb11-as-files-2";
      (spec.spec as { target: { files: { filePrefix: string } } }).target.files.filePrefix = "second";
    });
    const [a, b] = await Promise.all([s.create(inputs("empdb11-as-files")), s.create(second)]);
    expect([a.outs.status, b.outs.status]).toEqual(["Completed", "Completed"]);
    const refused = api.calls.filter((c) => c.op === "restore");
    // Refused while the first job runs (once more if it came before the first trigger's answer), then the
    // retry when the first job was seen to end: no polling of the trigger through the 40 minutes.
    expect(refused.length).toBeLessThanOrEqual(4);
    expect(refused.at(-1)!.at).toBeGreaterThanOrEqual(Math.min(...[a, b].map((r) => Date.parse(r.outs.endTime!))));
  });

  it("learns how long a kind of job takes: the next one is polled at its expected end", async () => {
    const { api, clock, session: s } = session();
    const first = inputs("msblob-all-20210708");
    const again = inputs("msblob-all-20210708", (spec) => (spec.spec.rerun = "2"));
    const polls = (jobId: string) => api.calls.filter((c) => c.op === "getJob" && c.target === jobId);
    const one = await s.create(first);
    const started = clock.now();
    const two = await s.create(again);
    const [firstPolls, secondPolls] = [polls(one.id), polls(two.id)];
    const seenLate = (p: typeof firstPolls, end: string) => p[p.length - 1].at - Date.parse(end);
    expect(secondPolls.length).toBeLessThan(firstPolls.length);
    // The first duration is measured to the poll that saw the end, so the second is seen as late at most.
    expect(seenLate(secondPolls, two.outs.endTime!)).toBeLessThanOrEqual(seenLate(firstPolls, one.outs.endTime!) + 1000);
    expect(clock.now() - started).toBeLessThan(2 * api.jobDurationMs);
  });

  it("a rerun does not adopt the job it supersedes: it triggers a new restore", async () => {
    const { api, session: s } = session();
    const { outs: old } = await s.create(inputs("msblob-all-20210708"));
    const rerun = inputs("msblob-all-20210708", (spec) => (spec.spec.rerun = "again"));
    expect(s.diff(old, rerun).replaces).toEqual(["rerun"]);
    const { outs } = await s.create(rerun);
    expect(outs.adopted).toBe(false);
    expect(outs.jobId).not.toBe(old.jobId);
    expect(api.count("restore")).toBe(2);
  });

  it("an update follows a job that was still running, and never triggers", async () => {
    const { api, session: s } = session();
    api.jobDurationMs = 3 * 3600_000;
    const news = inputs("msblob-all-20210708");
    const failure = await s.create(news).catch((e) => e);
    expect(failure.properties).toMatchObject({ phase: "following", status: "InProgress" });
    const recorded = failure.properties as RestoreOutputs;
    const { outs } = await s.update(recorded.jobId, recorded, inputs("msblob-all-20210708", (spec) => (spec.spec.wait = { timeout: "P1D" })));
    expect(outs).toMatchObject({ phase: "ended", status: "Completed", jobId: recorded.jobId });
    expect(api.count("restore")).toBe(1);
  });

  it("turns a failed call into problems that name the spec's file", async () => {
    const { api, session: s } = session();
    api.validateRestore = async () => {
      throw new (await import("../../client/errors")).DataProtectionError({ code: "UserErrorRestoreToLowerVersion", serviceMessage: "Target server version is lower.", recommendedAction: ["Use a newer server"], statusCode: 400 });
    };
    const failed = await s.create(inputs("msblob-all-20210708")).catch((e) => e);
    expect(failed).toBeInstanceOf(ProblemError);
    expect((failed as ProblemError).problems[0]).toMatchObject({ code: "UserErrorRestoreToLowerVersion", file: "restores/msblob-all-20210708.yaml", remedy: "Use a newer server." });
  });

  it("an AKS job that ends CompletedWithWarnings records each warning with its resource, and does not fail", async () => {
    const { api, session: s } = session();
    // A warning the AKS troubleshooting page lists under "jobs completed with warnings" (azure-kubernetes-service-backup-troubleshoot.md).
    const warning = {
      code: "UserErrorSourceandTargetClusterCRDVersionMismatch",
      message: "The source AKS cluster and Target AKS cluster during restore have different versions of FlowSchema and PriorityLevelConfigurations CRs.",
      recommendedAction: ["Use same cluster version for Target cluster as Source cluster or manually apply the CRs."],
      isUserError: true,
    };
    // The recovery point of the CLI's recorded AKS restore, as its job names it.
    const id = "53528d6e37a4490b80cdb5ef33808f8c";
    api.recoveryPoints = [{ name: id, properties: { objectType: "AzureBackupDiscreteRecoveryPoint", recoveryPointId: id, recoveryPointTime: "2024-05-08T10:37:25.5878926Z", recoveryPointDataStoresDetails: [{ type: "OperationalStore", visible: true }] } }];
    api.endStatus = "CompletedWithWarnings";
    api.endWarnings = [{ resourceName: "clitest-cluster2-donotdelete", warning }, { warning: { code: "UserErrorHookExecutionFailed" } }];
    const { id: jobId, outs } = await s.create(inputs("aks-shop-into-cluster2"));
    expect(outs).toMatchObject({ phase: "ended", status: "CompletedWithWarnings", jobId, recoveryPointId: id, errors: [] });
    expect(outs.warnings).toEqual([
      { resourceName: "clitest-cluster2-donotdelete", code: warning.code, message: warning.message, recommendedAction: warning.recommendedAction },
      { code: "UserErrorHookExecutionFailed", message: "", recommendedAction: [] },
    ]);
    expect(resume(outs).phase).toBe("ended");
    expect((await s.read(jobId, outs)).props.warnings).toEqual(outs.warnings);
  });
});

describe("the next step of a restore", () => {
  const run = { waitOver: false };
  it("is decided by the record alone", () => {
    expect(nextStep({ phase: "planned" }, run)).toEqual({ kind: "findLostJob" });
    expect(nextStep({ phase: "planned", adopted: false }, run)).toEqual({ kind: "validate" });
    expect(nextStep({ phase: "validated", adopted: false }, run)).toEqual({ kind: "trigger" });
    expect(nextStep({ phase: "triggered", jobId: "j" }, run)).toEqual({ kind: "follow", jobId: "j" });
    expect(nextStep({ phase: "following", jobId: "j" }, { waitOver: true })).toEqual({ kind: "done" });
    expect(nextStep({ phase: "ended", jobId: "j" }, run)).toEqual({ kind: "done" });
  });

  it("a later run takes up a record: a success is done, anything else is followed again", () => {
    expect(resume({ jobId: "j", status: "Completed" }).phase).toBe("ended");
    expect(resume({ jobId: "j", status: "Failed", phase: "ended" as const }).phase).toBe("following");
    expect(resume({ jobId: "j", status: "InProgress" }).phase).toBe("following");
  });
});
