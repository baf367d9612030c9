/**
 * The job follower's schedule: polls line up on an expected duration, a similar job's end prompts one
 * early look, and without an expectation the wait grows to its cap. The job here is a scripted one
 * (InProgress until a set moment) so the test can say exactly when each poll came; the follower against
 * the emulator is in client.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { AzureBackupJobResource } from "../../api/types";
import { followRestoreJob, JobTimings, nextPollDelay } from "../../client";
import { jobRanMs } from "../../client/jobs";
import { serviceRanMs } from "../../client/job-timings";

/** A job that ends `endsAfterMs` after creation, recording when it was polled. */
function scriptedJob(endsAfterMs: number) {
  const start = Date.now();
  const polls: number[] = [];
  return {
    polls,
    start,
    client: {
      async getJob(): Promise<AzureBackupJobResource> {
        const at = Date.now() - start;
        polls.push(at);
        return { id: "job", properties: { status: at >= endsAfterMs ? "Completed" : "InProgress" } as AzureBackupJobResource["properties"] };
      },
    },
  };
}

const kind = { kind: "BlobRestore|RestoreTargetInfo|OperationalStore|storageAccount", backupInstanceId: "/bi/one" };

describe("nextPollDelay", () => {
  it("lines polls up on the expected end, never waiting longer than the cap", () => {
    expect(nextPollDelay(0, 15_000, 60_000, 250_000)).toBe(10_000);
    expect(nextPollDelay(10_000, 15_000, 60_000, 250_000)).toBe(60_000);
    expect(nextPollDelay(190_000, 15_000, 60_000, 250_000)).toBe(60_000);
    expect(nextPollDelay(249_500, 15_000, 60_000, 250_000)).toBe(500);
  });

  it("without an expectation, or past it, waits the jittered interval up to the cap", () => {
    expect(nextPollDelay(0, 15_000, 60_000, undefined)).toBe(15_000);
    expect(nextPollDelay(0, 15_000, 60_000, undefined, 1.25)).toBe(18_750);
    expect(nextPollDelay(0, 50_000, 60_000, undefined, 1.25)).toBe(60_000);
    expect(nextPollDelay(300_000, 15_000, 60_000, 250_000, 0.75)).toBe(11_250);
  });
});

describe("followRestoreJob with timings", () => {
  it("polls at the expected end, not at the growing interval", async () => {
    const timings = new JobTimings();
    timings.record(kind, 400);
    const job = scriptedJob(400);
    const followed = await followRestoreJob(job.client, "job", { initialIntervalMs: 250, maxIntervalMs: 300, startedAt: job.start, hint: timings.hint(kind), random: () => 0.5 });
    expect(followed.outcome).toBe("succeeded");
    // At once, then 100 ms (300 back from 400), then at 400: three polls, the last one sees the end.
    expect(followed.polls).toBe(3);
    expect(job.polls[1]).toBeGreaterThanOrEqual(100);
    expect(job.polls[1]).toBeLessThan(300);
    expect(job.polls[2]).toBeGreaterThanOrEqual(400);
    expect(job.polls[2]).toBeLessThan(650);
  });

  it("a similar job's end cuts the wait once; past the expectation it backs off", async () => {
    const timings = new JobTimings();
    const job = scriptedJob(550);
    const following = followRestoreJob(job.client, "job", { initialIntervalMs: 200, maxIntervalMs: 5000, backoff: 10, startedAt: job.start, hint: timings.hint(kind), random: () => 0.5 });
    // Polls at 0 and 200; the next would come at 2200 (interval x10).
    await new Promise((resolve) => setTimeout(resolve, 400));
    timings.record({ ...kind, backupInstanceId: "/bi/other" }, 300);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Woken at ~400 (past the sibling's 300): one look, then overdue with the wait from 200 growing.
    timings.record({ ...kind, backupInstanceId: "/bi/third" }, 350);
    timings.record({ ...kind, backupInstanceId: "/bi/fourth" }, 320);
    const followed = await following;
    expect(followed.outcome).toBe("succeeded");
    expect(job.polls).toHaveLength(4);
    expect(job.polls[2]).toBeGreaterThanOrEqual(400);
    expect(job.polls[2]).toBeLessThan(600);
    expect(job.polls[3]).toBeGreaterThanOrEqual(job.polls[2] + 200);
  });

  it("without timings, waits grow to the cap and are spread by the jitter", async () => {
    const job = scriptedJob(350);
    const followed = await followRestoreJob(job.client, "job", { initialIntervalMs: 100, maxIntervalMs: 150, backoff: 2, random: () => 0 });
    expect(followed.outcome).toBe("succeeded");
    // Waits of 75 (100 x 0.75), then 150 x 0.75 = 112.5 each: polls at ~0, 75, 188, 300, 413.
    const gaps = job.polls.slice(1).map((at, i) => at - job.polls[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(74);
    expect(gaps.slice(1).every((g) => g >= 111)).toBe(true);
    expect(followed.polls).toBe(5);
  });

  it("keeps the last duration per backup instance and the median per kind", () => {
    const timings = new JobTimings();
    timings.record({ ...kind, backupInstanceId: "/bi/a" }, 100);
    timings.record({ ...kind, backupInstanceId: "/bi/b" }, 300);
    timings.record({ ...kind, backupInstanceId: "/bi/c" }, 200);
    expect(timings.expectedMs({ ...kind, backupInstanceId: "/BI/B" })).toBe(300);
    expect(timings.expectedMs({ ...kind, backupInstanceId: "/bi/new" })).toBe(200);
    expect(timings.expectedMs({ kind: "PostgreSQLRestore|RestoreTargetInfo|VaultStore|other", backupInstanceId: "/bi/a" })).toBeUndefined();
  });
});

describe("learning a kind's duration", () => {
  it("the first follower of a kind learns; the others wait for it, and learn in its place when it stops", () => {
    const timings = new JobTimings();
    const first = timings.hint(kind);
    const second = timings.hint({ ...kind, backupInstanceId: "/bi/two" });
    const third = timings.hint({ ...kind, backupInstanceId: "/bi/three" });
    expect([first.othersLearning(), second.othersLearning(), third.othersLearning()]).toEqual([false, true, true]);
    let woken = 0;
    second.onChange(() => (woken += 1));
    first.release();
    expect(woken).toBe(1);
    expect([second.othersLearning(), third.othersLearning()]).toEqual([false, true]);
    timings.record({ ...kind, backupInstanceId: "/bi/two" }, 500);
    expect(woken).toBe(2);
    // Once a duration is known nobody waits for another: the expectation applies.
    expect(third.othersLearning()).toBe(false);
    expect(third.expectedMs()).toBe(500);
    expect(third.precise()).toBe(false);
    expect(timings.hint({ ...kind, backupInstanceId: "/bi/two" }).precise()).toBe(true);
  });

  it("a follower waiting for the one learning polls at its cap, and at once when woken past the learnt end", async () => {
    const timings = new JobTimings();
    const learner = timings.hint({ ...kind, backupInstanceId: "/bi/learner" });
    const job = scriptedJob(300);
    const following = followRestoreJob(job.client, "job", { initialIntervalMs: 50, maxIntervalMs: 1000, startedAt: job.start, hint: timings.hint(kind), random: () => 0.5 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Only the first look so far: the growing 50 ms schedule would have polled five times.
    expect(job.polls).toHaveLength(1);
    timings.record({ ...kind, backupInstanceId: "/bi/learner" }, 310);
    learner.release();
    const followed = await following;
    expect(followed.outcome).toBe("succeeded");
    expect(job.polls).toHaveLength(2);
    expect(job.polls[1]).toBeLessThan(550);
  });

  it("a job others wait for is looked at closely from the shortest run of its kind", async () => {
    const timings = new JobTimings();
    timings.record({ ...kind, backupInstanceId: "/bi/other" }, 800);
    timings.record({ ...kind, backupInstanceId: "/bi/short" }, 600);
    timings.record({ ...kind, backupInstanceId: "/bi/long" }, 1000);
    const job = scriptedJob(450);
    const followed = await followRestoreJob(job.client, "job", { initialIntervalMs: 60, maxIntervalMs: 1000, startedAt: job.start, hint: timings.hint(kind), waitedOn: () => true, random: () => 0.5 });
    expect(followed.outcome).toBe("succeeded");
    // At once, at 600 (the shortest of the kind) and done: without waitedOn the second look would be at 800, the median.
    expect(job.polls).toHaveLength(2);
    expect(job.polls[1]).toBeGreaterThanOrEqual(600);
    expect(job.polls[1]).toBeLessThan(760);
  });

  it("the service's own duration, on this clock, bounded by what was observed", () => {
    expect(serviceRanMs("2026-01-01T00:00:00.000Z", "2026-01-01T00:04:16.000Z")).toBe(257_000);
    // The emulator at time scale 10 reports ten times the time that passed here.
    expect(serviceRanMs("2026-01-01T00:00:00.000Z", "2026-01-01T00:04:16.000Z", 10)).toBe(25_700);
    expect(serviceRanMs("2026-01-01T00:00:00.000Z", null)).toBeUndefined();
    expect(serviceRanMs("2026-01-01T00:00:00.000Z", "9999-12-31T23:59:59.9999999Z")).toBeUndefined();
    const job = { id: "job", properties: { status: "Completed", startTime: "2026-01-01T00:00:00Z", endTime: "2026-01-01T00:01:00Z" } } as unknown as AzureBackupJobResource;
    expect(jobRanMs(job, 90_000)).toBe(61_000);
    // A clock moved by hand (the emulator's advance) says more than could have passed: the observation bounds it.
    expect(jobRanMs(job, 2_000)).toBe(2_000);
  });
});

describe("the operation poll schedule without Retry-After", () => {
  it("grows by half from the first wait to the cap, spread by the jitter factor", async () => {
    const { operationPollDelay } = await import("../../client/lro");
    expect([0, 1, 2, 3, 10].map((n) => operationPollDelay(n, 2000, 30_000))).toEqual([2000, 3000, 4500, 6750, 30_000]);
    expect(operationPollDelay(1, 2000, 30_000, 0.8)).toBeCloseTo(2400);
  });
});
