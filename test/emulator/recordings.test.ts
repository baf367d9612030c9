import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../emulator/server";
import { startTestEmulator } from "./helpers";
import { loadRecording } from "./replay/recording";
import { replay, type Allowances } from "./replay/replay";
import { worldFromRecording } from "./replay/world";

/**
 * Azure's own answers as tests: the restore-path exchanges of the Azure CLI's recorded live tests
 * (test/fixtures/recordings), replayed literally at their own api-versions against an emulator holding
 * the world each recording needs. Every difference from what Azure answered fails the test.
 */
const RECORDINGS: Array<{ name: string; allow?: Allowances; noRestorePath?: string }> = [
  { name: "backup_instance_restore_blob_point_in_time" },
  { name: "backup_instance_restore_blob_recovery_point" },
  { name: "backup_instance_restore_blob" },
  { name: "backup_and_restore_oss" },
  { name: "restorable_time_range_find" },
  { name: "job_list_and_show" },
  { name: "recovery_point_list" },
  {
    name: "backup_instance_restore_disk",
    allow: {
      "#11 azure-asyncoperation":
        "one of Azure's three identical job GETs (#11) carries an Azure-AsyncOperation header naming an operation no call of the cassette started (it is spliced from two runs); a job GET starts no operation",
    },
  },
  { name: "backup_and_restore_mysql" },
  { name: "backup_instance_restore_adls_recovery_point" },
  { name: "backup_instance_ilr_restore_adls_recovery_point" },
  { name: "backup_and_restore_aks" },
  { name: "backup_and_restore_esan" },
  { name: "cross_region_restore" },
  { name: "backup_and_restore_cosmosdb", noRestorePath: "the cassette ends before any restore: it deletes the instance and validates a backup, calls the emulator does not serve" },
];

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

describe("Azure's recorded exchanges replay against the emulator", () => {
  for (const { name, allow, noRestorePath } of RECORDINGS) {
    it(name, async () => {
      const recording = loadRecording(name);
      recording.world = worldFromRecording(recording);
      emu.control.loadWorld(recording.world as ReturnType<typeof worldFromRecording>);
      emu.control.clearFaults();
      const result = await replay(emu, recording, allow);
      if (noRestorePath) expect(result.replayed, noRestorePath).toEqual([]);
      else expect(result.replayed.length, "no restore-path exchange was replayed").toBeGreaterThan(0);
      expect(result.differences).toEqual([]);
    });
  }
});
