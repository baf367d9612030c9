import * as fs from "fs";
import type { CredentialKind } from "../client/credentials";
import { problem } from "../errors/problem";
import { failed, ok } from "../errors/result";
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
    if (!KINDS.includes(kind)) return failed(problem("CliInvalidOption", `--credential ${kind} is not known`, { remedy: `use one of ${KINDS.join(", ")}` }));
    const caPath = options.caCertPath ?? io.env.AZURE_RESTORES_CA_CERT;
    let ca: string | undefined;
    if (caPath) {
      try {
        ca = fs.readFileSync(caPath, "utf8");
      } catch (error) {
        return failed(problem("CliInvalidOption", `cannot read --ca ${caPath}: ${(error as Error).message}`, { remedy: "pass the ca.pem the emulator printed" }));
      }
    }
    const { DataProtectionClient, credentialFor, isDataProtectionError } = await import("../client");
    const { fetchFacts } = await import("../facts");
    try {
      const api = new DataProtectionClient({ endpoint: options.endpoint ?? io.env.AZURE_RESTORES_ENDPOINT, credential: credentialFor(kind as CredentialKind), apiVersion, ca });
      return ok(await fetchFacts(api, spec, address, apiVersion));
    } catch (error) {
      if (!isDataProtectionError(error)) return failed(problem("CliApiError", (error as Error).message, { remedy: "check --endpoint and --credential" }));
      // A sign-in failure is about no field of the spec.
      return failed(error.code === "CredentialUnavailable" ? error.toProblem() : error.toProblem({ field: "spec.backupInstance" }));
    }
  };
}
