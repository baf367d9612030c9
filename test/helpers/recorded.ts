import * as fs from "fs";
import * as path from "path";
import type { BackupInstanceResource } from "../../api/types";
import { checkParsedSpec, parseSpecText } from "../../checks";
import type { Problem } from "../../errors/problem";
import type { RestoreSpec } from "../../kinds";

/** The CLI's recorded exchanges (test/fixtures/recordings/) and the fixture backup instances built from them. */

const fixtures = path.join(__dirname, "..", "fixtures");

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

export function fixtureInstance(name: string): BackupInstanceResource {
  return JSON.parse(fs.readFileSync(path.join(fixtures, "instances", `${name}.json`), "utf8")) as BackupInstanceResource;
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
