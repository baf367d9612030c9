import * as pulumi from "@pulumi/pulumi";
import type { RestoreInputs, RestoreOutputs } from "./restore-state";
import type { ProviderSettings } from "./settings";

type Runtime = typeof import("./runtime");

/**
 * The dynamic provider of `azure-restores:Restore`: a thin shell that Pulumi serializes into each
 * resource's state. Each method loads the compiled runtime with `require` at call time, relative to the
 * program's directory (where the engine starts the provider host), so nothing but this object's code is
 * serialized: no SDK client, no configuration. Settings from `configure` live on the object itself
 * (a module-level variable would be captured by value at serialization and never see them).
 */
export interface RestoreProvider extends pulumi.dynamic.ResourceProvider {
  settings?: ProviderSettings;
  runtime(): Runtime;
  ready(): ProviderSettings;
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

  ready(): ProviderSettings {
    return this.settings ?? (this.settings = this.runtime().settingsFrom(() => undefined, process.env));
  },

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.settings = this.runtime().settingsFrom((key: string) => req.config.get(`azure-restores:${key}`), process.env);
  },

  async check(olds: Partial<RestoreInputs>, news: RestoreInputs): Promise<pulumi.dynamic.CheckResult> {
    return this.runtime().check(this.ready(), olds, news);
  },

  async diff(_id: string, olds: RestoreOutputs, news: RestoreInputs): Promise<pulumi.dynamic.DiffResult> {
    const result = this.runtime().diff(olds, news);
    return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: false };
  },

  async create(inputs: RestoreInputs): Promise<pulumi.dynamic.CreateResult> {
    return this.runtime().create(this.ready(), inputs);
  },

  async update(id: string, olds: RestoreOutputs, news: RestoreInputs): Promise<pulumi.dynamic.UpdateResult> {
    return this.runtime().update(this.ready(), id, olds, news);
  },

  async read(id: string, props: RestoreOutputs): Promise<pulumi.dynamic.ReadResult> {
    return this.runtime().read(this.ready(), id, props);
  },

  // A restore cannot be undone: removing its spec drops the record from the stack; history keeps it.
  async delete(): Promise<void> {},
};
