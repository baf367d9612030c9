import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { startDataPlanes } from "./data-planes-setup";

const root = path.join(__dirname, "..");
const SOURCE_DIRS = ["api", "errors", "language", "kinds", "checks", "drills", "plan", "client", "facts", "verify", "providers", "report", "cli", "emulator"];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(full));
    else if (entry.name.endsWith(".ts")) latest = Math.max(latest, fs.statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * The provider host and the CLI run compiled code from dist/ (as they do for users); rebuild it when
 * a source is newer, so `npx vitest` alone tests what is on disk. Then start the data planes restores
 * write into (Azurite, a throwaway PostgreSQL: test/data-planes-setup.ts); the returned teardown stops them.
 */
export default async function setup(): Promise<() => void> {
  const marker = path.join(root, "dist", "providers", "runtime.js");
  const built = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  const sources = Math.max(...SOURCE_DIRS.filter((d) => fs.existsSync(path.join(root, d))).map((d) => newest(path.join(root, d))));
  if (sources > built) execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
  const running = await startDataPlanes();
  if (process.env.AZURE_RESTORES_TEST_TIMINGS) process.stderr.write(`data planes up: Azurite ${running.startupMs.azurite} ms, PostgreSQL ${running.startupMs.postgres} ms\n`);
  return running.stop;
}
