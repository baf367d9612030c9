import * as fs from "fs";
import * as path from "path";

let cached: string | undefined;

/** This tool's version, from its package.json (found from source and from dist/ alike). */
export function toolVersion(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "azure-restores") return (cached = pkg.version ?? "0.0.0");
    }
    if (path.dirname(dir) === dir) return (cached = "0.0.0");
  }
}

export function userAgentPrefix(): string {
  return `azure-restores/${toolVersion()}`;
}
