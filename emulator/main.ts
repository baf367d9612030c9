#!/usr/bin/env node
import { DATA_PLANE_ENV, dataPlaneOptionsFromEnv, type DataPlaneOptions } from "./data-planes";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server";

/**
 * `npm run emulator -- [--port 8443] [--world file] [--time-scale x] [--faults file] [--state file]
 *                      [--cert file --key file [--ca file]] [--cert-dir dir] [--strict] [--quiet]
 *                      [--blob-endpoint url --blob-account name --blob-key key] [--postgres-url url]`
 * The data plane flags default to EMULATOR_BLOB_ENDPOINT, EMULATOR_BLOB_ACCOUNT, EMULATOR_BLOB_KEY and
 * EMULATOR_POSTGRES_URL (read here only: an emulator started in process takes the `dataPlanes` option).
 *
 * Prints one line when ready: `azure-restores emulator listening on https://127.0.0.1:PORT ca=/abs/ca.pem`.
 * Unless --quiet, one access-log line per request goes to stderr. Stops gracefully on SIGINT/SIGTERM.
 */

export const DEFAULT_PORT = 8443;

const USAGE = `usage: npm run emulator -- [options]
  --port <n>          port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --world <file>      world YAML/JSON (default emulator/worlds/default.yaml)
  --time-scale <x>    virtual seconds per real second (default 1)
  --faults <file>     fault rules YAML/JSON
  --state <file>      keep operations, jobs and the clock in this JSON file across restarts
  --cert <file>       PEM certificate to serve (with --key) instead of the generated one
  --key <file>        PEM private key of --cert
  --ca <file>         CA certificate of --cert that clients trust (default: --cert itself)
  --cert-dir <dir>    where the generated CA and certificate live (default .emulator/certs)
  --strict            reject body properties the definitions do not declare
  --quiet             no access log on stderr
  --blob-endpoint <url>   Blob endpoint restores as files write into (Azurite: http://127.0.0.1:10000/devstoreaccount1; env ${DATA_PLANE_ENV.blobEndpoint})
  --blob-account <name>   its account name (env ${DATA_PLANE_ENV.blobAccountName})
  --blob-key <key>        its account key (env ${DATA_PLANE_ENV.blobAccountKey})
  --postgres-url <url>    PostgreSQL that database restores create databases in: postgres://user:pw@host:port/postgres (env ${DATA_PLANE_ENV.postgresUrl})
  --help`;

export interface CliOptions extends EmulatorOptions {
  quiet: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  const out: CliOptions = { port: DEFAULT_PORT, quiet: false, help: false };
  const planes: DataPlaneOptions = dataPlaneOptionsFromEnv(env);
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const take = () => {
      if (inline !== undefined) return inline;
      const v = value(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case "--port": {
        const port = Number(take());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError("--port must be an integer 0..65535");
        out.port = port;
        break;
      }
      case "--world":
        out.world = take();
        break;
      case "--time-scale": {
        const scale = Number(take());
        if (!(scale > 0) || !Number.isFinite(scale)) throw new UsageError("--time-scale must be a positive number");
        out.timeScale = scale;
        break;
      }
      case "--faults":
        out.faults = take();
        break;
      case "--state":
        out.statePath = take();
        break;
      case "--cert":
        out.certPath = take();
        break;
      case "--key":
        out.keyPath = take();
        break;
      case "--ca":
        out.caPath = take();
        break;
      case "--cert-dir":
        out.certDir = take();
        break;
      case "--strict":
        out.strict = true;
        break;
      case "--quiet":
        out.quiet = true;
        break;
      case "--blob-endpoint":
        planes.blobEndpoint = take();
        break;
      case "--blob-account":
        planes.blobAccountName = take();
        break;
      case "--blob-key":
        planes.blobAccountKey = take();
        break;
      case "--postgres-url":
        planes.postgresUrl = take();
        break;
      case "--help":
      case "-h":
        out.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if ((out.certPath === undefined) !== (out.keyPath === undefined)) throw new UsageError("give both --cert and --key, or neither");
  const blob = [planes.blobEndpoint, planes.blobAccountName, planes.blobAccountKey].filter((v) => v !== undefined).length;
  if (blob !== 0 && blob !== 3) throw new UsageError("give --blob-endpoint, --blob-account and --blob-key together (or their EMULATOR_BLOB_* variables)");
  if (planes.postgresUrl !== undefined && !/^postgres(ql)?:\/\//i.test(planes.postgresUrl)) throw new UsageError("--postgres-url must be a postgres:// URL");
  if (Object.keys(planes).length > 0) out.dataPlanes = planes;
  return out;
}

export function readyLine(emulator: RunningEmulator): string {
  return `azure-restores emulator listening on ${emulator.url} ca=${emulator.caCertPath}`;
}

/** Starts the emulator from command-line arguments; resolves once it is listening. */
export async function runCli(argv: string[], io: { stdout: (line: string) => void; stderr: (line: string) => void }, env: NodeJS.ProcessEnv = {}): Promise<RunningEmulator | undefined> {
  const options = parseArgs(argv, env);
  if (options.help) {
    io.stdout(USAGE);
    return undefined;
  }
  const { quiet, help: _help, ...emulatorOptions } = options;
  const emulator = await startEmulator({
    ...emulatorOptions,
    ...(quiet
      ? {}
      : {
          onRequest: (e) =>
            io.stderr(`${e.startedAt} ${e.method} ${e.path} ${e.route} api-version=${e.apiVersion ?? "-"} ${e.status}${e.errorCode ? ` ${e.errorCode}` : ""}${e.fault ? ` fault=${e.fault}` : ""} ${e.durationMs}ms`),
        }),
  });
  io.stdout(readyLine(emulator));
  return emulator;
}

if (require.main === module) {
  runCli(process.argv.slice(2), { stdout: (l) => process.stdout.write(`${l}\n`), stderr: (l) => process.stderr.write(`${l}\n`) }, process.env)
    .then((emulator) => {
      if (!emulator) return;
      const shutdown = () => {
        emulator.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof UsageError ? `${err.message}\n${USAGE}` : (err as Error).message}\n`);
      process.exit(2);
    });
}
