import * as pulumi from "@pulumi/pulumi";
import type { RestoreInputs, RestoreOutputs } from "./restore-state";
import type { RestoreSession } from "./session";

type Runtime = typeof import("./runtime");

/**
 * The dynamic provider of `azure-restores:Restore`: a thin shell that Pulumi serializes into each
 * resource's state. It loads the compiled runtime with `require` at call time, relative to the
 * program's directory (where the engine starts the provider host), so nothing but this object's code is
 * serialized: no SDK client, no configuration. The host deserializes one such object per provider text
 * and configures it once; the session it opens then (one per host, i.e. per `pulumi preview`/`up`)
 * lives on the object itself, since a module-level variable would be captured by value at serialization.
 */
export interface RestoreProvider extends pulumi.dynamic.ResourceProvider {
  current?: RestoreSession;
  runtime(): Runtime;
  session(): RestoreSession;
}

export const restoreProvider: RestoreProvider = {
  runtime(): Runtime {
    const modulePath = require("path").resolve("dist", "providers", "runtime.js");
    try {
      return require(modulePath);
    } catch (error) {
      throw new Error(`azure-restores: cannot load ${modulePath} (${(error as Error).message}); run \`npm run build\` in the Pulumi project directory`);
    }
  },

  session(): RestoreSession {
    if (!this.current) {
      const runtime = this.runtime();
      this.current = runtime.openSession(runtime.settingsFrom(() => undefined, process.env));
    }
    return this.current;
  },

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const runtime = this.runtime();
    this.current = runtime.openSession(runtime.settingsFrom((key: string) => req.config.get(`azure-restores:${key}`), process.env));
  },

  async check(olds: Partial<RestoreInputs>, news: RestoreInputs): Promise<pulumi.dynamic.CheckResult> {
    return this.session().check(olds, news);
  },

  async diff(_id: string, olds: RestoreOutputs, news: RestoreInputs): Promise<pulumi.dynamic.DiffResult> {
    const result = this.session().diff(olds, news);
    return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: false };
  },

  async create(inputs: RestoreInputs): Promise<pulumi.dynamic.CreateResult> {
    return this.session().create(inputs);
  },

  async update(id: string, olds: RestoreOutputs, news: RestoreInputs): Promise<pulumi.dynamic.UpdateResult> {
    return this.session().update(id, olds, news);
  },

  async read(id: string, props: RestoreOutputs): Promise<pulumi.dynamic.ReadResult> {
    return this.session().read(id, props);
  },

  // A restore cannot be undone: removing its spec drops the record from the stack; history keeps it.
  async delete(): Promise<void> {},
};
