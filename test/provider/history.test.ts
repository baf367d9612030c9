import { describe, expect, it } from "vitest";
import type { RestoreOutputs } from "../../providers/restore-state";
import { inputs, session } from "../helpers/session-setup";

/**
 * A stack keeps every restore it ever ran. A later preview or up must not pay for them: Check, Diff and
 * an Update of an ended restore are answered from its record, without a single call to Azure.
 */
describe("ended restores in a later run", () => {
  const names = ["msblob-all-20210708", "msblob-ranges-20210708", "empdb11-as-files"];

  async function ended(): Promise<Array<{ name: string; outs: RestoreOutputs }>> {
    const { api, session: s } = session();
    api.recoveryPoints = [{ name: "rp1", id: "rp1", properties: { objectType: "AzureBackupDiscreteRecoveryPoint", recoveryPointId: "rp1", recoveryPointTime: "2021-10-21T16:31:16Z", recoveryPointDataStoresDetails: [{ type: "VaultStore", visible: true }] } }];
    const done: Array<{ name: string; outs: RestoreOutputs }> = [];
    for (const name of names) {
      const r = await s.create(inputs(name)).catch((e: { properties?: RestoreOutputs }) => ({ outs: e.properties }));
      if (r.outs?.phase === "ended") done.push({ name, outs: r.outs });
    }
    return done;
  }

  it("check, diff and a metadata update make no API call", async () => {
    const records = await ended();
    expect(records.length).toBe(names.length);
    const { api, session: next } = session();
    for (const { name, outs } of records) {
      const news = inputs(name);
      expect((await next.check(outs, news)).failures).toEqual([]);
      expect(next.diff(outs, news)).toEqual({ changes: false, replaces: [] });
      const edited = inputs(name, (spec) => (spec.metadata.ticket = "CHG-9999"));
      expect((await next.check(outs, edited)).failures).toEqual([]);
      expect(next.diff(outs, edited).replaces).toEqual([]);
      const { outs: updated } = await next.update(outs.jobId, outs, edited);
      expect(updated).toMatchObject({ phase: "ended", status: outs.status, jobId: outs.jobId });
    }
    expect(api.calls).toEqual([]);
  });
});
