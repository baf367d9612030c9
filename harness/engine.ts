/**
 * A small stand-in for the Pulumi engine's step generation, over the real provider host: the same RPCs
 * in the same order (Check with old inputs; Diff with old outputs; Create, Update, or Create-then-Delete
 * for a replacement; Delete for a removed resource; Read for refresh), and state kept as the engine
 * keeps it, including resources whose Create failed to initialize.
 */
import { execFile, execFileSync } from "child_process";
import * as path from "path";
import type { Props, ProviderHost } from "./host";

const root = path.join(__dirname, "..");
export const RESTORE_TYPE = "pulumi-nodejs:dynamic/azure-restores:Restore";

export interface Registration {
  type: string;
  name: string;
  inputs: Props;
  additionalSecretOutputs?: string[];
  dependencies?: string[];
  retainOnDelete?: boolean;
}

/** What Pulumi's mocks answer the program (harness/run-program.ts): invoke results by token, this stack's previous outputs. */
export interface ProgramMocks {
  calls?: Record<string, Record<string, unknown>>;
  previousOutputs?: Record<string, unknown>;
}

export interface ProgramRun {
  registrations: Registration[];
  outputs: Record<string, unknown>;
  error?: string;
}

/** The child process that runs index.ts under Pulumi's mocks (ts-node, like the nodejs runtime). */
function programProcess(config: Record<string, string>, mocks: ProgramMocks) {
  return {
    args: [require.resolve("ts-node/dist/bin.js"), path.join(root, "harness", "run-program.ts")],
    options: { cwd: root, env: { ...process.env, PROGRAM_CONFIG: JSON.stringify(config), PROGRAM_MOCKS: JSON.stringify(mocks), TS_NODE_TRANSPILE_ONLY: "true" }, encoding: "utf8" as const, maxBuffer: 64 * 1024 * 1024 },
  };
}

/** Runs index.ts under Pulumi's mocks, in a child process. */
export function runProgram(config: Record<string, string>, mocks: ProgramMocks = {}): ProgramRun {
  const { args, options } = programProcess(config, mocks);
  return JSON.parse(execFileSync(process.execPath, args, options)) as ProgramRun;
}

/**
 * runProgram without blocking this process: for a program that calls an emulator this process serves
 * (the grants of `spec.access: grant` are read from it).
 */
export function runProgramAsync(config: Record<string, string>, mocks: ProgramMocks = {}): Promise<ProgramRun> {
  const { args, options } = programProcess(config, mocks);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, options, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as ProgramRun)));
  });
}

export function urnOf(name: string): string {
  return `urn:pulumi:test::azure-restores::${RESTORE_TYPE}::${name}`;
}

export interface StateEntry {
  id: string;
  inputs: Props;
  outputs: Props;
  initErrors: string[];
}

export interface StepResult {
  name: string;
  op: "create" | "update" | "replace" | "same" | "delete" | "failed";
  failures?: string[];
  error?: string;
  reasons?: string[];
}

export class FakeEngine {
  readonly state = new Map<string, StateEntry>();

  /** `pulumi preview`: Check (and Diff for existing resources), nothing else. */
  async preview(host: ProviderHost, registrations: Registration[]): Promise<StepResult[]> {
    return Promise.all(
      registrations.map(async (reg): Promise<StepResult> => {
        const old = this.state.get(reg.name);
        const checked = await host.check(urnOf(reg.name), old?.inputs ?? {}, reg.inputs);
        if (checked.failures.length > 0) return { name: reg.name, op: "failed", failures: checked.failures.map((f) => f.reason) };
        if (!old) return { name: reg.name, op: "create" };
        const diff = await host.diff(urnOf(reg.name), old.id, old.outputs, checked.inputs);
        return { name: reg.name, op: diff.replaces.length > 0 ? "replace" : diff.changes === "some" ? "update" : "same" };
      }),
    );
  }

  /** `pulumi up`: all resources in parallel, as the engine runs independent resources. */
  async up(host: ProviderHost, registrations: Registration[]): Promise<StepResult[]> {
    const steps = await Promise.all(registrations.map((reg) => this.step(host, reg)));
    const wanted = new Set(registrations.map((r) => r.name));
    for (const [name, entry] of [...this.state]) {
      if (!wanted.has(name)) {
        await host.delete(urnOf(name), entry.id, entry.outputs);
        this.state.delete(name);
        steps.push({ name, op: "delete" });
      }
    }
    return steps;
  }

  private record(name: string, inputs: Props, outcome: { id?: string; properties?: Props; error?: { message: string; initFailed: boolean; reasons: string[] } }, op: StepResult["op"]): StepResult {
    if (outcome.id && outcome.properties) {
      this.state.set(name, { id: outcome.id, inputs, outputs: outcome.properties, initErrors: outcome.error?.reasons ?? [] });
    }
    if (outcome.error) return { name, op: "failed", error: outcome.error.message, reasons: outcome.error.reasons };
    return { name, op };
  }

  private async step(host: ProviderHost, reg: Registration): Promise<StepResult> {
    const old = this.state.get(reg.name);
    const checked = await host.check(urnOf(reg.name), old?.inputs ?? {}, reg.inputs);
    if (checked.failures.length > 0) return { name: reg.name, op: "failed", failures: checked.failures.map((f) => f.reason) };
    const inputs = checked.inputs;
    if (!old) return this.record(reg.name, inputs, await host.create(urnOf(reg.name), inputs), "create");
    const diff = await host.diff(urnOf(reg.name), old.id, old.outputs, inputs);
    // The engine updates a resource with initialization errors even when the diff finds no change.
    if (diff.replaces.length > 0) {
      const created = await host.create(urnOf(reg.name), inputs);
      const step = this.record(reg.name, inputs, created, "replace");
      if (created.id && !created.error) await host.delete(urnOf(reg.name), old.id, old.outputs);
      return step;
    }
    if (diff.changes === "some" || old.initErrors.length > 0) {
      const updated = await host.update(urnOf(reg.name), old.id, old.outputs, inputs);
      return this.record(reg.name, inputs, { ...updated, id: old.id }, "update");
    }
    return { name: reg.name, op: "same" };
  }

  /** `pulumi refresh`: Read every resource. */
  async refresh(host: ProviderHost): Promise<void> {
    for (const [name, entry] of this.state) {
      const read = await host.read(urnOf(name), entry.id, entry.outputs);
      this.state.set(name, { ...entry, id: read.id, outputs: read.properties });
    }
  }
}
