import { afterEach, describe, expect, test } from "vitest";
import type { AzureBackupJobResource, OperationResource } from "../../api/types";
import { VirtualClock } from "../../emulator/clock";
import { formatDateTime, formatDuration, parseDateTime, parseDuration } from "../../emulator/format";
import type { RunningEmulator } from "../../emulator/server";
import { BLOB_ACCOUNT, BLOB_BI, call, startTestEmulator } from "./helpers";

/** Virtual time: durations from the world, --time-scale, manual advances. */

describe("VirtualClock", () => {
  test("virtual time = start + real elapsed × timeScale + advances", () => {
    let real = 1_000_000;
    const clock = new VirtualClock({ startMs: Date.parse("2021-07-08T20:44:19Z"), timeScale: 60, realNow: () => real });
    expect(new Date(clock.now()).toISOString()).toBe("2021-07-08T20:44:19.000Z");
    real += 1000;
    expect(new Date(clock.now()).toISOString()).toBe("2021-07-08T20:45:19.000Z");
    clock.advance(30);
    expect(new Date(clock.now()).toISOString()).toBe("2021-07-08T20:45:49.000Z");
    expect(clock.state().advancedSeconds).toBe(30);
    expect(clock.realSeconds(30)).toBe(1);
    expect(clock.realSeconds(600)).toBe(10);
    clock.reset(0);
    expect(clock.now()).toBe(0);
    expect(() => clock.advance(-1)).toThrow();
    expect(() => new VirtualClock({ timeScale: 0 })).toThrow();
  });
});

describe("formats", () => {
  test("durations and date-times as the service writes them", () => {
    expect(parseDuration("PT4M16.2830187S")).toBe(256_283);
    expect(formatDuration(256_283)).toBe("PT4M16.283S");
    expect(formatDuration(0)).toBe("PT0S");
    expect(formatDuration(90_061_000)).toBe("P1DT1H1M1S");
    expect(parseDuration("P15D")).toBe(15 * 86_400_000);
    expect(parseDuration("15 days")).toBeUndefined();
    expect(formatDateTime(Date.parse("2021-07-08T20:46:56Z"))).toBe("2021-07-08T20:46:56Z");
    expect(formatDateTime(Date.parse("2021-07-08T20:44:19.5Z"))).toBe("2021-07-08T20:44:19.5Z");
    expect(parseDateTime("2021-07-08T00:00:00.0000000Z")).toBe(Date.parse("2021-07-08T00:00:00Z"));
    expect(parseDateTime("07/08/2021")).toBeUndefined();
  });
});

describe("emulator time", () => {
  const running: RunningEmulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.stop()));
  });

  const body = {
    objectType: "AzureBackupRecoveryTimeBasedRestoreRequest",
    sourceDataStoreType: "OperationalStore",
    recoveryPointTime: "2021-07-08T00:00:00Z",
    restoreTargetInfo: { objectType: "RestoreTargetInfo", recoveryOption: "FailIfExists", datasourceInfo: { objectType: "Datasource", datasourceType: "Microsoft.Storage/storageAccounts/blobServices", resourceID: BLOB_ACCOUNT } },
  };

  test("--time-scale divides Retry-After (at least 1 s)", async () => {
    const emu = await startTestEmulator({ timeScale: 10 });
    running.push(emu);
    const validate = await call(emu, "POST", `${BLOB_BI}/validateRestore?api-version=2021-01-01`, { body: { restoreRequestObject: body } });
    expect(validate.headers["retry-after"]).toBe("1");
    const restore = await call(emu, "POST", `${BLOB_BI}/restore?api-version=2021-01-01`, { body });
    expect(restore.headers["retry-after"]).toBe("3");
    const results = await call(emu, "GET", String(restore.headers.location));
    expect([200, 202]).toContain(results.status);
  });

  test("with a large --time-scale a restore job finishes without advancing the clock", async () => {
    const emu = await startTestEmulator({ timeScale: 100_000 });
    running.push(emu);
    const restore = await call(emu, "POST", `${BLOB_BI}/restore?api-version=2021-01-01`, { body });
    let status: OperationResource | undefined;
    for (let i = 0; i < 200 && status?.status !== "Succeeded"; i++) {
      status = (await call<OperationResource>(emu, "GET", String(restore.headers["azure-asyncoperation"]))).body;
      if (status.status !== "Succeeded") await new Promise((r) => setTimeout(r, 5));
    }
    let job: AzureBackupJobResource | undefined;
    for (let i = 0; i < 200 && job?.properties?.status !== "Completed"; i++) {
      job = (await call<AzureBackupJobResource>(emu, "GET", `${status?.properties?.jobId}?api-version=2021-01-01`)).body;
      if (job.properties?.status !== "Completed") await new Promise((r) => setTimeout(r, 5));
    }
    expect(job?.properties?.status).toBe("Completed");
    expect(job?.properties?.duration).toBe("PT4M16.2830187S");
  });

  test("the world's startTime sets the virtual clock", async () => {
    const emu = await startTestEmulator();
    running.push(emu);
    emu.control.loadWorld({ settings: { startTime: "2021-07-08T20:46:52Z" }, subscriptions: [] });
    expect(emu.control.clock().now.slice(0, 16)).toBe("2021-07-08T20:46");
  });
});
