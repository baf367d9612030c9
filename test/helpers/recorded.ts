import * as fs from "fs";
import * as path from "path";
import type { AzureBackupRecoveryPointResource, BackupInstanceResource } from "../../api/types";
import { checkParsedSpec, parseSpecText } from "../../checks";
import type { Problem } from "../../errors/problem";
import type { RestoreSpec } from "../../kinds";

/** Reading the fixtures of test/fixtures: recorded exchanges, quoted bodies, backup instances. */
const fixtures = path.join(__dirname, "..", "fixtures");


function interaction(recording: string, index: number): RecordedInteraction {
  const file = JSON.parse(fs.readFileSync(path.join(fixtures, "recordings", `${recording}.json`), "utf8")) as { interactions: RecordedInteraction[] };
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

export interface RecordedInteraction {
  index: number;
  method: string;
  uri: string;
  apiVersion: string;
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
}

export function recording(name: string): RecordedInteraction[] {
  return (JSON.parse(fs.readFileSync(path.join(fixtures, "recordings", `${name}.json`), "utf8")) as { interactions: RecordedInteraction[] }).interactions;
}

/** The one `POST …/restore` of a recording: the body `az dataprotection backup-instance restore trigger` sent. */
export function recordedRestore(name: string): RecordedInteraction {
  const posts = recording(name).filter((i) => i.method === "POST" && /\/backupInstances\/[^/]+\/restore\?/.test(i.uri));
  if (posts.length !== 1) throw new Error(`${name}: expected one restore POST, found ${posts.length}`);
  return posts[0];
}


/** A spec text that passes every check (errors fail the test; warnings are returned). */
export function checkedSpec(yaml: string, now = new Date("2026-11-21T00:00:00Z")): { spec: RestoreSpec; warnings: Problem[] } {
  const { parsed, problems } = parseSpecText("restores/x.yaml", yaml);
  if (!parsed) throw new Error(`not YAML: ${JSON.stringify(problems)}`);
  const checked = checkParsedSpec(parsed, { now });
  const errors = checked.problems.filter((p) => p.severity === "error");
  if (errors.length > 0 || !checked.spec) throw new Error(`spec has errors: ${JSON.stringify(errors, null, 2)}`);
  return { spec: checked.spec, warnings: checked.problems };
}
