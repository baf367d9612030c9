/**
 * Drives `@pulumi/pulumi`'s dynamic-provider host (cmd/dynamic-provider) over gRPC the way the Pulumi
 * engine does, so the provider is tested as serialized code in a separate process, without the CLI.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";

const root = path.join(__dirname, "..");
/* eslint-disable @typescript-eslint/no-require-imports */
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const statusPb = require("@pulumi/pulumi/proto/status_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

export type Props = Record<string, unknown>;

export interface CreateOutcome {
  id?: string;
  properties?: Props;
  /** Set when the provider failed; with `id`/`properties` when it still created (init error). */
  error?: { message: string; initFailed: boolean; reasons: string[] };
}

export interface ProviderHost {
  configure(config: Record<string, string>): Promise<void>;
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: Array<{ property: string; reason: string }> }>;
  diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[] }>;
  create(urn: string, props: Props): Promise<CreateOutcome>;
  read(urn: string, id: string, props: Props): Promise<{ id: string; properties: Props }>;
  update(urn: string, id: string, olds: Props, news: Props): Promise<CreateOutcome>;
  delete(urn: string, id: string, props: Props): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): void;
  stop(): Promise<void>;
  stderr(): string;
  process: ChildProcessWithoutNullStreams;
}

function call<T>(client: grpc.Client, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, (req: unknown, cb: (err: grpc.ServiceError | null, res: T) => void) => void>)[method](request, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

function initFailure(error: grpc.ServiceError): CreateOutcome | undefined {
  const raw = error.metadata?.get("grpc-status-details-bin")?.[0];
  if (!raw) return undefined;
  const status = statusPb.Status.deserializeBinary(Buffer.isBuffer(raw) ? raw : Buffer.from(raw as string));
  for (const any of status.getDetailsList()) {
    if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
      const detail = providerPb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return {
        id: detail.getId(),
        properties: detail.getProperties()?.toJavaScript() ?? {},
        error: { message: error.details, initFailed: true, reasons: detail.getReasonsList() },
      };
    }
  }
  return undefined;
}

/** Stack configuration pointing the provider at an emulator (credential, CA, default subscription, quick job polls). */
export function emulatorConfig(emulator: { url: string; caCertPath: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "azure-restores:endpoint": emulator.url,
    "azure-restores:credential": "emulator",
    "azure-restores:caCertPath": emulator.caCertPath,
    "azure-restores:subscriptionId": "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f",
    "azure-restores:jobPollInterval": "PT0.2S",
    ...extra,
  };
}

/** Starts the host as the engine does (`node .../cmd/dynamic-provider <engine>`, cwd = the project). */
export async function startProviderHost(env: NodeJS.ProcessEnv = {}): Promise<ProviderHost> {
  const child = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/dynamic-provider"), "127.0.0.1:1"], {
    cwd: root,
    env: { ...process.env, PULUMI_PROJECT: "azure-restores", ...env },
  });
  let errText = "";
  child.stderr.on("data", (d) => (errText += d));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const line = out.split("\n")[0].trim();
      if (/^\d+$/.test(line) && out.includes("\n")) resolve(line);
    });
    child.on("exit", (code) => reject(new Error(`provider host exited (${code}) before listening: ${errText}`)));
  });
  const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as grpc.Client;
  const struct = (p: Props) => Struct.fromJavaScript(p);
  const host: ProviderHost = {
    process: child,
    stderr: () => errText,
    async configure(config) {
      const req = new providerPb.ConfigureRequest();
      req.setArgs(struct(config));
      const vars = req.getVariablesMap();
      for (const [k, v] of Object.entries(config)) vars.set(k, v);
      await call(client, "configure", req);
    },
    async check(urn, olds, news) {
      const req = new providerPb.CheckRequest();
      req.setUrn(urn);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call<{ getInputs(): { toJavaScript(): Props }; getFailuresList(): Array<{ getProperty(): string; getReason(): string }> }>(client, "check", req);
      return { inputs: res.getInputs().toJavaScript(), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    },
    async diff(urn, id, olds, news) {
      const req = new providerPb.DiffRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await call<{ getChanges(): number; getReplacesList(): string[] }>(client, "diff", req);
      const changes = res.getChanges();
      const kinds = providerPb.DiffResponse.DiffChanges;
      return { changes: changes === kinds.DIFF_SOME ? "some" : changes === kinds.DIFF_NONE ? "none" : "unknown", replaces: res.getReplacesList() };
    },
    async create(urn, props) {
      const req = new providerPb.CreateRequest();
      req.setUrn(urn);
      req.setProperties(struct(props));
      try {
        const res = await call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>(client, "create", req);
        return { id: res.getId(), properties: res.getProperties().toJavaScript() };
      } catch (error) {
        return initFailure(error as grpc.ServiceError) ?? { error: { message: (error as grpc.ServiceError).details ?? String(error), initFailed: false, reasons: [] } };
      }
    },
    async read(urn, id, props) {
      const req = new providerPb.ReadRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(struct(props));
      const res = await call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>(client, "read", req);
      return { id: res.getId(), properties: res.getProperties().toJavaScript() };
    },
    async update(urn, id, olds, news) {
      const req = new providerPb.UpdateRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      try {
        const res = await call<{ getProperties(): { toJavaScript(): Props } }>(client, "update", req);
        return { id, properties: res.getProperties().toJavaScript() };
      } catch (error) {
        return initFailure(error as grpc.ServiceError) ?? { error: { message: (error as grpc.ServiceError).details ?? String(error), initFailed: false, reasons: [] } };
      }
    },
    async delete(urn, id, props) {
      const req = new providerPb.DeleteRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(struct(props));
      await call(client, "delete", req);
    },
    kill() {
      child.kill("SIGKILL");
    },
    async stop() {
      client.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
  return host;
}
