import type { AccessToken, TokenCredential } from "@azure/core-auth";

/** Token audience of Azure Resource Manager; the emulator accepts the same scope. */
export const ARM_SCOPE = "https://management.azure.com/.default";

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/**
 * A credential for the Data Protection API emulator: an unsigned token shaped like an Entra ID access
 * token (the emulator checks the shape, not a signature). Never use it against Azure.
 */
export class EmulatorCredential implements TokenCredential {
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    const now = Math.floor(Date.now() / 1000);
    const expiresOnTimestamp = (now + 3600) * 1000;
    const token = [
      base64url({ alg: "none", typ: "JWT" }),
      base64url({ aud: [scopes].flat()[0]?.replace(/\/\.default$/, "") ?? "https://management.azure.com", iss: "azure-restores-emulator", iat: now, exp: now + 3600, oid: "00000000-0000-0000-0000-000000000000" }),
      "emulator",
    ].join(".");
    return { token, expiresOnTimestamp };
  }
}

export type CredentialKind = "default" | "emulator" | "azure-cli" | "managed-identity" | "environment";

/**
 * The credential for a kind named in configuration. `@azure/identity` is loaded only when needed, so a
 * run against the emulator never touches it.
 */
export function credentialFor(kind: CredentialKind = "default"): TokenCredential {
  if (kind === "emulator") return new EmulatorCredential();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const identity = require("@azure/identity") as typeof import("@azure/identity");
  switch (kind) {
    case "azure-cli":
      return new identity.AzureCliCredential();
    case "managed-identity":
      return new identity.ManagedIdentityCredential();
    case "environment":
      return new identity.EnvironmentCredential();
    default:
      return new identity.DefaultAzureCredential();
  }
}
