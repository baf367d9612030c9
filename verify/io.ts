import { spawn } from "child_process";
import type { TokenCredential } from "@azure/core-auth";
import type { DataProtectionClient } from "../client/client";
import { credentialFor, type CredentialKind } from "../client/credentials";
import { isDataProtectionError } from "../client/errors";
import type { VerifyIO } from "./index";

/**
 * The real reads of a drill's checks: ARM for a restored resource, Blob storage for files, Key Vault for
 * the connection string, PostgreSQL for rows, a child process for `command`. Against Azure they use the
 * provider's credential; against the emulator's data planes, the endpoints the settings name (Azurite,
 * the emulator's Key Vault, a local PostgreSQL).
 */
export interface DataPlaneSettings {
  credential: CredentialKind;
  /** Blob endpoint that serves every account (Azurite: `http://127.0.0.1:10000/devstoreaccount1`); containers map by name. */
  blobEndpoint?: string;
  blobAccountName?: string;
  blobAccountKey?: string;
  /** Base URL of a Key Vault stand-in: `{base}/{vault}/secrets/{name}` serves each secret (the emulator's). */
  keyVaultEndpoint?: string;
  /** Extra CA to trust for the stand-ins (the emulator's). */
  ca?: string;
}

/** ARM api-versions to read restored resources at, by type (lower case). */
const RESOURCE_API_VERSIONS: Readonly<Record<string, string>> = {
  "microsoft.compute/disks": "2023-04-02",
  // the version the CLI's recorded cross-region restore uses for the target database (cross_region_restore #2)
  "microsoft.dbforpostgresql/servers/databases": "2017-12-01",
  "microsoft.storage/storageaccounts": "2023-05-01",
  "microsoft.containerservice/managedclusters": "2025-09-01",
  "microsoft.documentdb/databaseaccounts": "2024-11-15",
};

function resourceType(id: string): string {
  const parts = id.split("/").filter(Boolean);
  const at = parts.findIndex((p) => p.toLowerCase() === "providers");
  const rest = parts.slice(at + 1);
  return [rest[0], ...rest.slice(1).filter((_, i) => i % 2 === 0)].join("/").toLowerCase();
}

/** `Server=h;Port=5432;User Id=u;Password=p;Database=d;Ssl Mode=Require` (the form Azure Backup's secret holds) or a postgres:// URL. */
export function parseConnectionString(text: string): { host: string; port: number; user: string; password?: string; ssl: boolean } {
  const trimmed = text.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    const url = new URL(trimmed);
    return { host: url.hostname, port: Number(url.port || 5432), user: decodeURIComponent(url.username), password: url.password ? decodeURIComponent(url.password) : undefined, ssl: url.searchParams.get("sslmode") === "require" };
  }
  const fields = new Map(trimmed.split(";").filter(Boolean).map((kv) => { const i = kv.indexOf("="); return [kv.slice(0, i).trim().toLowerCase().replace(/\s+/g, ""), kv.slice(i + 1).trim()] as const; }));
  const host = fields.get("server") ?? fields.get("host");
  const user = fields.get("userid") ?? fields.get("user") ?? fields.get("username");
  if (!host || !user) throw new Error("the secret is not a connection string (Server=...;User Id=...;Password=...) or a postgres:// URL");
  return { host, port: Number(fields.get("port") ?? 5432), user, password: fields.get("password"), ssl: (fields.get("sslmode") ?? "").toLowerCase() === "require" };
}

/** One GET over HTTPS (or HTTP, for a local stand-in), trusting the extra CA if given. */
function get(url: string, headers: Record<string, string>, ca?: string): Promise<{ status: number; text: string }> {
  const lib = url.startsWith("https:") ? (require("https") as typeof import("https")) : (require("http") as typeof import("http"));
  return new Promise((resolve, reject) => {
    const req = lib.get(url, { headers, ...(ca ? { ca } : {}) }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
  });
}

async function bearer(credential: TokenCredential, scope: string): Promise<string> {
  const token = await credential.getToken(scope);
  if (!token) throw new Error(`no token for ${scope}`);
  return token.token;
}

export function verifyIOFor(settings: DataPlaneSettings & { caCertPath?: string }, api: Pick<DataProtectionClient, "getResource">): VerifyIO {
  if (settings.caCertPath && !settings.ca) settings = { ...settings, ca: (require("fs") as typeof import("fs")).readFileSync(settings.caCertPath, "utf8") };
  const credential = () => credentialFor(settings.credential);
  return {
    now: () => Date.now(),

    async resourceExists(id) {
      const version = RESOURCE_API_VERSIONS[resourceType(id)];
      if (!version) return `no api-version known to read a ${resourceType(id)}`;
      try {
        await api.getResource(id, version);
        return true;
      } catch (error) {
        if (isDataProtectionError(error) && error.statusCode === 404) return false;
        return (error as Error).message;
      }
    },

    async listBlobs(containerUrl, prefix) {
      const { BlobServiceClient, StorageSharedKeyCredential } = require("@azure/storage-blob") as typeof import("@azure/storage-blob");
      const url = new URL(containerUrl);
      const container = url.pathname.split("/").filter(Boolean)[0];
      const service =
        settings.blobEndpoint && settings.blobAccountName && settings.blobAccountKey
          ? new BlobServiceClient(settings.blobEndpoint, new StorageSharedKeyCredential(settings.blobAccountName, settings.blobAccountKey))
          : new BlobServiceClient(`${url.protocol}//${url.host}`, credential());
      const out: Array<{ name: string; size: number }> = [];
      for await (const blob of service.getContainerClient(container).listBlobsFlat({ prefix })) out.push({ name: blob.name, size: blob.properties.contentLength ?? 0 });
      return out;
    },

    async secret(uri) {
      const url = new URL(uri);
      const vault = url.hostname.split(".")[0];
      const [, , name] = url.pathname.split("/");
      const target = settings.keyVaultEndpoint ? `${settings.keyVaultEndpoint.replace(/\/+$/, "")}/${vault}/secrets/${name}?api-version=7.4` : `${url.origin}/secrets/${name}?api-version=7.4`;
      const headers: Record<string, string> = { accept: "application/json" };
      if (!settings.keyVaultEndpoint) headers.authorization = `Bearer ${await bearer(credential(), "https://vault.azure.net/.default")}`;
      const { status, text } = await get(target, headers, settings.ca);
      if (status !== 200) throw new Error(`Key Vault answered ${status} for ${uri}`);
      const body = JSON.parse(text) as { value?: string };
      if (typeof body.value !== "string") throw new Error(`the secret ${uri} has no value`);
      return body.value;
    },

    async queryRows(connectionString, databaseName, sql) {
      const { Client } = require("pg") as typeof import("pg");
      const c = parseConnectionString(connectionString);
      const client = new Client({ host: c.host, port: c.port, user: c.user, password: c.password, database: databaseName, ...(c.ssl ? { ssl: { rejectUnauthorized: true } } : {}) });
      await client.connect();
      try {
        return (await client.query(sql)).rowCount ?? 0;
      } finally {
        await client.end();
      }
    },

    run(argv, env) {
      return new Promise((resolve) => {
        const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-2000));
        child.stdout.on("data", keep);
        child.stderr.on("data", keep);
        child.on("error", (error) => resolve({ status: 127, output: error.message }));
        child.on("close", (code) => resolve({ status: code ?? 1, output: output.trim().split("\n").slice(-5).join("\n") }));
      });
    },
  };
}
