import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import * as path from "path";
import type { AzureBackupJobResource } from "../api/types";
import { DEFAULT_API_VERSION } from "../api/versions";
import { ensureTlsMaterial, tlsMaterialFromFiles } from "./certs";
import type { ClockState } from "./clock";
import type { DataPlaneOptions, DataPlaneWrite, RestoredData } from "./data-planes";
import { Engine, type RequestLogEntry } from "./engine";
import { parseFaultRules, parseFaultsText, type FaultRule, type FaultState } from "./faults";
import { filterLog, type RequestLogFilter } from "./request-log";
import { jobResource } from "./views";
import { loadDefaultWorld, loadWorldFile, parseWorld, worldFromObject } from "./world/load";
import type { WorldFile } from "./world/model";
import { World } from "./world/world";

/**
 * Composition root: TLS material, the engine (protocol layer + state) and the HTTPS server bound to
 * 127.0.0.1. `startEmulator` is what tests and the CLI call.
 */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** World: a file path (YAML/JSON), a world object, or undefined for the default world. */
  world?: string | WorldFile | World;
  /** Virtual seconds per real second (default 1). */
  timeScale?: number;
  /** Faults at start: a file path (YAML/JSON) or rules. */
  faults?: string | FaultRule[];
  /** JSON file keeping operations, jobs and the clock across restarts. */
  statePath?: string;
  /** PEM certificate and key to serve instead of the generated ones (both or neither). */
  certPath?: string;
  keyPath?: string;
  /** With certPath: the CA certificate clients should trust (default: certPath itself, for a self-signed one). */
  caPath?: string;
  /** Where the generated CA and server certificate live (default `.emulator/certs` in the cwd). */
  certDir?: string;
  /** Reject request properties the definitions do not declare (Azure ignores them). */
  strict?: boolean;
  /** Largest accepted request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Called after each request (the CLI prints an access log line). */
  onRequest?: (entry: RequestLogEntry) => void;
  /**
   * Blob storage (Azurite) and PostgreSQL that completed restores write into (emulator/data-planes/):
   * restores as files write dump files, PostgreSQL database restores create the database with rows.
   */
  dataPlanes?: DataPlaneOptions;
}

export type { RequestLogFilter } from "./request-log";

/** In-process control, the same operations as the `/_emulator/` API. */
export interface EmulatorControl {
  /** Initial world and faults, no operations or jobs, clock restarted, request log cleared. */
  reset(): void;
  /** Replaces the world (YAML/JSON text or an object); drops operations and jobs, restarts the clock. */
  loadWorld(world: string | WorldFile): void;
  setFaults(rules: FaultRule[]): void;
  addFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  faults(): FaultState[];
  /** Moves virtual time forward; running operations and jobs finish when their time comes. */
  advance(seconds: number): ClockState;
  clock(): ClockState;
  requestLog(filter?: RequestLogFilter): RequestLogEntry[];
  clearRequestLog(): void;
  /** Restore jobs the emulator ran, as the newest api-version returns them. */
  jobs(): AzureBackupJobResource[];
  /** Bad-data switch for restores accepted from now on: globally, or for one backup instance (ARM ID or name). */
  setRestoredData(mode: RestoredData, backupInstance?: string): void;
  clearRestoredData(): void;
  /** Writes what jobs completed by now owe the data planes (requests do this before they answer); resolves when written. */
  settle(): Promise<void>;
  /** What completed restores wrote into the data planes (or failed to). */
  dataPlaneWrites(): DataPlaneWrite[];
}

export interface RunningEmulator {
  /** `https://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Absolute path of the CA certificate to trust (NODE_EXTRA_CA_CERTS, https `ca`). */
  caCertPath: string;
  /** PEM of that certificate. */
  caCert: string;
  /** Base URL of the Key Vault stand-in: `{keyVaultEndpoint}/{vault}/secrets/{name}` (what verify's keyVaultEndpoint takes). */
  keyVaultEndpoint: string;
  stop(): Promise<void>;
  control: EmulatorControl;
}

function resolveWorld(world: EmulatorOptions["world"]): World {
  if (world === undefined) return loadDefaultWorld();
  if (world instanceof World) return world;
  if (typeof world === "string") return loadWorldFile(world);
  return worldFromObject(world, "world option");
}

function resolveFaults(faults: EmulatorOptions["faults"]): FaultRule[] {
  if (faults === undefined) return [];
  if (typeof faults === "string") return parseFaultsText(fs.readFileSync(faults, "utf8"), faults);
  return faults;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  if ((options.certPath === undefined) !== (options.keyPath === undefined)) throw new Error("give both --cert and --key, or neither");
  const tls = options.certPath && options.keyPath ? tlsMaterialFromFiles(options.certPath, options.keyPath, options.caPath) : ensureTlsMaterial(options.certDir ?? path.join(process.cwd(), ".emulator", "certs"));
  const engine = new Engine({
    world: resolveWorld(options.world),
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    strict: options.strict ?? false,
    faults: resolveFaults(options.faults),
    ...(options.statePath !== undefined ? { statePath: options.statePath } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    ...(options.dataPlanes ? { dataPlanes: options.dataPlanes } : {}),
  });

  let fallbackBaseUrl = "https://127.0.0.1";
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    engine.handle(req, res, fallbackBaseUrl).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "InternalServerError", message: String(err) } }));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  fallbackBaseUrl = url;

  // Jobs also complete as real time passes: write what they owe without waiting for a request.
  const settler = engine.dataPlanes.configured ? setInterval(() => void engine.settle(), 1000) : undefined;
  settler?.unref();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      if (settler) clearInterval(settler);
      engine.changed();
      server.close(() => void engine.settle().then(() => resolve()));
      server.closeAllConnections();
    }));

  const control: EmulatorControl = {
    reset: () => engine.reset(),
    loadWorld: (world) => engine.loadWorld(typeof world === "string" ? parseWorld(world, "loadWorld") : worldFromObject(world, "loadWorld")),
    setFaults: (rules) => engine.faults.set(parseFaultRules(rules, "setFaults")),
    addFaults: (rules) => engine.faults.add(parseFaultRules(rules, "addFaults")),
    clearFaults: () => engine.faults.clear(),
    faults: () => engine.faults.list(),
    advance: (seconds) => {
      engine.advance(seconds);
      return engine.clock.state();
    },
    clock: () => engine.clock.state(),
    requestLog: (filter = {}) => filterLog(engine.requestLog(), filter),
    clearRequestLog: () => engine.clearRequestLog(),
    jobs: () => {
      const now = engine.clock.now();
      return [...engine.store.jobs.values()].map((j) => jobResource(j, now, DEFAULT_API_VERSION));
    },
    setRestoredData: (mode, backupInstance) => engine.restoredData.set(mode, backupInstance),
    clearRestoredData: () => engine.restoredData.clear(),
    settle: () => engine.settle(),
    dataPlaneWrites: () => [...engine.dataPlanes.writes],
  };

  return { url, port, caCertPath: tls.caCertPath, caCert: tls.caCert, keyVaultEndpoint: `${url}/keyvault`, stop, control };
}
