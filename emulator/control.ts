import { DEFAULT_API_VERSION } from "../api/versions";
import { RESTORED_DATA, type DataPlanes, type RestoredData, type RestoredDataSwitches } from "./data-planes";
import { parseFaultsText } from "./faults";
import type { EngineState } from "./handlers/shared";
import type { Reply, RequestContext } from "./http";
import { filterLog, type RequestLogEntry } from "./request-log";
import { jobResource } from "./views";
import { parseWorld } from "./world/load";
import { WorldError } from "./world/schema";
import type { World } from "./world/world";

/**
 * The control API, under `/_emulator/` on the same server (no authentication; the server listens on
 * 127.0.0.1 only). JSON in and out; a world may also be posted as YAML.
 *
 *   GET    /_emulator/health
 *   POST   /_emulator/reset
 *   GET    /_emulator/world            POST /_emulator/world (YAML or JSON)
 *   GET    /_emulator/faults           PUT (replace) | POST (add) | DELETE (clear)
 *   GET    /_emulator/clock            POST /_emulator/clock/advance {"seconds": n}
 *   GET    /_emulator/requests         ?route=&method=&since=<seq>      DELETE (clear)
 *   GET    /_emulator/jobs             every restore job the emulator ran, as AzureBackupJobResource
 *   GET    /_emulator/restored-data    PUT|POST {"restoredData": "missing"|"empty"|"present", "backupInstance"?: id or name}   DELETE (clear)
 *   GET    /_emulator/data-planes      what completed restores wrote into Blob storage and PostgreSQL
 */

function ok(body: unknown, status = 200): Reply {
  return { status, body };
}

function bad(status: number, code: string, message: string): Reply {
  return { status, body: { error: { code, message } } };
}

function json(raw: Buffer): unknown {
  const text = raw.toString("utf8").trim();
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}

/** What the control API drives (the Engine). */
export interface Controlled extends EngineState {
  reset(): void;
  loadWorld(world: World): void;
  advance(seconds: number): void;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  readonly restoredData: RestoredDataSwitches;
  readonly dataPlanes: DataPlanes;
}

/** `{restoredData, backupInstance?}` of a restored-data request, checked. */
export function restoredDataSwitch(body: unknown): { mode: RestoredData; backupInstance?: string } {
  const b = body as { restoredData?: unknown; backupInstance?: unknown } | undefined;
  if (!b || typeof b.restoredData !== "string" || !RESTORED_DATA.includes(b.restoredData as RestoredData)) throw new Error(`Body must be {"restoredData": ${RESTORED_DATA.map((m) => `"${m}"`).join(" | ")}, "backupInstance"?: "<ARM ID or name>"}.`);
  if (b.backupInstance !== undefined && (typeof b.backupInstance !== "string" || b.backupInstance === "")) throw new Error("backupInstance must be a backup instance's ARM ID or name.");
  return { mode: b.restoredData as RestoredData, ...(typeof b.backupInstance === "string" ? { backupInstance: b.backupInstance } : {}) };
}

export function handleControl(engine: Controlled, ctx: RequestContext, raw: Buffer): Reply {
  const what = (ctx.segments ?? []).slice(1).join("/").toLowerCase();
  const m = ctx.method;
  try {
    switch (`${m} ${what}`) {
      case "GET health":
        return ok({ status: "ok" });
      case "POST reset":
        engine.reset();
        return ok({ status: "reset" });
      case "GET world":
        return ok(engine.world.file);
      case "POST world":
      case "PUT world":
        engine.loadWorld(parseWorld(raw.toString("utf8"), "posted world"));
        return ok({ status: "loaded", vaults: engine.world.vaults.length });
      case "GET faults":
        return ok({ faults: engine.faults.list() });
      case "PUT faults":
        engine.faults.set(parseFaultsText(raw.toString("utf8"), "posted faults"));
        return ok({ faults: engine.faults.list() });
      case "POST faults":
        engine.faults.add(parseFaultsText(raw.toString("utf8"), "posted faults"));
        return ok({ faults: engine.faults.list() });
      case "DELETE faults":
        engine.faults.clear();
        return ok({ faults: [] });
      case "GET clock":
        return ok(engine.clock.state());
      case "POST clock/advance": {
        const body = json(raw) as { seconds?: unknown } | undefined;
        const seconds = body?.seconds;
        if (typeof seconds !== "number" || !(seconds >= 0)) return bad(400, "InvalidRequestContent", "Body must be {\"seconds\": <non-negative number>}.");
        engine.advance(seconds);
        return ok(engine.clock.state());
      }
      case "GET requests": {
        const since = ctx.query.get("since");
        return ok({
          requests: filterLog(engine.requestLog(), {
            ...(ctx.query.get("route") !== undefined ? { route: ctx.query.get("route") } : {}),
            ...(ctx.query.get("method") !== undefined ? { method: ctx.query.get("method") } : {}),
            ...(since !== undefined ? { since: Number(since) } : {}),
          }),
        });
      }
      case "DELETE requests":
        engine.clearRequestLog();
        return ok({ requests: [] });
      case "GET jobs": {
        const now = engine.clock.now();
        return ok({ jobs: [...engine.store.jobs.values()].map((j) => jobResource(j, now, DEFAULT_API_VERSION)) });
      }
      case "GET restored-data":
        return ok(engine.restoredData.list());
      case "PUT restored-data":
      case "POST restored-data": {
        const { mode, backupInstance } = restoredDataSwitch(json(raw));
        engine.restoredData.set(mode, backupInstance);
        return ok(engine.restoredData.list());
      }
      case "DELETE restored-data":
        engine.restoredData.clear();
        return ok(engine.restoredData.list());
      case "GET data-planes":
        return ok(engine.dataPlanes.status());
      default:
        return bad(404, "NotFound", `No control endpoint '${m} /_emulator/${what}'. See emulator/README.md.`);
    }
  } catch (err) {
    if (err instanceof SyntaxError) return bad(400, "InvalidRequestContent", `The body is not valid JSON: ${err.message}`);
    if (err instanceof WorldError || err instanceof Error) return bad(400, "InvalidRequestContent", err.message);
    return bad(400, "InvalidRequestContent", String(err));
  }
}
