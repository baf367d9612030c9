import * as pulumi from "@pulumi/pulumi";
import type { RestoreSpec } from "../spec/model";
import type { PolicyRules } from "../spec/policy";
import { restoreProvider } from "./restore-provider";
import { RESTORE_OUTPUT_NAMES, SECRET_OUTPUT_NAMES, type RecordedError } from "./restore-state";

export interface RestoreArgs {
  spec: RestoreSpec;
  specFile: string;
  /** Specs of the stack that restore the same backup instance, restore point and target (see RestoreInputs). */
  lookalikes?: number;
  /** The rules of restore-policy.yaml, enforced again in check (preview). */
  policy?: PolicyRules;
}

/** One restore spec as a Pulumi resource: `pulumi-nodejs:dynamic/azure-restores:Restore`. */
export class Restore extends pulumi.dynamic.Resource {
  declare readonly jobId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly startTime: pulumi.Output<string | undefined>;
  declare readonly endTime: pulumi.Output<string | undefined>;
  declare readonly duration: pulumi.Output<string | undefined>;
  declare readonly recoveryPointId: pulumi.Output<string | undefined>;
  declare readonly recoveryPointTime: pulumi.Output<string | undefined>;
  declare readonly pointInTime: pulumi.Output<string | undefined>;
  declare readonly target: pulumi.Output<string>;
  declare readonly request: pulumi.Output<unknown>;
  declare readonly requestHash: pulumi.Output<string>;
  declare readonly validatedAt: pulumi.Output<string | undefined>;
  declare readonly triggeredAt: pulumi.Output<string | undefined>;
  declare readonly adopted: pulumi.Output<boolean>;
  declare readonly errors: pulumi.Output<RecordedError[]>;
  declare readonly ticket: pulumi.Output<string | undefined>;
  declare readonly requestedBy: pulumi.Output<string | undefined>;

  constructor(name: string, args: RestoreArgs, opts: pulumi.CustomResourceOptions = {}) {
    const outputs = Object.fromEntries(RESTORE_OUTPUT_NAMES.filter((k) => k !== "name").map((k) => [k, undefined]));
    super(
      restoreProvider,
      name,
      { ...outputs, spec: args.spec, specFile: args.specFile, lookalikes: args.lookalikes ?? 1, ...(args.policy ? { policy: args.policy } : {}) },
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...SECRET_OUTPUT_NAMES] },
      "azure-restores",
      "Restore",
    );
  }
}
