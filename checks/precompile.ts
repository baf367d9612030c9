import * as fs from "fs";
import * as path from "path";
import { BODY_VALIDATORS_DIR, PRECOMPILED_BODIES, bodyValidatorSource } from "../api/schema";
import { API_VERSIONS } from "../api/versions";
import { STANDALONE_FILE, standaloneSource } from "./validators";

/**
 * `npm run build`, after tsc: writes the checks' validators as ajv standalone code into the build
 * (dist/checks/), so a process loads them instead of compiling the schemas.
 */
export function writeStandaloneValidators(dir: string = __dirname): string {
  const file = path.join(dir, STANDALONE_FILE);
  fs.writeFileSync(file, standaloneSource());
  return file;
}

/** Likewise the request bodies' validators of every api-version (dist/api/validators/). */
export function writeBodyValidators(apiDir: string = path.join(__dirname, "..", "api")): string[] {
  const dir = path.join(apiDir, BODY_VALIDATORS_DIR);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const version of API_VERSIONS) {
    for (const definition of PRECOMPILED_BODIES) {
      const { fileName, source } = bodyValidatorSource(version, definition, { strict: true });
      fs.writeFileSync(path.join(dir, fileName), source);
      files.push(path.join(dir, fileName));
    }
  }
  return files;
}

if (require.main === module) {
  writeStandaloneValidators();
  writeBodyValidators();
}
