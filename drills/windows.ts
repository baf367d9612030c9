import { createHash } from "crypto";
import { durationMs } from "../language/time";

/**
 * A drill's schedule and its draws, as pure functions of the drill's name and the window: the same
 * window gives the same sample and the same random recovery points, on every machine.
 */

/** Where the first window starts when the drill names no `startingFrom`. */
export const DEFAULT_START = "2026-01-01T00:00:00Z";

export interface DrillWindow {
  index: number;
  start: string;
  end: string;
  /** The seed of this window's draws. */
  seed: string;
}

/** The window `nowMs` is in (index 0 from `startingFrom`; a time before the start is in no window). */
export function windowAt(name: string, every: string, startingFrom: string | undefined, nowMs: number): DrillWindow | undefined {
  const length = durationMs(every);
  const start = Date.parse(startingFrom ?? DEFAULT_START);
  if (!length || Number.isNaN(start) || nowMs < start) return undefined;
  const index = Math.floor((nowMs - start) / length);
  return {
    index,
    start: new Date(start + index * length).toISOString(),
    end: new Date(start + (index + 1) * length).toISOString(),
    seed: createHash("sha256").update(`${name}|${index}`).digest("hex").slice(0, 16),
  };
}

/** A deterministic stream of numbers in [0, 1) from a seed (mulberry32 over the seed's hash). */
export function random(seed: string): () => number {
  let state = createHash("sha256").update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` of `items` at random (without replacement), the choice a function of the seed and of the items' order. */
export function sample<T>(items: readonly T[], count: number, seed: string): T[] {
  const pool = [...items];
  const next = random(seed);
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
  return out;
}

/** One of `points` at random among those at most `withinMs` old at `nowMs`; undefined when there is none. */
export function randomPointWithin<T extends { timeMs: number }>(points: readonly T[], withinMs: number, nowMs: number, seed: string): T | undefined {
  const eligible = points.filter((p) => p.timeMs <= nowMs && nowMs - p.timeMs <= withinMs).sort((a, b) => a.timeMs - b.timeMs);
  return sample(eligible, 1, seed)[0];
}
