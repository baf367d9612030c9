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
const DEMO_SUBSCRIPTION = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";

function hasPulumi(): boolean {
  return spawnSync("pulumi", ["version"], { stdio: "ignore" }).status === 0;
}

function pulumi(args: string[], env: NodeJS.ProcessEnv): number {
  console.log(`\n$ pulumi ${args.join(" ")}`);
  return spawnSync("pulumi", args, { cwd: root, env, stdio: "inherit" }).status ?? 1;
}

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(root, "dist", "providers", "runtime.js"))) {
    console.error("dist/ is missing: run `npm install` (or `npm run build`) first");
    return 2;
  }
  const checked = checkSpecFiles([path.join(root, specsDir)]);
  for (const p of checked.problems) console.error(formatProblem(p));
  if (checked.specs.length === 0) return 1;
  // Kinds whose emulator side is still to come have no backup instance in the default world: they are left out.
  const world = loadDefaultWorld();
  const specs = checked.specs.filter((c) => {
    const address = resolveBackupInstance(c.spec.spec.backupInstance, DEMO_SUBSCRIPTION);
    const known = address.ok && world.backupInstanceById(address.value.id) !== undefined;
    if (!known) console.log(`skipped ${c.spec.metadata.name} (${c.spec.kind}): the emulator's default world has no such backup instance`);
    return known;
  });
  if (specs.length === 0) return 1;
  // The Pulumi program reads a whole folder: give it one with the specs that can run.
  const runnableDir = specs.length < checked.specs.length ? fs.mkdtempSync(path.join(root, ".demo-specs-")) : undefined;
  if (runnableDir) {
    for (const c of specs) fs.copyFileSync(c.file, path.join(runnableDir, path.basename(c.file)));
    const policy = path.join(root, specsDir, "restore-policy.yaml");
    if (fs.existsSync(policy)) fs.copyFileSync(policy, path.join(runnableDir, "restore-policy.yaml"));
  }

  const work = fs.mkdtempSync(path.join(os.tmpdir(), "azure-restores-demo-"));
  const emulator = await startEmulator({ timeScale: 60, certDir: path.join(root, ".emulator", "certs") });
  console.log(`emulator: ${emulator.url} (CA ${emulator.caCertPath}), jobs run 60x faster than the world's durations`);
  const config: Record<string, string> = {
    endpoint: emulator.url,
    credential: "emulator",
    caCertPath: emulator.caCertPath,
    jobPollInterval: "PT1S",
    specs: runnableDir ? path.basename(runnableDir) : specsDir,
    // The examples name this subscription, or take it as the default; the emulator's world has it.
    subscriptionId: DEMO_SUBSCRIPTION,
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
      return up;
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
    for (const c of specs) {
      const result = await runtime.check(settings, {}, inputsOf(c));
      console.log(`  ${result.failures.length === 0 ? "ok  " : "FAIL"} ${c.spec.metadata.name}${result.failures.map((f) => `\n       ${f.reason}`).join("")}`);
      if (result.failures.length > 0) failed++;
    }
    if (failed > 0) return 1;
    console.log("\nup (validate, trigger, follow each restore job; restores on one storage account take turns):");
    const started = Date.now();
    const outcomes = await Promise.all(
      specs.map((c) =>
        runtime.create(settings, inputsOf(c)).then(
          ({ outs }) => outs,
          (error: Error & { properties?: { status: string; jobId: string } }) => ({ name: c.spec.metadata.name, status: error.properties?.status ?? "Failed", jobId: error.properties?.jobId ?? "-", duration: "", error: error.message }),
        ),
      ),
    );
    for (const o of outcomes) console.log(`  ${o.status.padEnd(10)} ${String(o.name).padEnd(24)} ${o.duration ?? ""}  ${o.jobId}`);
    console.log(`\n${outcomes.length} restores in ${((Date.now() - started) / 1000).toFixed(1)} s; request log: ${emulator.control.requestLog().length} API calls`);
    return outcomes.every((o) => o.status === "Completed" || o.status === "CompletedWithWarnings") ? 0 : 1;
  } finally {
    await emulator.stop();
    fs.rmSync(work, { recursive: true, force: true });
    if (runnableDir) fs.rmSync(runnableDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
