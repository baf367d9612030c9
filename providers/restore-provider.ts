import * as pulumi from "@pulumi/pulumi";
import type { DrillInputs, DrillState } from "./drill-state";
import type { RestoreInputs, RestoreOutputs } from "./restore-state";
import type { RestoreSession } from "./session";

type Inputs = RestoreInputs | DrillInputs;
type Outputs = RestoreOutputs | DrillState;
/** RestoreDrill resources (providers/drill-resource.ts) share the provider: their inputs carry `drill`. */
const isDrill = (value: object): value is DrillInputs => "drill" in value;

type Runtime = typeof import("./runtime");

/**
 * The dynamic provider of `azure-restores:Restore` and `azure-restores:RestoreDrill`: a thin shell that Pulumi serializes into each
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

  async check(olds: Partial<Outputs>, news: Inputs): Promise<pulumi.dynamic.CheckResult> {
    return isDrill(news) ? this.session().drills().check(olds as Partial<DrillState>, news) : this.session().check(olds as Partial<RestoreInputs>, news);
  },

  async diff(_id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
    const result = isDrill(news) ? this.session().drills().diff(olds as DrillState, news) : this.session().diff(olds as RestoreOutputs, news);
    return { changes: result.changes, replaces: result.replaces, deleteBeforeReplace: false };
  },

  async create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult> {
    return isDrill(inputs) ? this.session().drills().create(inputs) : this.session().create(inputs);
  },

  async update(id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult> {
    return isDrill(news) ? this.session().drills().update(id, olds as DrillState, news) : this.session().update(id, olds as RestoreOutputs, news);
  },

  async read(id: string, props: Outputs): Promise<pulumi.dynamic.ReadResult> {
    return isDrill(props) ? this.session().drills().read(id, props as DrillState) : this.session().read(id, props as RestoreOutputs);
  },

  // A restore cannot be undone: removing its spec drops the record from the stack; history keeps it. A
  // drill's scratch groups are the program's resources, removed by Pulumi itself.
  async delete(): Promise<void> {},
};
