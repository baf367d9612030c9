import * as fs from "fs";
import * as path from "path";
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

if (require.main === module) writeStandaloneValidators();
