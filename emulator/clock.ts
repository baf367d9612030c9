/**
 * Virtual time of the emulator: `start + real elapsed × timeScale + manual advances`. Operations and jobs
 * compare their deadlines with `now()` when they are read, so advancing the clock finishes work at once
 * and no timers run.
 */
export interface ClockOptions {
  /** Virtual time at start, epoch ms (default: real now). */
  startMs?: number;
  /** Virtual seconds per real second (default 1). */
  timeScale?: number;
  /** Source of real time (tests). */
  realNow?: () => number;
}

export interface ClockState {
  now: string;
  nowMs: number;
  timeScale: number;
  advancedSeconds: number;
}

export class VirtualClock {
  private readonly realNow: () => number;
  private realStart: number;
  private startMs: number;
  private advancedMs = 0;
  readonly timeScale: number;

  constructor(options: ClockOptions = {}) {
    this.realNow = options.realNow ?? Date.now;
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0) || !Number.isFinite(this.timeScale)) throw new Error(`time scale must be a positive number, got ${String(options.timeScale)}`);
    this.realStart = this.realNow();
    this.startMs = options.startMs ?? this.realStart;
  }

  /** Virtual now, epoch ms (whole milliseconds). */
  now(): number {
    return Math.floor(this.startMs + (this.realNow() - this.realStart) * this.timeScale + this.advancedMs);
  }

  /** Moves virtual time forward by `seconds` (>= 0). */
  advance(seconds: number): void {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new Error(`seconds must be a non-negative number, got ${String(seconds)}`);
    this.advancedMs += seconds * 1000;
  }

  /** Restarts virtual time at `startMs` (default: real now), forgetting advances. */
  reset(startMs?: number): void {
    this.realStart = this.realNow();
    this.startMs = startMs ?? this.realStart;
    this.advancedMs = 0;
  }

  /** Real seconds a client should wait for `virtualSeconds` to pass (at least `minimum`). */
  realSeconds(virtualSeconds: number, minimum = 1): number {
    return Math.max(minimum, Math.ceil(virtualSeconds / this.timeScale));
  }

  state(): ClockState {
    const nowMs = this.now();
    return { now: new Date(nowMs).toISOString(), nowMs, timeScale: this.timeScale, advancedSeconds: this.advancedMs / 1000 };
  }
}
