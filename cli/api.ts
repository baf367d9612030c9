import * as fs from "fs";
import type { Problem } from "../errors/problem";
import { problem } from "../errors/problem";
import type { CredentialKind } from "../providers/client/credentials";
import type { CliIO } from "./io";
import type { FactsSource } from "./render";

export interface ApiOptions {
  endpoint?: string;
  credential?: string;
  caCertPath?: string;
}

const KINDS = ["default", "azure-cli", "managed-identity", "environment", "emulator"];

/** Backup instance facts from the Data Protection API; the client is loaded only when used. */
export function factsFromApi(options: ApiOptions, io: CliIO): FactsSource {
  return async (address, spec, apiVersion) => {
    const kind = options.credential ?? io.env.AZURE_RESTORES_CREDENTIAL ?? "default";
    if (!KINDS.includes(kind)) return { problems: [problem("CliInvalidOption", `--credential ${kind} is not known`, { remedy: `use one of ${KINDS.join(", ")}` })] };
    const caPath = options.caCertPath ?? io.env.AZURE_RESTORES_CA_CERT;
    let ca: string | undefined;
    if (caPath) {
      try {
        ca = fs.readFileSync(caPath, "utf8");
      } catch (error) {
        return { problems: [problem("CliInvalidOption", `cannot read --ca ${caPath}: ${(error as Error).message}`, { remedy: "pass the ca.pem the emulator printed" })] };
      }
    }
    const { DataProtectionClient, credentialFor, isDataProtectionError } = await import("../providers/client");
    const { fetchFacts } = await import("../providers/facts");
    try {
      const api = new DataProtectionClient({ endpoint: options.endpoint ?? io.env.AZURE_RESTORES_ENDPOINT, credential: credentialFor(kind as CredentialKind), apiVersion, ca });
      return await fetchFacts(api, spec, address);
    } catch (error) {
      const found: Problem = isDataProtectionError(error) ? error.toProblem({ field: "spec.backupInstance" }) : problem("CliApiError", (error as Error).message, { remedy: "check --endpoint and --credential" });
      return { problems: [found] };
    }
  };
}
