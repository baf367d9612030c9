import { definitionJsonSchema } from "../api/schema";
import { DEFAULT_API_VERSION } from "../api/versions";
import { RAW_REQUEST_SCHEMA_FILE } from "../kinds";
import { policySchema } from "./policy";
import { restoreSchema } from "./schema";

/** The files of `schemas/`, by name: what `npm run schemas` writes and a test keeps current. */
export function schemaFiles(): Record<string, unknown> {
  return {
    "restore.schema.json": restoreSchema(),
    "restore-policy.schema.json": policySchema(),
    [RAW_REQUEST_SCHEMA_FILE]: {
      $schema: "http://json-schema.org/draft-07/schema#",
      title: `AzureBackupRestoreRequest (Microsoft.DataProtection ${DEFAULT_API_VERSION})`,
      description: `Generated from the official definitions of api-version ${DEFAULT_API_VERSION} for editor completion; the checks use the run's api-version.`,
      ...definitionJsonSchema(DEFAULT_API_VERSION, "AzureBackupRestoreRequest"),
    },
  };
}

export function renderSchemaFile(content: unknown): string {
  return `${JSON.stringify(content, null, 2)}\n`;
}
