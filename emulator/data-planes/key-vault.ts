import * as crypto from "crypto";
import type { Reply } from "../http";
import type { World } from "../world/world";
import { connectionString } from "./postgres";

/**
 * A stand-in for Key Vault's Get Secret (`GET {vaultBaseUrl}/secrets/{name}[/{version}]`), served at
 * `/keyvault/{vault}/secrets/{name}[/{version}]` on the emulator's HTTPS server, any api-version, no token:
 * the secrets are the world's `keyVaultSecrets` (`https://{vault}.vault.azure.net/secrets/{name}`), each
 * holding the configured PostgreSQL's connection string, in the form Azure Backup reads from the secret
 * a PostgreSQL restore names. The body is Key Vault's SecretBundle (value, id, attributes; Key Vault
 * REST reference "Get Secret", learn.microsoft.com/rest/api/keyvault/secrets/get-secret); an unknown secret
 * is Key Vault's 404 SecretNotFound with its message (quoted by the Azure SDK for Rust's Key Vault secrets
 * README). The route, the path form and the missing token check are the emulator's own.
 */

export const KEY_VAULT_PREFIX = "keyvault";

const hex32 = (text: string): string => crypto.createHash("sha256").update(text).digest("hex").slice(0, 32);

export function keyVaultReply(world: World, segments: string[], method: string, postgresUrl: string | undefined, nowMs: number): Reply {
  const [, vault, collection, name, version, ...rest] = segments;
  if (method !== "GET" || !vault || collection?.toLowerCase() !== "secrets" || !name || rest.length > 0) {
    return { status: 400, body: { error: { code: "BadParameter", message: `The emulator's Key Vault stand-in serves GET /${KEY_VAULT_PREFIX}/{vault}/secrets/{name}[/{version}] only.` } } };
  }
  const uri = `https://${vault.toLowerCase()}.vault.azure.net/secrets/${name}`;
  if (!world.secretExists(uri)) {
    const message = `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`;
    return { status: 404, body: { error: { code: "SecretNotFound", message } } };
  }
  if (!postgresUrl) {
    return { status: 503, body: { error: { code: "EmulatorPostgresNotConfigured", message: "The emulator's secrets hold the connection string of its PostgreSQL: start it with --postgres-url (EMULATOR_POSTGRES_URL) or the dataPlanes.postgresUrl option." } } };
  }
  const seconds = Math.floor(nowMs / 1000);
  return {
    status: 200,
    body: {
      value: connectionString(postgresUrl),
      id: `${uri}/${version ?? hex32(uri.toLowerCase())}`,
      attributes: { enabled: true, created: seconds, updated: seconds, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 },
      tags: {},
    },
  };
}
