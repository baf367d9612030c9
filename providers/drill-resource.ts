import * as pulumi from "@pulumi/pulumi";
import type { RestoreGrant } from "../access";
import type { PolicyRules } from "../checks/policy";
import type { DrillRun } from "../drills/evidence";
import type { DrillSpec } from "../drills/spec";
import type { DrillWindow } from "../drills/windows";
import { restoreProvider } from "./restore-provider";

export interface RestoreDrillArgs {
  drill: DrillSpec;
  specFile: string;
  /** The window the program is in (drills/windows.ts windowAt); absent before `startingFrom`. */
  window?: DrillWindow;
  policy?: PolicyRules;
  /** Role assignments the program declared on the window's scratch group (providers/drill-program.ts). */
  grants?: RestoreGrant[];
}

/**
 * One restore drill as a long-lived Pulumi resource: `pulumi-nodejs:dynamic/azure-restores:RestoreDrill`,
 * served by the same provider object as the restores. Each window's run is an update of it; its outputs
 * keep the evidence of the last runs (drills/evidence.ts), and the stack's history every one.
 */
export class RestoreDrill extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly lastWindow: pulumi.Output<number | undefined>;
  declare readonly runs: pulumi.Output<DrillRun[]>;

  constructor(name: string, args: RestoreDrillArgs, opts: pulumi.CustomResourceOptions = {}) {
    super(
      restoreProvider,
      name,
      { name: undefined, lastWindow: undefined, runs: undefined, drill: args.drill, specFile: args.specFile, ...(args.window ? { window: args.window } : {}), ...(args.policy ? { policy: args.policy } : {}), ...(args.grants ? { grants: args.grants } : {}) },
      opts,
      "azure-restores",
      "RestoreDrill",
    );
  }
}
