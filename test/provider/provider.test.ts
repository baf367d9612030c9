import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { loadDefaultWorld } from "../../emulator/world";
import { FakeEngine, RESTORE_TYPE, runProgram, type Registration } from "../../harness/engine";
import { emulatorConfig, startProviderHost, type ProviderHost } from "../../harness/host";
import type { RestoreSpec } from "../../kinds";
import { resolveBackupInstance } from "../../language/backup-instance";

const root = path.join(__dirname, "..", "..");
const NAMES = [
  "aks-shop-into-cluster2",
  "appdisk01-as-new-disk",
  "cosmos-src-into-tgt",
  "datalake-raw-containers",
  "empdb11-as-database",
  "empdb11-as-files",
  "empdb11-from-archive",
  "esan-srcvol1-as-restoredvol1",
  "msblob-all-20210708",
  "msblob-ranges-20210708",
  "mysqlflex-shop-as-files",
  "pgflex-orders-as-files",
];
/** Kinds whose emulator side (datasource types, world entries) is not there yet: their examples cannot run against it. */
const NOT_YET_EMULATED: string[] = [];

let emulator: RunningEmulator;
let program: Registration[];
const hosts: ProviderHost[] = [];

/** A host as one `pulumi up` gets it: a fresh process, configured. */
async function newHost(): Promise<ProviderHost> {
  const host = await startProviderHost();
  hosts.push(host);
  await host.configure(emulatorConfig(emulator));
  return host;
}

function restorePosts(status?: number): number {
  return emulator.control.requestLog({ route: "restore", method: "POST" }).filter((e) => status === undefined || e.status === status).length;
}

function reg(name: string): Registration {
  const found = program.find((r) => r.name === name);
  if (!found) throw new Error(`no registration ${name}`);
  return JSON.parse(JSON.stringify(found)) as Registration;
}

/** The registration with its spec edited, as the program would register the edited file. */
function edited(name: string, edit: (spec: Record<string, any>) => void): Registration {
  const r = reg(name);
  edit(r.inputs.spec as Record<string, any>);
  return r;
}

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 300, strict: true, certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
  const run = runProgram({ "azure-restores:specs": "restores" });
  expect(run.error).toBeUndefined();
  program = run.registrations;
});

afterAll(async () => {
  for (const host of hosts) await host.stop().catch(() => undefined);
  await emulator?.stop();
});

beforeEach(() => {
  emulator.control.reset();
});

describe("the program under Pulumi's mocks", () => {
  it("registers one Restore per spec, named by metadata.name, with its own type", () => {
    expect(program.map((r) => r.name).sort()).toEqual(NAMES);
    for (const r of program) {
      expect(r.type).toBe(RESTORE_TYPE);
      expect(r.inputs.specFile).toBe(`restores/${r.name}.yaml`);
      expect((r.inputs.spec as { metadata: { name: string } }).metadata.name).toBe(r.name);
      expect(typeof r.inputs.__provider).toBe("string");
    }
  });

  it("shares one serialized provider that captures no client and no configuration", () => {
    const providers = new Set(program.map((r) => r.inputs.__provider as string));
    expect(providers.size).toBe(1);
    const code = [...providers][0];
    expect(code).toContain('require("path").resolve("dist", "providers", "runtime.js")');
    expect(code).not.toMatch(/DataProtectionClient|management\.azure\.com|Bearer|settingsFrom\(\{/);
  });

  it("exports the stack output `restores`: name -> { jobId, status }", () => {
    const run = runProgram({ "azure-restores:specs": "restores" });
    expect(Object.keys(run.outputs.restores as object).sort()).toEqual(NAMES);
    expect((run.outputs.restores as Record<string, unknown>)["msblob-all-20210708"]).toEqual({ jobId: "job-of-msblob-all-20210708", status: "Completed" });
  });

  it("passes the folder's restore policy to every restore", () => {
    const dir = fs.mkdtempSync(path.join(root, ".test-specs-"));
    try {
      fs.copyFileSync(path.join(root, "restores", "empdb11-as-files.yaml"), path.join(dir, "empdb11-as-files.yaml"));
      fs.writeFileSync(path.join(dir, "restore-policy.yaml"), "apiVersion: azure-restores/v1\nkind: RestorePolicy\nrules:\n  requireTicket: true\n  maxRestoresPerRun: 3\n");
      const run = runProgram({ "azure-restores:specs": path.basename(dir) });
      expect(run.error).toBeUndefined();
      expect(run.registrations.map((r) => r.inputs.policy)).toEqual([{ requireTicket: true, maxRestoresPerRun: 3 }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stops with every error of every spec before registering anything", () => {
    const dir = fs.mkdtempSync(path.join(root, ".test-specs-"));
    try {
      for (const f of fs.readdirSync(path.join(root, "restores"))) fs.copyFileSync(path.join(root, "restores", f), path.join(dir, f));
      fs.appendFileSync(path.join(dir, "empdb11-as-files.yaml"), "  bogus: 1\n");
      fs.writeFileSync(path.join(dir, "msblob-all-20210708.yaml"), fs.readFileSync(path.join(dir, "msblob-all-20210708.yaml"), "utf8").replace("PT2H", "two hours"));
      const run = runProgram({ "azure-restores:specs": path.basename(dir) });
      expect(run.registrations).toEqual([]);
      expect(run.error).toContain("2 problems in the restore specs; nothing was registered");
      expect(run.error).toMatch(/empdb11-as-files\.yaml:\d+:\d+  spec\.bogus  unknown field 'bogus'/);
      expect(run.error).toMatch(/msblob-all-20210708\.yaml:\d+:\d+  spec\.wait\.timeout  'two hours' must be an ISO 8601 duration/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the provider in the dynamic-provider host, driven like the engine", () => {
  it("preview of a new spec runs Azure's validation and nothing else", async () => {
    const engine = new FakeEngine();
    const steps = await engine.preview(await newHost(), [reg("empdb11-as-database")]);
    expect(steps).toEqual([{ name: "empdb11-as-database", op: "create" }]);
    expect(emulator.control.requestLog({ route: "validateRestore", method: "POST" })).toHaveLength(1);
    expect(restorePosts()).toBe(0);
  });

  it("preview fails on what Azure would reject, with the service's error and fix", async () => {
    const lower = edited("empdb11-as-database", (s) => {
      s.spec.target.database.id = s.spec.target.database.id.replace("targetossserver/", "targetossserver95/");
    });
    const steps = await new FakeEngine().preview(await newHost(), [lower]);
    expect(steps[0].op).toBe("failed");
    expect(steps[0].failures!.join("\n")).toContain(
      "Restoring backups of a higher PostgreSQL version to a lower version is not supported.",
    );
    expect(steps[0].failures!.join("\n")).toContain("UserErrorRestoreToLowerVersion");
    expect(steps[0].failures!.join("\n")).toContain("(fix: Restore to the same or a higher PostgreSQL version from which the backup was taken.)");
    expect(restorePosts()).toBe(0);
  });

  it("up runs every restore once, records the audit trail, and a second up makes no calls", async () => {
    // The examples whose backup instance the emulator's default world holds; the others are of kinds
    // whose emulator side comes later (it adds their instances to the world, and this filter keeps none out).
    const world = loadDefaultWorld();
    const inWorld = program.filter((r) => {
      const address = resolveBackupInstance((r.inputs.spec as RestoreSpec).spec.backupInstance, emulatorConfig(emulator)["azure-restores:subscriptionId"]);
      return address.ok && world.backupInstanceById(address.value.id) !== undefined;
    });
    const left = program.filter((r) => !inWorld.includes(r)).map((r) => (r.inputs.spec as RestoreSpec).kind);
    expect(left.filter((kind) => !NOT_YET_EMULATED.includes(kind))).toEqual([]);
    const engine = new FakeEngine();
    const steps = await engine.up(await newHost(), inWorld);
    expect(steps.map((s) => `${s.name}:${s.op}`).sort()).toEqual(inWorld.map((r) => `${r.name}:create`).sort());
    expect(restorePosts(202)).toBe(inWorld.length);
    const record = engine.state.get("empdb11-as-database")!.outputs;
    expect(record).toMatchObject({
      status: "Completed",
      kind: "PostgreSQLRestore",
      recoveryPointId: "eb006fde78cb47198be5a320fbe45e9b",
      ticket: "CHG-1021",
      requestedBy: "dba-team@example.com",
      adopted: false,
      errors: [],
    });
    expect(record.jobId).toMatch(/\/backupVaults\/testBkpVault\/backupJobs\/[0-9a-f-]{36}$/i);
    expect(engine.state.get("empdb11-as-database")!.id).toBe(record.jobId);
    for (const key of ["startTime", "endTime", "duration", "validatedAt", "triggeredAt", "requestHash", "request", "target"]) expect(record[key], key).toBeTruthy();

    for (const name of ["appdisk01-as-new-disk", "pgflex-orders-as-files", "mysqlflex-shop-as-files", "datalake-raw-containers"]) {
      expect(engine.state.get(name)?.outputs.status, name).toBe("Completed");
    }
    expect(engine.state.get("pgflex-orders-as-files")!.outputs.recoveryPointId).toBe("b2c3d4e5f6a74819203b4c5d6e7f8091");

    // Both blob restores target msblobbackup: their jobs must not overlap.
    const blobJobs = ["msblob-all-20210708", "msblob-ranges-20210708"].map((n) => engine.state.get(n)!.outputs);
    const [a, b] = blobJobs.sort((x, y) => Date.parse(x.startTime as string) - Date.parse(y.startTime as string));
    expect(Date.parse(b.startTime as string)).toBeGreaterThanOrEqual(Date.parse(a.endTime as string));

    emulator.control.clearRequestLog();
    const again = await engine.up(await newHost(), inWorld);
    expect(again.every((s) => s.op === "same")).toBe(true);
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("a metadata edit updates in place and keeps the outputs; a rerun change runs the restore again", async () => {
    const engine = new FakeEngine();
    await engine.up(await newHost(), [reg("empdb11-as-files")]);
    const first = engine.state.get("empdb11-as-files")!;

    emulator.control.clearRequestLog();
    const metadata = edited("empdb11-as-files", (s) => {
      s.metadata.ticket = "CHG-2000";
      s.metadata.description = "re-filed under another change";
    });
    expect(await engine.up(await newHost(), [metadata])).toEqual([{ name: "empdb11-as-files", op: "update" }]);
    const updated = engine.state.get("empdb11-as-files")!;
    expect(updated.outputs.jobId).toBe(first.outputs.jobId);
    expect(updated.outputs.ticket).toBe("CHG-2000");
    expect(updated.outputs.triggeredAt).toBe(first.outputs.triggeredAt);
    expect(emulator.control.requestLog()).toEqual([]);

    const rerun = edited("empdb11-as-files", (s) => {
      s.metadata.ticket = "CHG-2000";
      s.metadata.description = "re-filed under another change";
      s.spec.rerun = "2";
    });
    expect(await engine.up(await newHost(), [rerun])).toEqual([{ name: "empdb11-as-files", op: "replace" }]);
    const replaced = engine.state.get("empdb11-as-files")!;
    expect(replaced.outputs.jobId).not.toBe(first.outputs.jobId);
    expect(replaced.outputs.adopted).toBe(false);
    expect(restorePosts(202)).toBe(1);
  });

  it("new provider code changes nothing recorded: no diff, no call", async () => {
    const engine = new FakeEngine();
    await engine.up(await newHost(), [reg("empdb11-as-files")]);
    const recorded = engine.state.get("empdb11-as-files")!;
    const newCode = reg("empdb11-as-files");
    newCode.inputs.__provider = `${newCode.inputs.__provider as string}\n// provider code edited\n`;
    emulator.control.clearRequestLog();
    expect(await engine.up(await newHost(), [newCode])).toEqual([{ name: "empdb11-as-files", op: "same" }]);
    expect(engine.state.get("empdb11-as-files")!.outputs.jobId).toBe(recorded.outputs.jobId);
    expect(emulator.control.requestLog()).toEqual([]);
  });

  it("enforces restore-policy.yaml in preview, naming the rule", async () => {
    const withPolicy = (name: string, policy: Record<string, unknown>) => {
      const r = reg(name);
      r.inputs.policy = policy;
      return r;
    };
    // The original account of the blob instance is in RG-BlobBackup, known only from the backup instance.
    const [blob] = await new FakeEngine().preview(await newHost(), [withPolicy("msblob-all-20210708", { allowedResourceGroups: ["targetrg"] })]);
    expect(blob.op).toBe("failed");
    expect(blob.failures![0]).toContain("policy rule allowedResourceGroups: the restore writes to resource group RG-BlobBackup");

    const steps = await new FakeEngine().preview(await newHost(), [withPolicy("empdb11-as-files", { maxRestoresPerRun: 1 }), withPolicy("empdb11-as-database", { maxRestoresPerRun: 1 })]);
    expect(steps.filter((s) => s.op === "failed").map((s) => s.failures![0])).toEqual([expect.stringContaining("policy rule maxRestoresPerRun")]);
    expect(restorePosts()).toBe(0);
  });

  it("refuses, in check, to change what a restore that ran does", async () => {
    const engine = new FakeEngine();
    await engine.up(await newHost(), [reg("empdb11-as-files")]);
    const changed = edited("empdb11-as-files", (s) => {
      s.spec.target.files.filePrefix = "another-prefix";
    });
    const steps = await engine.preview(await newHost(), [changed]);
    expect(steps[0].op).toBe("failed");
    expect(steps[0].failures![0]).toContain("already ran");
    expect(steps[0].failures![0]).toContain("change spec.rerun");
  });

  it("a failed job fails up with the service's error, is recorded, and the next up follows the same job", async () => {
    emulator.control.setFaults([{ kind: "jobFails", route: "restore", count: 1, error: { code: "UserErrorServerConnectionClosed", message: "The target server could not be reached." } }]);
    const engine = new FakeEngine();
    const [step] = await engine.up(await newHost(), [reg("empdb11-as-database")]);
    expect(step.op).toBe("failed");
    expect(step.reasons!.join("\n")).toContain("UserErrorServerConnectionClosed");
    const recorded = engine.state.get("empdb11-as-database")!;
    expect(recorded.outputs).toMatchObject({ status: "Failed", errors: [expect.objectContaining({ code: "UserErrorServerConnectionClosed" })] });
    expect(recorded.initErrors.length).toBeGreaterThan(0);

    emulator.control.clearRequestLog();
    const [again] = await engine.up(await newHost(), [reg("empdb11-as-database")]);
    expect(again.op).toBe("failed");
    expect(engine.state.get("empdb11-as-database")!.outputs.jobId).toBe(recorded.outputs.jobId);
    expect(restorePosts()).toBe(0);
    expect(emulator.control.requestLog({ route: "getJob" }).length).toBeGreaterThan(0);
  });

  it("a job that outlives wait.timeout is recorded as running; the next up follows the same job to its end", async () => {
    // PostgreSQL restore jobs of this world take 30 min (6 s here).
    const world = fs.readFileSync(path.join(root, "emulator", "worlds", "default.yaml"), "utf8").replace("duration: PT6M42S", "duration: PT30M");
    emulator.control.loadWorld(world);
    const impatient = edited("empdb11-as-files", (s) => {
      s.spec.wait = { timeout: "PT0.1S" };
    });
    const engine = new FakeEngine();
    const [step] = await engine.up(await newHost(), [impatient]);
    expect(step.op).toBe("failed");
    expect(step.reasons!.join("\n")).toContain("the next `pulumi up` follows the same job");
    const recorded = engine.state.get("empdb11-as-files")!;
    expect(recorded.outputs.status).toBe("InProgress");

    const patient = edited("empdb11-as-files", (s) => {
      s.spec.wait = { timeout: "PT1H" };
    });
    expect(await engine.up(await newHost(), [patient])).toEqual([{ name: "empdb11-as-files", op: "update" }]);
    expect(engine.state.get("empdb11-as-files")!.outputs).toMatchObject({ jobId: recorded.outputs.jobId, status: "Completed" });
    expect(restorePosts()).toBe(1);
  });

  it("a host killed right after the trigger: the next run adopts the job, one restore in the log", async () => {
    const first = await newHost();
    const engine = new FakeEngine();
    const pending = first.create(`urn:pulumi:test::azure-restores::${RESTORE_TYPE}::empdb11-as-files`, (await first.check("x", {}, reg("empdb11-as-files").inputs)).inputs);
    for (let i = 0; i < 200 && restorePosts(202) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(restorePosts(202)).toBe(1);
    first.kill();
    await pending.catch(() => undefined);

    const steps = await engine.up(await newHost(), [reg("empdb11-as-files")]);
    expect(steps).toEqual([{ name: "empdb11-as-files", op: "create" }]);
    expect(engine.state.get("empdb11-as-files")!.outputs).toMatchObject({ adopted: true, status: "Completed" });
    expect(restorePosts()).toBe(1);
  });

  it("refresh reads the recorded job; delete makes no Azure call", async () => {
    const engine = new FakeEngine();
    await engine.up(await newHost(), [reg("empdb11-as-files")]);
    const host = await newHost();
    emulator.control.clearRequestLog();
    await engine.refresh(host);
    expect(emulator.control.requestLog().map((e) => e.route)).toEqual(["getJob"]);
    expect(engine.state.get("empdb11-as-files")!.outputs.status).toBe("Completed");

    emulator.control.clearRequestLog();
    const steps = await engine.up(host, []);
    expect(steps).toEqual([{ name: "empdb11-as-files", op: "delete" }]);
    expect(engine.state.size).toBe(0);
    expect(emulator.control.requestLog()).toEqual([]);
  });
});
