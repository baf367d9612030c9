import { parseDateTime } from "../format";
import { sameArmId, sameName } from "../ids";
import type { JobRecord } from "../store";
import { jobState } from "../views";
import type { BackupInstance } from "../world/model";
import type { World } from "../world/world";
import { ensureContainers, writeFiles, type BlobPlane } from "./blob";
import { restoreDatabase } from "./postgres";
import { createTableSql, dumpSql, sampleData, type SampleData } from "./sample-data";

/**
 * The data planes restores write into, when the emulator is given them: a restore as files writes its
 * dump files into Blob storage (Azurite), a PostgreSQL database restore creates the database with the
 * instance's sample rows in a real PostgreSQL. Both happen when the job completes (Completed or
 * CompletedWithWarnings), never before and never for a failed job. The job's `restoredData` (the
 * bad-data switch in force when the restore was accepted) makes what is written wrong on purpose, so a
 * drill's checks can be seen to fail. Everything here is the emulator's own: no source shows how the
 * service writes these data planes beyond the file list quoted at `restoreFiles`.
 */

export interface DataPlaneOptions {
  /** Blob endpoint serving every storage account's containers by name (Azurite: `http://127.0.0.1:10000/devstoreaccount1`). */
  blobEndpoint?: string;
  blobAccountName?: string;
  blobAccountKey?: string;
  /** A PostgreSQL role that may create databases: `postgres://user:password@host:port/postgres`. */
  postgresUrl?: string;
}

/** The environment `npm run emulator` reads them from (flags win). */
export const DATA_PLANE_ENV = { blobEndpoint: "EMULATOR_BLOB_ENDPOINT", blobAccountName: "EMULATOR_BLOB_ACCOUNT", blobAccountKey: "EMULATOR_BLOB_KEY", postgresUrl: "EMULATOR_POSTGRES_URL" } as const;

export function dataPlaneOptionsFromEnv(env: NodeJS.ProcessEnv): DataPlaneOptions {
  const out: DataPlaneOptions = {};
  for (const [key, name] of Object.entries(DATA_PLANE_ENV) as Array<[keyof DataPlaneOptions, string]>) if (env[name]) out[key] = env[name];
  return out;
}

/** What a restore brings back: the data (default), nothing (`missing`), or zero-byte files / a database without rows (`empty`). */
export type RestoredData = "present" | "missing" | "empty";
export const RESTORED_DATA: readonly RestoredData[] = ["present", "missing", "empty"];

/** Bad-data switches: one for every restore, and per backup instance (which wins). Read when a restore is accepted. */
export class RestoredDataSwitches {
  global: RestoredData = "present";
  readonly byInstance = new Map<string, RestoredData>();

  set(mode: RestoredData, backupInstance?: string): void {
    if (backupInstance === undefined) this.global = mode;
    else this.byInstance.set(backupInstance.toLowerCase(), mode);
  }

  clear(): void {
    this.global = "present";
    this.byInstance.clear();
  }

  /** The mode for `bi`: by its ARM ID or its name, else the global one. */
  modeFor(bi: BackupInstance): RestoredData {
    for (const [key, mode] of this.byInstance) if (key.startsWith("/") ? sameArmId(key, bi.id) : sameName(key, bi.name)) return mode;
    return this.global;
  }

  list(): { restoredData: RestoredData; backupInstances: Record<string, RestoredData> } {
    return { restoredData: this.global, backupInstances: Object.fromEntries(this.byInstance) };
  }
}

/** What one completed job wrote (or why it wrote nothing). */
export interface DataPlaneWrite {
  job: string;
  backupInstance: string;
  target: string;
  restoredData: RestoredData;
  wrote: string[];
  error?: string;
}

/** Where a datasource type's restore as files writes its files. */
function restoreFiles(bi: BackupInstance, sample: SampleData, prefix: string, empty: boolean): Array<{ name: string; content: string }> {
  const lead = prefix ? `${prefix}_` : "";
  const about = `${bi.dataSourceInfo.resourceName ?? bi.name} (${bi.datasourceType}), database ${sample.database}, ${sample.rows.length} rows of ${sample.table}`;
  const files = [{ name: `${lead}database_${sample.database}.sql`, content: dumpSql(sample, about) }];
  // PostgreSQL: besides a `database.sql` per database, Azure Backup writes `roles.sql`, `tablespace.sql` and
  // `schema.sql` (MicrosoftDocs/azure-docs articles/backup/restore-azure-database-postgresql-flex.md @0088bfa).
  // No source gives the names with a prefix: `{prefix}_{file}` is the emulator's own.
  if (bi.datasourceType.toLowerCase().startsWith("microsoft.dbforpostgresql/")) {
    files.push(
      { name: `${lead}roles.sql`, content: "-- roles of the server (the emulator's stand-in: none)\n" },
      { name: `${lead}tablespace.sql`, content: "-- tablespaces of the server (the emulator's stand-in: the default only)\n" },
      { name: `${lead}schema.sql`, content: `-- schema of every database (the emulator's stand-in)\n\\connect ${sample.database}\n${createTableSql(sample)}\n` },
    );
  }
  return empty ? files.map((f) => ({ ...f, content: "" })) : files;
}

export class DataPlanes {
  private readonly handled = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  readonly writes: DataPlaneWrite[] = [];

  constructor(readonly options: DataPlaneOptions) {}

  private get blob(): BlobPlane | undefined {
    const { blobEndpoint, blobAccountName, blobAccountKey } = this.options;
    return blobEndpoint && blobAccountName && blobAccountKey ? { endpoint: blobEndpoint, accountName: blobAccountName, accountKey: blobAccountKey } : undefined;
  }

  get configured(): boolean {
    return this.blob !== undefined || this.options.postgresUrl !== undefined;
  }

  status(): { blobEndpoint: string | null; postgres: boolean; writes: DataPlaneWrite[] } {
    return { blobEndpoint: this.blob?.endpoint ?? null, postgres: this.options.postgresUrl !== undefined, writes: this.writes };
  }

  /** Forgets what was written (the store was cleared: reset, a new world). */
  forget(): void {
    this.handled.clear();
    this.writes.length = 0;
  }

  /**
   * Makes Blob storage hold the containers the world's storage accounts list (a restore as files needs
   * its container to exist, rules.ts), so a drill reading one before any restore finds it empty, not
   * missing. Requests wait for it as for writes; a failure is kept in `writes`.
   */
  prepare(world: World): Promise<void> {
    const blob = this.blob;
    if (!blob) return this.queue;
    const names = (world.file.storageAccounts ?? []).flatMap((a) => a.containers ?? []);
    this.queue = this.queue.then(() =>
      ensureContainers(blob, names).catch((error: unknown) => {
        this.writes.push({ job: "", backupInstance: "", target: blob.endpoint, restoredData: "present", wrote: [], error: `creating the world's containers: ${(error as Error).message}` });
      }),
    );
    return this.queue;
  }

  /** Writes what every job that completed by `nowMs` owes the data planes and has not written; resolves when done. Never rejects. */
  settle(world: World, jobs: Iterable<JobRecord>, nowMs: number): Promise<void> {
    if (!this.configured) return this.queue;
    const due = [...jobs].filter((j) => !this.handled.has(j.name) && jobState(j, nowMs).done);
    for (const job of due) this.handled.add(job.name);
    if (due.length === 0) return this.queue;
    this.queue = this.queue.then(async () => {
      for (const job of due) if (job.outcome !== "Failed") await this.write(world, job).catch((error: unknown) => this.writes.push({ job: job.name, backupInstance: job.base.backupInstanceId ?? "", target: job.recoveryDestination, restoredData: job.restoredData ?? "present", wrote: [], error: String(error) }));
    });
    return this.queue;
  }

  private async write(world: World, job: JobRecord): Promise<void> {
    const bi = world.backupInstanceById(job.base.backupInstanceId ?? "");
    const mode = job.restoredData ?? "present";
    const record: DataPlaneWrite = { job: job.name, backupInstance: job.base.backupInstanceId ?? "", target: job.recoveryDestination, restoredData: mode, wrote: [] };
    if (!bi) return;
    const pointMs = parseDateTime(job.sourceRecoverPoint.recoveryPointTime ?? "") ?? job.startMs;
    const sample = sampleData(bi, pointMs);
    const target = job.target as { kind: string; url?: string; filePrefix?: string; database?: string };
    try {
      if (target.kind === "files" && target.url && this.blob) {
        const files = mode === "missing" ? [] : restoreFiles(bi, sample, target.filePrefix ?? "", mode === "empty");
        await writeFiles(this.blob, target.url, files);
        record.wrote = files.map((f) => `${target.url!.replace(/\/+$/, "")}/${f.name}`);
      } else if (target.kind === "postgresDatabase" && target.database && this.options.postgresUrl) {
        await restoreDatabase(this.options.postgresUrl, target.database, sample, mode === "present" ? "rows" : mode);
        if (mode !== "missing") record.wrote = [`database ${target.database}${mode === "empty" ? " (no rows)" : `, ${sample.rows.length} rows of ${sample.table}`}`];
      } else {
        return;
      }
    } catch (error) {
      record.error = (error as Error).message;
    }
    this.writes.push(record);
  }
}
