import type { CheckResult } from "../drills/evidence";
import type { DrillVerify } from "../drills/spec";

/**
 * The checks a drill runs on what a restore brought back (`spec.verify`), each timed and described.
 * The reads go through `VerifyIO` (verify/io.ts has the real ones: ARM, blob storage, PostgreSQL, a
 * process), so this decides pass or fail and says why, and tests drive it with real data planes.
 */

/** What one restore wrote, as the drill knows it after the job ended. */
export interface RestoredData {
  backupInstanceId: string;
  recoveryPointId?: string;
  jobId?: string;
  /** ARM ID of the restored resource (a database, a disk, an account), or the container URL of files. */
  target: string;
  /** A restore as files: the container and the name prefix of its files. */
  files?: { containerUrl: string; prefix: string };
  /** A restored database and the Key Vault secret holding the connection string the restore was given. */
  database?: { id: string; credentialsSecretUri: string };
}

export interface VerifyIO {
  /** Whether the resource exists (ARM GET); a string says why it could not be read. */
  resourceExists(id: string): Promise<boolean | string>;
  listBlobs(containerUrl: string, prefix: string): Promise<Array<{ name: string; size: number }>>;
  /** The value of a Key Vault secret. */
  secret(uri: string): Promise<string>;
  /** Rows the query returns against the database the connection string names. */
  queryRows(connectionString: string, databaseName: string, sql: string): Promise<number>;
  /** Runs argv with these extra environment variables; its exit status and the tail of its output. */
  run(argv: string[], env: Record<string, string>): Promise<{ status: number; output: string }>;
  now(): number;
}

const failure = (error: unknown): string => (error as Error)?.message ?? String(error);

async function timed(io: VerifyIO, check: CheckResult["check"], body: () => Promise<{ passed: boolean; detail: string }>): Promise<CheckResult> {
  const start = io.now();
  try {
    const { passed, detail } = await body();
    return { check, passed, detail, seconds: (io.now() - start) / 1000 };
  } catch (error) {
    return { check, passed: false, detail: `could not check: ${failure(error)}`, seconds: (io.now() - start) / 1000 };
  }
}

const lastSegment = (id: string): string => id.replace(/\/+$/, "").split("/").pop() ?? id;

/** The environment a `command` check gets: what was restored, from what. */
export function commandEnvironment(data: RestoredData): Record<string, string> {
  return {
    AZURE_RESTORES_TARGET: data.target,
    AZURE_RESTORES_BACKUP_INSTANCE_ID: data.backupInstanceId,
    ...(data.recoveryPointId ? { AZURE_RESTORES_RECOVERY_POINT_ID: data.recoveryPointId } : {}),
    ...(data.jobId ? { AZURE_RESTORES_JOB_ID: data.jobId } : {}),
    ...(data.files ? { AZURE_RESTORES_CONTAINER_URL: data.files.containerUrl, AZURE_RESTORES_FILE_PREFIX: data.files.prefix } : {}),
    ...(data.database ? { AZURE_RESTORES_DATABASE_ID: data.database.id, AZURE_RESTORES_DATABASE_NAME: lastSegment(data.database.id), AZURE_RESTORES_CREDENTIALS_SECRET_URI: data.database.credentialsSecretUri } : {}),
  };
}

/** Every check `verify` names, in a fixed order: exists, files, sql, command. */
export async function verifyRestore(verify: DrillVerify | undefined, data: RestoredData, io: VerifyIO): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  if (!verify) return out;
  if (verify.exists) {
    out.push(
      await timed(io, "exists", async () => {
        const found = await io.resourceExists(data.target);
        return typeof found === "string" ? { passed: false, detail: `${data.target}: ${found}` } : { passed: found, detail: `${data.target} ${found ? "exists" : "does not exist"}` };
      }),
    );
  }
  if (verify.files) {
    const { minCount = 1, minBytes = 1 } = verify.files;
    out.push(
      await timed(io, "files", async () => {
        if (!data.files) return { passed: false, detail: "the restore wrote no files (it was not a restore as files)" };
        const blobs = await io.listBlobs(data.files.containerUrl, data.files.prefix);
        const bytes = blobs.reduce((sum, b) => sum + b.size, 0);
        const passed = blobs.length >= minCount && bytes >= minBytes;
        return { passed, detail: `${blobs.length} file(s), ${bytes} byte(s) under ${data.files.containerUrl}/${data.files.prefix} (wanted at least ${minCount} and ${minBytes} bytes)` };
      }),
    );
  }
  if (verify.sql) {
    const { query, minRows = 1 } = verify.sql;
    out.push(
      await timed(io, "sql", async () => {
        if (!data.database) return { passed: false, detail: "the restore created no database" };
        const connection = await io.secret(data.database.credentialsSecretUri);
        const rows = await io.queryRows(connection, lastSegment(data.database.id), query);
        return { passed: rows >= minRows, detail: `${query} returned ${rows} row(s) in ${lastSegment(data.database.id)} (wanted at least ${minRows})` };
      }),
    );
  }
  if (verify.command) {
    const argv = verify.command;
    out.push(
      await timed(io, "command", async () => {
        const { status, output } = await io.run(argv, commandEnvironment(data));
        return { passed: status === 0, detail: `${argv.join(" ")} exited ${status}${output ? `: ${output}` : ""}` };
      }),
    );
  }
  return out;
}
