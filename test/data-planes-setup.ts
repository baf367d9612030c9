import { execFileSync, spawn, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

/**
 * The real data planes `npm test` runs against: Azurite (blob only, in memory, loose) and a throwaway
 * PostgreSQL cluster (initdb into a temp dir, pg_ctl on a free port, its socket in that dir). Their
 * endpoints reach the test files through the environment (forks inherit it): see `test/helpers/data-planes.ts`.
 */

/** Azurite's well-known development account (learn.microsoft.com/azure/storage/common/storage-use-azurite, "Well-known storage account and key"). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** What globalSetup exports; the names test/helpers/data-planes.ts reads. */
export const ENV = {
  blobEndpoint: "AZURE_RESTORES_TEST_BLOB_ENDPOINT",
  blobAccount: "AZURE_RESTORES_TEST_BLOB_ACCOUNT",
  blobKey: "AZURE_RESTORES_TEST_BLOB_KEY",
  postgresUrl: "AZURE_RESTORES_TEST_POSTGRES_URL",
} as const;

const root = path.join(__dirname, "..");

export interface DataPlanesRunning {
  blobEndpoint: string;
  postgresUrl: string;
  startupMs: { azurite: number; postgres: number };
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** The newest PostgreSQL server binaries: Debian's /usr/lib/postgresql/<v>/bin, else initdb on PATH. */
export function postgresBinDir(base = "/usr/lib/postgresql", searchPath = process.env.PATH ?? ""): string {
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb"))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions.length > 0) return path.join(base, versions[0], "bin");
  for (const dir of searchPath.split(path.delimiter)) if (dir && fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl"))) return dir;
  throw new Error(
    "npm test needs a local PostgreSQL server (initdb, pg_ctl) to restore databases into: none under /usr/lib/postgresql/*/bin or on PATH.\n" +
      "Install it: sudo apt-get install -y postgresql   (Debian/Ubuntu; .ci/run does this)",
  );
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the `postgres` user when we are root (initdb and postgres refuse root). */
function pgRun(bin: string, args: string[]): void {
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"] });
}

function startAzurite(): Promise<{ child: ChildProcess; endpoint: string }> {
  const main = require.resolve("azurite/dist/src/blob/main.js", { paths: [root] });
  const child = spawn(process.execPath, [main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--loose", "--skipApiVersionCheck", "--disableProductStyleUrl"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within 20 s:\n${output}`)), 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(error);
    };
    const read = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const m = /listens on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners("data");
        child.stdout?.resume();
        child.stderr?.resume();
        resolve({ child, endpoint: `${m[1]}/${AZURITE_ACCOUNT}` });
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`Azurite exited (${code}) before it listened:\n${output}`)));
  });
}

async function startPostgres(): Promise<{ url: string; stop(): void }> {
  const bin = postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "azure-restores-pg-"));
  const data = path.join(dir, "data");
  const password = crypto.randomBytes(12).toString("hex");
  fs.writeFileSync(path.join(dir, "pwfile"), `${password}\n`);
  if (isRoot()) execFileSync("chown", ["-R", "postgres", dir]);
  pgRun(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", `--pwfile=${path.join(dir, "pwfile")}`, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const port = await freePort();
  // A throwaway cluster: no durability wanted, so no fsync.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  pgRun(path.join(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "30", "start"]);
  let stopped = false;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        pgRun(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already gone
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts both (in parallel) and exports their endpoints to this process's environment; `stop` ends both (also on exit). */
export async function startDataPlanes(): Promise<DataPlanesRunning> {
  const t0 = Date.now();
  const azuriteStarted = startAzurite().then((a) => ({ ...a, ms: Date.now() - t0 }));
  const postgresStarted = startPostgres().then((p) => ({ ...p, ms: Date.now() - t0 }));
  const [azurite, postgres] = await Promise.allSettled([azuriteStarted, postgresStarted]);
  const stop = () => {
    if (azurite.status === "fulfilled") {
      // In memory, nothing to keep: no graceful close (Azurite's takes seconds and holds its pipes open).
      const { child } = azurite.value;
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.kill("SIGKILL");
      child.unref();
    }
    if (postgres.status === "fulfilled") postgres.value.stop();
    process.off("exit", stop);
  };
  if (azurite.status === "rejected" || postgres.status === "rejected") {
    stop();
    throw (azurite.status === "rejected" ? azurite.reason : (postgres as PromiseRejectedResult).reason) as Error;
  }
  process.on("exit", stop);
  process.env[ENV.blobEndpoint] = azurite.value.endpoint;
  process.env[ENV.blobAccount] = AZURITE_ACCOUNT;
  process.env[ENV.blobKey] = AZURITE_KEY;
  process.env[ENV.postgresUrl] = postgres.value.url;
  return { blobEndpoint: azurite.value.endpoint, postgresUrl: postgres.value.url, startupMs: { azurite: azurite.value.ms, postgres: postgres.value.ms }, stop };
}
