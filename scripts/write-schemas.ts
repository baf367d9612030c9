// Writes schemas/*.json from spec/schema-source.ts and the official definitions (npm run schemas).
import * as fs from "fs";
import * as path from "path";
import { renderSchemaFile, schemaFiles } from "../checks/schema-files";

const dir = path.join(__dirname, "..", "schemas");
for (const [name, content] of Object.entries(schemaFiles())) {
  fs.writeFileSync(path.join(dir, name), renderSchemaFile(content));
  console.log(`wrote schemas/${name}`);
}
