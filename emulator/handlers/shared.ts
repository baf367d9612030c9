import type { ResourceList } from "../../api/types";
import type { ApiVersion } from "../../api/versions";
import type { VirtualClock } from "../clock";
import { armErrors, dpServiceError, type DpError } from "../errors";
import { dpErrors } from "../service-errors";
import type { FaultEngine } from "../faults";
import type { Query, Reply } from "../http";
import { newActivityId, sameName } from "../ids";
import type { RouteDef } from "../routes";
import type { OperationRecord, Store } from "../store";
import type { BackupInstance, Vault } from "../world/model";
import type { World } from "../world/world";

/**
 * What every handler shares: the engine's state, the request as the protocol layer hands it over, the
 * lookups in ARM's order (subscription, resource group, then the provider's resources) and paging.
 * Handlers throw ServiceError for error responses.
 */

/** What handlers need from the engine. */
export interface EngineState {
  readonly world: World;
  readonly store: Store;
  readonly clock: VirtualClock;
  readonly faults: FaultEngine;
  readonly worldOperations: Map<string, OperationRecord>;
  /** Persists the store (with `--state`). */
  changed(): void;
  /** Bad-data switches (data-planes/): what a restore accepted now brings back. */
  readonly restoredData?: { modeFor(bi: BackupInstance): "present" | "missing" | "empty" };
}

/** A request once the protocol layer has authenticated it, checked its api-version and body, and applied request faults. */
export interface ArmRequest {
  route: RouteDef;
  params: Record<string, string>;
  version: ApiVersion;
  /** The body, checked against the route's definition, nulls removed. */
  body: unknown;
  query: Query;
  /** Path as sent, without query. */
  path: string;
  baseUrl: string;
  nowMs: number;
}

export type Handler = (state: EngineState, req: ArmRequest) => Reply;

/** A request for another provider's resource (a disk): its api-version is that provider's, as sent, and unchecked. */
export type ResourceRequest = Omit<ArmRequest, "version"> & { apiVersion: string };

export type ResourceHandler = (state: EngineState, req: ResourceRequest) => Reply;

export function fail(e: DpError): never {
  throw dpServiceError(e, newActivityId());
}

/** Checks the subscription and, when given, the resource group. */
export function checkScope(world: World, params: Record<string, string>): void {
  if (!world.subscription(params.subscriptionId)) throw armErrors.subscriptionNotFound(params.subscriptionId);
  if (params.resourceGroupName !== undefined && !world.resourceGroup(params.subscriptionId, params.resourceGroupName)) {
    throw armErrors.resourceGroupNotFound(params.resourceGroupName);
  }
}

export function findVault(world: World, params: Record<string, string>): Vault {
  checkScope(world, params);
  const vault = world.vault(params.subscriptionId, params.resourceGroupName, params.vaultName);
  if (!vault) throw armErrors.vaultNotFound(params.vaultName, params.resourceGroupName);
  return vault;
}

export function findInstance(world: World, params: Record<string, string>): BackupInstance {
  const vault = findVault(world, params);
  const bi = vault.instances.find((i) => sameName(i.name, params.backupInstanceName));
  if (!bi) fail(dpErrors.backupInstanceNotFound(vault.name, params.backupInstanceName));
  return bi;
}

/** One page of `items` (`settings.pageSize`), from the offset `$skipToken` carries, and the nextLink of the next. */
export function page<T>(world: World, req: ArmRequest, items: T[]): ResourceList<T> {
  const size = world.settings.pageSize;
  const token = req.query.get("$skipToken");
  let offset = 0;
  if (token !== undefined) {
    const m = /^o(\d{1,9})$/.exec(Buffer.from(token, "base64url").toString("utf8"));
    if (!m) fail(dpErrors.invalidSkipToken());
    offset = Number(m[1]);
  }
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value };
  const params = [...req.query.without("$skipToken"), ["$skipToken", Buffer.from(`o${offset + size}`, "utf8").toString("base64url")]];
  // `$` stays literal in parameter names, as ARM writes its nextLinks
  const query = params.map(([k, v]) => `${encodeURIComponent(k).replace(/^%24/, "$")}=${encodeURIComponent(v)}`).join("&");
  return { value, nextLink: `${req.baseUrl}${req.path}?${query}` };
}
