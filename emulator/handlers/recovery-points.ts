import type { AzureBackupRecoveryPointResource } from "../../api/types";
import { dpErrors } from "../service-errors";
import { parseDateTime } from "../format";
import type { Reply } from "../http";
import { sameName } from "../ids";
import { recoveryPointResource, rehydrationOf } from "../views";
import type { BackupInstance, RecoveryPoint } from "../world/model";
import { fail, findInstance, page, type ArmRequest, type EngineState, type Handler } from "./shared";

/** Recovery points of a backup instance, newest first, with `$filter`; one recovery point. */

/** `$filter` of recovery points: `name eq 'value'` clauses joined by `and`. */
export function recoveryPointFilter(text: string | undefined): (rp: RecoveryPoint) => boolean {
  if (text === undefined || text.trim() === "") return () => true;
  const tests: Array<(rp: RecoveryPoint) => boolean> = [];
  for (const clause of text.split(/\s+and\s+/i)) {
    const m = /^\s*(\w+)\s+eq\s+(?:'([^']*)'|(true|false))\s*$/i.exec(clause);
    if (!m) fail(dpErrors.invalidFilter(`cannot read '${clause.trim()}'`));
    const [, name, quoted, bool] = m;
    const value = quoted ?? bool ?? "";
    switch (name.toLowerCase()) {
      case "startdate":
      case "enddate": {
        const ms = parseDateTime(value);
        if (ms === undefined) fail(dpErrors.invalidFilter(`${name} '${value}' is not an ISO 8601 date-time`));
        tests.push(name.toLowerCase() === "startdate" ? (rp) => rp.timeMs >= ms : (rp) => rp.timeMs <= ms);
        break;
      }
      case "isvisible": {
        const want = value.toLowerCase() === "true";
        tests.push((rp) => rp.details.some((d) => (d.visible ?? true) === want));
        break;
      }
      case "restorepointstate":
        tests.push((rp) => sameName(rp.recoveryPointState ?? "Completed", value));
        break;
      case "restorepointdatastoreid":
        tests.push((rp) => rp.details.some((d) => sameName(d.id, value)));
        break;
      case "extendedinfo":
        break;
      default:
        fail(dpErrors.invalidFilter(`unknown property '${name}'`));
    }
  }
  return (rp) => tests.every((t) => t(rp));
}

/** The page of `bi`'s recovery points the request asks for. */
function recoveryPointsReply(state: EngineState, req: ArmRequest, bi: BackupInstance): Reply {
  const filter = recoveryPointFilter(req.query.get("$filter"));
  const points = bi.points.filter(filter).sort((a, b) => b.timeMs - a.timeMs);
  const items: AzureBackupRecoveryPointResource[] = points.map((rp) => recoveryPointResource(bi, rp, req.version, rehydrationOf(state.store, bi, rp.id, req.nowMs)));
  return { status: 200, body: page(state.world, req, items) };
}

export const listRecoveryPoints: Handler = (state, req) => recoveryPointsReply(state, req, findInstance(state.world, req.params));

export const getRecoveryPoint: Handler = (state, req) => {
  const bi = findInstance(state.world, req.params);
  const rp = bi.points.find((p) => sameName(p.id, req.params.recoveryPointId));
  if (!rp) fail(dpErrors.recoveryPointResourceNotFound(bi.name, req.params.recoveryPointId));
  return { status: 200, body: recoveryPointResource(bi, rp, req.version, rehydrationOf(state.store, bi, rp.id, req.nowMs)) };
};
