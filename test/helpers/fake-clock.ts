import type { AbortSignalLike } from "@azure/abort-controller";
import type { Clock } from "../../client/jobs";

/**
 * Virtual time for code that waits on a Clock: a sleep registers a timer, and once every pending
 * promise has settled (the next macrotask) time jumps to the earliest timer and fires it. Work that
 * only waits on this clock and on promises runs in order, instantly.
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers: Array<{ at: number; seq: number; fire: () => void }> = [];
  private scheduled = false;

  constructor(start = Date.parse("2026-01-01T00:00:00Z")) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fire: () => resolve() };
      this.timers.push(timer);
      signal?.addEventListener?.("abort", () => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        resolve();
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.tick());
  }

  private tick(): void {
    this.scheduled = false;
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = this.timers.shift();
    if (!next) return;
    this.t = Math.max(this.t, next.at);
    next.fire();
    if (this.timers.length > 0) this.schedule();
  }
}
