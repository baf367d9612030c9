import type { AbortSignalLike } from "@azure/abort-controller";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import { createClientLogger } from "@azure/logger";
import { retryAfterMs } from "./lro";

/**
 * What the client learns from the service's answers to pace itself: ARM's remaining budget, its
 * throttling (a 429 holds back every request of its kind, not only the one refused), and how fast the
 * service's clock runs.
 */

const logger = createClientLogger("azure-restores");

/** What ARM said about its throttling budget on the latest response. */
export interface RateLimitReading {
  remainingReads?: number;
  remainingWrites?: number;
  at: number;
}

export type RequestKind = "read" | "write";

export function requestKind(method: string): RequestKind {
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

/**
 * ARM throttles reads and writes per subscription and principal, and says on each answer how many are
 * left (`x-ms-ratelimit-remaining-subscription-reads|writes`). Requests of one subscription and kind go
 * out only while the budget last reported covers those already in flight. Once a 429 says when tokens
 * come back, they wait for its Retry-After (sending more only earns more 429s, each spending a retry),
 * and then one goes first to learn the new budget before the rest follow.
 */
export class ThrottleGate {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly now: () => number = Date.now) {}

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { until: 0, remaining: undefined, inFlight: 0, throttles: 0, waiters: new Set() }));
    return lane;
  }

  /** How long a request must wait for a Retry-After now (0 when none holds it back). */
  waitMs(key: string): number {
    return Math.max(0, this.lane(key).until - this.now());
  }

  /** Resolves when a request may go (and counts it in flight), or at once when the signal aborts; the ticket goes back with its answer. */
  async pass(key: string, signal?: AbortSignalLike): Promise<number> {
    const lane = this.lane(key);
    while (!signal?.aborted) {
      const wait = this.waitMs(key);
      // With nothing in flight one always goes (it learns the budget); after a 429, only that one until it does.
      if (wait === 0 && (lane.inFlight === 0 || (lane.remaining === undefined ? lane.until === 0 : lane.inFlight < lane.remaining))) break;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          lane.waiters.delete(done);
          signal?.removeEventListener("abort", done);
          resolve();
        };
        const timer = setTimeout(done, wait > 0 ? wait : 1000);
        lane.waiters.add(done);
        signal?.addEventListener("abort", done);
      });
    }
    lane.inFlight += 1;
    return lane.throttles;
  }

  /** The answer to a request that passed: the budget it reported, or a 429's Retry-After. */
  answered(key: string, ticket: number, answer: { throttledForMs?: number; remaining?: number }): void {
    const lane = this.lane(key);
    lane.inFlight = Math.max(0, lane.inFlight - 1);
    if (answer.throttledForMs !== undefined) {
      lane.until = Math.max(lane.until, this.now() + answer.throttledForMs);
      lane.remaining = undefined;
      lane.throttles += 1;
    } else if (ticket < lane.throttles) {
      // Sent before the latest 429: its budget is older than that refusal.
    } else if (answer.remaining !== undefined) lane.remaining = answer.remaining;
    else if (lane.remaining === undefined) lane.until = 0;
    for (const wake of [...lane.waiters]) wake();
  }
}

interface Lane {
  /** Retry-After: nothing goes before. */
  until: number;
  /** Budget the latest answer reported; unknown after a 429 until one answer tells again. */
  remaining: number | undefined;
  inFlight: number;
  /** 429s so far: a request's ticket, so budgets sent before the latest one are not believed. */
  throttles: number;
  waiters: Set<() => void>;
}

/** The lane of a request: its subscription and kind (ARM counts each subscription's reads and writes apart). */
export function laneOf(method: string, url: string): string {
  return `${/\/subscriptions\/([^/?]+)/i.exec(url)?.[1]?.toLowerCase() ?? "(tenant)"}|${requestKind(method)}`;
}

/** Each attempt (after the retry policies, so retries too) passes the gate; its answer tells the gate the budget. */
export function throttleGatePolicy(gate: ThrottleGate): PipelinePolicy {
  return {
    name: "azureRestoresThrottleGatePolicy",
    async sendRequest(request, next) {
      const lane = laneOf(request.method, request.url);
      const ticket = await gate.pass(lane, request.abortSignal);
      let response;
      try {
        response = await next(request);
      } catch (error) {
        gate.answered(lane, ticket, {});
        throw error;
      }
      const budget = Number(response.headers.get(`x-ms-ratelimit-remaining-subscription-${requestKind(request.method)}s`) ?? NaN);
      if (response.status === 429) gate.answered(lane, ticket, { throttledForMs: retryAfterMs(response.headers.get("retry-after")) ?? 1000 });
      else gate.answered(lane, ticket, Number.isFinite(budget) ? { remaining: budget } : {});
      return response;
    },
  };
}

export function rateLimitPolicy(onReading: (reading: RateLimitReading) => void): PipelinePolicy {
  return {
    name: "azureRestoresRateLimitPolicy",
    async sendRequest(request, next) {
      const response = await next(request);
      const reads = response.headers.get("x-ms-ratelimit-remaining-subscription-reads");
      const writes = response.headers.get("x-ms-ratelimit-remaining-subscription-writes");
      if (reads !== undefined || writes !== undefined) {
        const reading = { remainingReads: reads ? Number(reads) : undefined, remainingWrites: writes ? Number(writes) : undefined, at: Date.now() };
        onReading(reading);
        if ((reading.remainingReads ?? Infinity) < 10 || (reading.remainingWrites ?? Infinity) < 10) {
          logger.warning(`ARM throttling budget is low: ${reads ?? "?"} reads and ${writes ?? "?"} writes left`);
        }
      }
      return response;
    },
  };
}

/**
 * The emulator's clock runs `--time-scale` times faster than this process's and says so in
 * `x-emulator-time-scale` (its own header; Azure sends none and runs at 1). Durations the service
 * reports are divided by it before they set when to poll.
 */
export function serviceClockPolicy(onRate: (rate: number) => void): PipelinePolicy {
  return {
    name: "azureRestoresServiceClockPolicy",
    async sendRequest(request, next) {
      const response = await next(request);
      const rate = Number(response.headers.get("x-emulator-time-scale"));
      if (rate > 0) onRate(rate);
      return response;
    },
  };
}
