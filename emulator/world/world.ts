import * as crypto from "crypto";
import type { RecoveryPointDataStoreDetails } from "../../api/types";
import { formatDateTime, parseDateTime, parseDuration } from "../format";
import { parseArmId, sameArmId, sameName, vaultId } from "../ids";
import type {
  BackupInstance,
  PostgresqlServerSpec,
  RecoveryPoint,
  RecoveryPointSpec,
  ResourceGroupChange,
  ResourceGroupSpec,
  ResourceSpec,
  StorageAccountSpec,
  SubscriptionSpec,
  Vault,
  WorldDurations,
  WorldFile,
  WorldSettings,
} from "./model";
import { DEFAULT_SETTINGS, WorldError, worldProblems } from "./schema";

/**
 * The world: everything the emulated Azure knows before any request arrives (subscriptions, resource
 * groups, backup vaults and instances with their recovery points and restorable ranges, restore targets
 * and their versions, Key Vault secrets, and jobs/operations that already exist). It loads from YAML or
 * JSON (`emulator/worlds/default.yaml` reproduces the seeds). The world never changes while requests run;
 * what requests create (operations, jobs) lives in the store, and what those create (a restored
 * database) is derived from the store.
 */

/** A world loaded, checked and indexed. */
export const groupKey = (subscriptionId: string, name: string): string => `${subscriptionId}/${name}`.toLowerCase();

export class World {
  readonly settings: WorldSettings;
  readonly vaults: Vault[];

  constructor(readonly file: WorldFile) {
    this.settings = {
      ...DEFAULT_SETTINGS,
      ...file.settings,
      durations: { ...DEFAULT_SETTINGS.durations, ...file.settings?.durations },
      retryAfterSeconds: { ...DEFAULT_SETTINGS.retryAfterSeconds, ...file.settings?.retryAfterSeconds },
    };
    // Relative recovery point times (`now-PT2H`) count back from the world's start: its startTime, else now.
    const baseMs = (this.settings.startTime !== undefined ? parseDateTime(this.settings.startTime) : undefined) ?? Date.now();
    this.vaults = (file.vaults ?? []).map((spec) => {
      const vault: Vault = { ...spec, id: vaultId(spec.subscriptionId, spec.resourceGroup, spec.name), instances: [] };
      vault.instances = (spec.backupInstances ?? []).map((bi) => ({
        ...bi,
        vault,
        id: `${vault.id}/backupInstances/${bi.name}`,
        datasourceType: bi.dataSourceInfo.datasourceType ?? bi.dataSourceInfo.resourceType ?? "",
        points: (bi.recoveryPoints ?? []).map((rp) => recoveryPoint(rp, baseMs)),
      }));
      return vault;
    });
    const problems = worldProblems(this);
    if (problems.length) throw new WorldError(`invalid world:\n  ${problems.join("\n  ")}`);
  }

  /** Durations in ms, for the clock. */
  durationMs(name: keyof WorldDurations): number {
    return parseDuration(this.settings.durations[name]) ?? 0;
  }

  subscription(id: string): SubscriptionSpec | undefined {
    return this.file.subscriptions.find((s) => sameName(s.id, id));
  }

  /** Groups created and deleted through ARM, by `subscription/group` in lower case: the engine's store (emulator/store.ts). */
  groupChanges?: ReadonlyMap<string, ResourceGroupChange>;

  resourceGroup(subscriptionId: string, name: string): ResourceGroupSpec | undefined {
    const change = this.groupChanges?.get(groupKey(subscriptionId, name));
    if (change) return change.deleted ? undefined : change.group;
    return this.subscription(subscriptionId)?.resourceGroups.find((rg) => sameName(rg.name, name));
  }

  vault(subscriptionId: string, resourceGroup: string, name: string): Vault | undefined {
    return this.vaults.find((v) => sameName(v.subscriptionId, subscriptionId) && sameName(v.resourceGroup, resourceGroup) && sameName(v.name, name));
  }

  vaultById(id: string): Vault | undefined {
    return this.vaults.find((v) => sameArmId(v.id, id));
  }

  backupInstanceById(id: string): BackupInstance | undefined {
    const parsed = parseArmId(id);
    const [vaultPart, biPart] = parsed?.resources ?? [];
    if (!parsed?.resourceGroup || !vaultPart || !biPart || !sameName(biPart.type, "backupInstances")) return undefined;
    return this.vault(parsed.subscriptionId, parsed.resourceGroup, vaultPart.name)?.instances.find((bi) => sameName(bi.name, biPart.name));
  }

  postgresqlServer(id: string): PostgresqlServerSpec | undefined {
    return (this.file.postgresqlServers ?? []).find((s) => sameArmId(s.id, id));
  }

  storageAccountById(id: string): StorageAccountSpec | undefined {
    return (this.file.storageAccounts ?? []).find((s) => sameArmId(s.id, id));
  }

  /** Storage account names are global in Azure, so a blob URL names exactly one. */
  storageAccountByName(name: string): StorageAccountSpec | undefined {
    return (this.file.storageAccounts ?? []).find((s) => sameName(parseArmId(s.id)?.resources.at(-1)?.name, name));
  }

  /** An ARM resource of any type the world lists (IDs compared as ARM compares them). */
  resource(id: string): ResourceSpec | undefined {
    return (this.file.resources ?? []).find((r) => sameArmId(r.id, id));
  }

  /** Resources of one type (`Microsoft.Compute/disks`) in a resource group. */
  resourcesIn(subscriptionId: string, resourceGroup: string, type: string): ResourceSpec[] {
    return (this.file.resources ?? []).filter((r) => {
      const p = parseArmId(r.id);
      return p && sameName(p.subscriptionId, subscriptionId) && sameName(p.resourceGroup ?? "", resourceGroup) && sameName(`${p.provider}/${p.resources.map((x) => x.type).join("/")}`, type);
    });
  }

  /** A Key Vault secret exists when its URI (any version) is listed. */
  secretExists(uri: string): boolean {
    const base = (u: string) => {
      const m = /^(https:\/\/[^/]+\/secrets\/[^/?#]+)/i.exec(u.trim());
      return m ? m[1].toLowerCase() : u.trim().toLowerCase();
    };
    return (this.file.keyVaultSecrets ?? []).some((s) => base(s) === base(uri));
  }
}

/** A stable GUID-shaped ID derived from text (data store detail IDs stay the same across calls). */
function stableGuid(text: string): string {
  const h = crypto.createHash("sha256").update(text).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A recovery point's time: an ISO date-time, `now`, or `now-<ISO 8601 duration>` before `baseMs`; NaN when none of these. */
function pointTimeMs(text: string, baseMs: number): number {
  const relative = /^now(?:-(P.+))?$/i.exec(text.trim());
  if (!relative) return parseDateTime(text) ?? NaN;
  const back = relative[1] === undefined ? 0 : parseDuration(relative[1].toUpperCase());
  return back === undefined ? NaN : baseMs - back;
}

function recoveryPoint(given: RecoveryPointSpec, baseMs: number): RecoveryPoint {
  const timeMs = pointTimeMs(given.time, baseMs);
  const spec = Number.isNaN(timeMs) || parseDateTime(given.time) !== undefined ? given : { ...given, time: formatDateTime(timeMs) };
  const yearLater = Number.isNaN(timeMs) ? undefined : new Date(timeMs + 365 * 86400 * 1000).toISOString().replace(/\.000Z$/, "Z");
  const details = spec.dataStores.map((ds): RecoveryPointDataStoreDetails => {
    if (typeof ds !== "string") return ds;
    return {
      id: stableGuid(`${spec.id}/${ds}`),
      type: ds,
      creationTime: spec.time,
      expiryTime: spec.expiryTime ?? yearLater,
      metaData: null,
      visible: true,
      state: "COMMITTED",
      rehydrationExpiryTime: null,
      rehydrationStatus: null,
    };
  });
  return { ...spec, timeMs, details };
}

/** The duration in ms of restore jobs of `bi`, and its text as the job reports it when done. */
export function restoreJobDuration(world: World, bi: BackupInstance): { ms: number; text: string } {
  const text = bi.restoreJob?.duration ?? world.settings.durations.restoreJob;
  return { ms: parseDuration(text) ?? 0, text };
}
