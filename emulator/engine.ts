import type { IncomingMessage, ServerResponse } from "http";
import { VirtualClock } from "./clock";
import { handleControl } from "./control";
import { DataPlanes, RestoredDataSwitches, type DataPlaneOptions } from "./data-planes";
import { KEY_VAULT_PREFIX, keyVaultReply } from "./data-planes/key-vault";
import { FaultEngine, type FaultRule } from "./faults";
import { parseDateTime } from "./format";
import type { EngineState } from "./handlers/shared";
import { failureReply, readBody, RequestContext, writeReply, type Reply } from "./http";
import { normalizeLocation } from "./ids";
import { newArmCall, runArmSteps } from "./pipeline";
import { newLogEntry, RequestLog, type RequestLogEntry } from "./request-log";
import { Store, type OperationRecord } from "./store";
import type { World } from "./world/world";

export type { RequestLogEntry } from "./request-log";

/**
 * The emulator's state (world, store, clock, faults, request log) and what a request goes through:
 * its context (request and correlation IDs) and log entry, then the control API or the ARM steps
 * (`pipeline.ts`, which lists them in order), then the response and the log. Control requests
 * (`/_emulator/...`) skip authentication and faults.
 */

export interface EngineOptions {
  world: World;
  timeScale?: number;
  strict?: boolean;
  faults?: FaultRule[];
  statePath?: string;
  maxBodyBytes?: number;
  /** Called after each request is logged (the CLI prints it). */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Blob storage and PostgreSQL that completed restores write into (data-planes/). */
  dataPlanes?: DataPlaneOptions;
}

function worldOperations(world: World): Map<string, OperationRecord> {
  const ops = new Map<string, OperationRecord>();
  for (const spec of world.file.operations ?? []) {
    const startMs = parseDateTime(spec.startTime) ?? 0;
    const endMs = spec.status === "InProgress" ? null : parseDateTime(spec.endTime ?? spec.startTime) ?? startMs;
    ops.set(spec.id, {
      id: spec.id,
      kind: "seeded",
      subscriptionId: spec.subscriptionId,
      location: normalizeLocation(spec.location),
      ...(spec.resourceGroup !== undefined ? { resourceGroup: spec.resourceGroup } : {}),
      ...(spec.vaultName !== undefined ? { vaultName: spec.vaultName } : {}),
      ...(spec.backupInstanceName !== undefined ? { backupInstanceName: spec.backupInstanceName } : {}),
      startMs,
      endMs,
      outcome:
        spec.status === "Failed"
          ? { status: "Failed", error: spec.error ?? { code: "InternalError", message: "The operation failed." }, httpStatus: 500 }
          : { status: "Succeeded", ...(spec.jobId !== undefined ? { jobId: spec.jobId } : {}), ...(spec.result ? { result: spec.result } : {}) },
    });
  }
  return ops;
}

function startOf(world: World): number | undefined {
  return world.settings.startTime !== undefined ? parseDateTime(world.settings.startTime) : undefined;
}

export class Engine implements EngineState {
  world: World;
  readonly store: Store;
  readonly clock: VirtualClock;
  readonly faults = new FaultEngine();
  readonly restoredData = new RestoredDataSwitches();
  readonly dataPlanes: DataPlanes;
  worldOperations: Map<string, OperationRecord>;
  readonly strict: boolean;
  readonly maxBodyBytes: number;
  private readonly initialWorld: World;
  private readonly initialFaults: FaultRule[];
  private readonly log = new RequestLog();

  constructor(private readonly options: EngineOptions) {
    this.world = options.world;
    this.initialWorld = options.world;
    this.initialFaults = options.faults ?? [];
    this.worldOperations = worldOperations(this.world);
    this.strict = options.strict ?? false;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.store = new Store(options.statePath);
    const saved = this.store.load();
    this.world.groupChanges = this.store.resourceGroups;
    const start = startOf(this.world);
    this.clock = new VirtualClock({ timeScale: options.timeScale ?? 1, ...(saved ? { startMs: Math.max(saved.virtualNowMs, start ?? 0) } : start !== undefined ? { startMs: start } : {}) });
    this.faults.set(this.initialFaults);
    this.dataPlanes = new DataPlanes(options.dataPlanes ?? {});
    void this.dataPlanes.prepare(this.world);
  }

  /** Writes into the data planes what restore jobs completed by now owe them; resolves when written. */
  settle(): Promise<void> {
    return this.dataPlanes.settle(this.world, this.store.jobs.values(), this.clock.now());
  }

  changed(): void {
    this.store.save(this.clock.now());
  }

  // ---- control -----------------------------------------------------------------------------------

  /** Back to the state at start: initial world and faults, no operations or jobs, clock restarted, log cleared. */
  reset(): void {
    this.world = this.initialWorld;
    this.world.groupChanges = this.store.resourceGroups;
    this.worldOperations = worldOperations(this.world);
    this.store.clear();
    this.clock.reset(startOf(this.world));
    this.faults.set(this.initialFaults);
    this.restoredData.clear();
    this.dataPlanes.forget();
    void this.dataPlanes.prepare(this.world);
    this.log.clear();
    this.changed();
  }

  /** Replaces the world; operations and jobs are dropped and the clock restarts (faults and log stay). */
  loadWorld(world: World): void {
    this.world = world;
    this.world.groupChanges = this.store.resourceGroups;
    this.worldOperations = worldOperations(world);
    this.store.clear();
    this.dataPlanes.forget();
    void this.dataPlanes.prepare(world);
    this.clock.reset(startOf(world));
    this.changed();
  }

  advance(seconds: number): void {
    this.clock.advance(seconds);
    this.changed();
  }

  requestLog(): RequestLogEntry[] {
    return this.log.list();
  }

  clearRequestLog(): void {
    this.log.clear();
  }

  // ---- requests ------------------------------------------------------------------------------------

  async handle(req: IncomingMessage, res: ServerResponse, fallbackBaseUrl: string): Promise<void> {
    const ctx = new RequestContext(req, fallbackBaseUrl);
    const entry = newLogEntry(ctx, this.clock.now());
    // The emulator's own header (Azure sends none): how fast its clock runs, so a client can read the durations it reports.
    if (this.clock.timeScale !== 1) res.setHeader("x-emulator-time-scale", String(this.clock.timeScale));
    // What completed jobs wrote is in the data planes before anything answers that they completed.
    await this.settle();
    const first = ctx.segments?.[0];
    const outcome = first === "_emulator" ? await this.control(ctx, entry) : first?.toLowerCase() === KEY_VAULT_PREFIX ? this.keyVault(ctx, entry) : await runArmSteps(this, newArmCall(ctx, entry));
    if (outcome === "reset") req.socket.destroy();
    else respond(res, ctx, entry, outcome);
    entry.durationMs = Date.now() - ctx.startedAt;
    this.log.add(entry);
    this.options.onRequest?.(entry);
  }

  private async control(ctx: RequestContext, entry: RequestLogEntry): Promise<Reply> {
    entry.route = "control";
    try {
      const reply = handleControl(this, ctx, await readBody(ctx.req, this.maxBodyBytes));
      await this.settle(); // the clock may have moved
      return reply;
    } catch (err) {
      return failureReply(err);
    }
  }

  /** The Key Vault stand-in (data-planes/key-vault.ts): no token, no faults. */
  private keyVault(ctx: RequestContext, entry: RequestLogEntry): Reply {
    entry.route = "keyVaultSecret";
    return keyVaultReply(this.world, ctx.segments ?? [], ctx.method, this.options.dataPlanes?.postgresUrl, this.clock.now());
  }
}

/** Writes the reply and notes its status and error code in the log entry. */
function respond(res: ServerResponse, ctx: RequestContext, entry: RequestLogEntry, reply: Reply): void {
  writeReply(res, ctx, reply);
  entry.status = reply.status;
  const body = reply.body as { error?: { code?: string } } | undefined;
  if (body && typeof body === "object" && body.error?.code) entry.errorCode = body.error.code;
}
