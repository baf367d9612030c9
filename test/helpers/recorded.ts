import * as fs from "fs";
import * as path from "path";
import type { AzureBackupRecoveryPointResource, BackupInstanceResource } from "../../api/types";

/** Reading the fixtures of test/fixtures: recorded exchanges, quoted bodies, backup instances. */
const fixtures = path.join(__dirname, "..", "fixtures");

interface Interaction {
  index: number;
  method: string;
  uri: string;
  apiVersion: string;
  requestBody: unknown;
  responseBody: unknown;
}

function interaction(recording: string, index: number): Interaction {
  const file = JSON.parse(fs.readFileSync(path.join(fixtures, "recordings", `${recording}.json`), "utf8")) as { interactions: Interaction[] };
  const found = file.interactions.find((i) => i.index === index);
  if (!found) throw new Error(`${recording} has no interaction #${index}`);
  return found;
}

/** The request body of a recorded interaction, exactly as the CLI sent it. */
export function recordedRequest(recording: string, index: number): unknown {
  return interaction(recording, index).requestBody;
}

/** The recovery points a recorded `recovery-point list` returned. */
export function recordedRecoveryPoints(recording: string, index: number): AzureBackupRecoveryPointResource[] {
  return (interaction(recording, index).responseBody as { value: AzureBackupRecoveryPointResource[] }).value;
}

export function quotedBody(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(fixtures, "quoted", `${name}.json`), "utf8"));
}

export function instanceFixture(name: string): BackupInstanceResource {
  return JSON.parse(fs.readFileSync(path.join(fixtures, "instances", `${name}.json`), "utf8")) as BackupInstanceResource;
}

/**
 * A recorded body in the definitions' spelling: CLI versions before its `_SNAKE_TO_CAMEL_OVERRIDES`
 * (CLI-helpers@8722) wrote `resource_id` as `resourceId`; the definitions (and the CLI since, as the
 * 2025 Data Lake restore shows) spell it `resourceID`. ARM reads either; a strict check reads only
 * `resourceID`. The only difference between the recorded bodies and the definitions.
 */
export function inDefinitionsSpelling(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(inDefinitionsSpelling);
  if (body && typeof body === "object") {
    return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k === "resourceId" ? "resourceID" : k, inDefinitionsSpelling(v)]));
  }
  return body;
}
