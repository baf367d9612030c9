/**
 * `npm run demo`: starts the Data Protection API emulator and runs the shipped restore specs against it.
 * With the Pulumi CLI on PATH: `pulumi preview` then `pulumi up` on a local file backend, and the stack
 * output. Without it: says so, and runs the same provider code the engine would (check = preview with
 * Azure's validation, then create = validate, trigger, follow the job).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { formatProblem } from "../errors/problem";
import { startEmulator } from "../emulator/server";
import { loadDefaultWorld } from "../emulator/world";
import { checkSpecFiles } from "../checks";
import { resolveBackupInstance } from "../language/backup-instance";

const root = path.join(__dirname, "..");
const specsDir = process.argv[2] ?? "restores";
// The examples name this subscription, or take it as the default; the emulator's world has it.
const SUBSCRIPTION = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";

function hasPulumi(): boolean {
  return spawnSync("pulumi", ["version"], { stdio: "ignore" }).status === 0;
}

function pulumi(args: string[], env: NodeJS.ProcessEnv): number {
  console.log(`\n$ pulumi ${args.join(" ")}`);
  return spawnSync("pulumi", args, { cwd: root, env, stdio: "inherit" }).status ?? 1;
}

/** A restore drill and its report, after the restores (scripts/demo-drill.ts). */
async function drill(emulator: Awaited<ReturnType<typeof startEmulator>>): Promise<boolean> {
  const { demoDrill } = await import("./demo-drill");
  const { passed, outDir } = await demoDrill(emulator, SUBSCRIPTION, path.join(root, "drill-report"));
  console.log(`  drill ${passed ? "passed" : "FAILED"}; report written to ${outDir}/report.md, report.html and report.json (open report.html in a browser)`);
  return passed;
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(root, "dist", "providers", "runtime.js"))) {
    console.error("dist/ is missing: run `npm install` (or `npm run build`) first");
    return 2;
  }
  const all = checkSpecFiles([path.join(root, specsDir)]);
  for (const p of all.problems) console.error(formatProblem(p));
  // Kinds whose emulator side is still to come have no backup instance in its default world: say so and
  // run the others (each such kind's emulator side adds its instances, and then its examples run too).
  const world = loadDefaultWorld();
  const inWorld = (c: (typeof all.specs)[number]) => {
    const address = resolveBackupInstance(c.spec.spec.backupInstance, SUBSCRIPTION);
    return address.ok && world.backupInstanceById(address.value.id) !== undefined;
  };
  for (const c of all.specs.filter((c) => !inWorld(c))) console.log(`skipped ${c.spec.metadata.name} (${c.spec.kind}): the emulator's default world has no such backup instance yet`);
  const checked = { ...all, specs: all.specs.filter(inWorld) };
  if (checked.specs.length === 0) return 1;

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "azure-restores-demo-"));
  // The Pulumi program reads a folder: the runnable specs (and the folder's policy), copied.
  const runnable = path.join(work, "specs");
  fs.mkdirSync(runnable);
  for (const c of checked.specs) fs.copyFileSync(c.file, path.join(runnable, path.basename(c.file)));
  if (fs.existsSync(path.join(root, specsDir, "restore-policy.yaml"))) fs.copyFileSync(path.join(root, specsDir, "restore-policy.yaml"), path.join(runnable, "restore-policy.yaml"));
  const emulator = await startEmulator({ timeScale: 60, certDir: path.join(root, ".emulator", "certs") });
  console.log(`emulator: ${emulator.url} (CA ${emulator.caCertPath}), jobs run 60x faster than the world's durations`);
  const config: Record<string, string> = {
    endpoint: emulator.url,
    credential: "emulator",
    caCertPath: emulator.caCertPath,
    jobPollInterval: "PT1S",
    specs: runnable,
    subscriptionId: SUBSCRIPTION,
  };
  try {
    if (hasPulumi()) {
      const env = { ...process.env, PULUMI_BACKEND_URL: `file://${work}`, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_SKIP_UPDATE_CHECK: "true" };
      if (pulumi(["stack", "init", "demo"], env) !== 0) return 1;
      for (const [k, v] of Object.entries(config)) pulumi(["config", "set", `azure-restores:${k}`, v], env);
      if (pulumi(["preview"], env) !== 0) return 1;
      const up = pulumi(["up", "--yes", "--skip-preview"], env);
      pulumi(["stack", "output", "restores"], env);
      pulumi(["stack", "history"], env);
      return up === 0 && (await drill(emulator)) ? 0 : 1;
    }
    console.log(
      [
        "",
        "The Pulumi CLI is not installed, so `pulumi up` cannot run here. To get it:",
        "  curl -fsSL https://get.pulumi.com | sh      (or: brew install pulumi/tap/pulumi, winget install pulumi)",
        "  then run `npm run demo` again.",
        "Meanwhile, the same provider code `pulumi preview` and `pulumi up` call runs now, in-process:",
        "",
      ].join("\n"),
    );
    const runtime = (await import("../providers/runtime")) as typeof import("../providers/runtime");
    const settings = runtime.settingsFrom((key) => config[key], process.env);
    const inputsOf = (c: (typeof checked.specs)[number]) => ({ spec: c.spec, specFile: path.relative(root, c.file) });
    console.log("preview (Azure's validateRestore for each restore):");
    let failed = 0;
    for (const c of checked.specs) {
      const result = await runtime.check(settings, {}, inputsOf(c));
      console.log(`  ${result.failures.length === 0 ? "ok  " : "FAIL"} ${c.spec.metadata.name}${result.failures.map((f) => `\n       ${f.reason}`).join("")}`);
      if (result.failures.length > 0) failed++;
    }
    if (failed > 0) return 1;
    console.log("\nup (validate, trigger, follow each restore job; restores on one storage account take turns):");
    const started = Date.now();
    const outcomes = await Promise.all(
      checked.specs.map((c) =>
        runtime.create(settings, inputsOf(c)).then(
          ({ outs }) => outs,
          (error: Error & { properties?: { status: string; jobId: string } }) => ({ name: c.spec.metadata.name, status: error.properties?.status ?? "Failed", jobId: error.properties?.jobId ?? "-", duration: "", error: error.message }),
        ),
      ),
    );
    for (const o of outcomes) console.log(`  ${o.status.padEnd(10)} ${String(o.name).padEnd(24)} ${o.duration ?? ""}  ${o.jobId}`);
    console.log(`\n${outcomes.length} restores in ${((Date.now() - started) / 1000).toFixed(1)} s; request log: ${emulator.control.requestLog().length} API calls`);
    const restored = outcomes.every((o) => o.status === "Completed" || o.status === "CompletedWithWarnings");
    return restored && (await drill(emulator)) ? 0 : 1;
  } finally {
    await emulator.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
