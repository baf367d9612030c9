import * as pulumi from "@pulumi/pulumi";
import type { RestoreGrant } from "../access";
import type { PolicyRules } from "../checks/policy";
import type { RestoreSpec } from "../kinds";
import { restoreProvider } from "./restore-provider";
import { RESTORE_OUTPUT_NAMES, SECRET_OUTPUT_NAMES, type RecordedError } from "./restore-state";

export interface RestoreArgs {
  spec: RestoreSpec;
  specFile: string;
  /** Specs of the stack that restore the same backup instance, restore point and target (see RestoreInputs). */
  lookalikes?: number;
  /** The rules of restore-policy.yaml, enforced again in check (preview). */
  policy?: PolicyRules;
  /** The role assignments declared for this restore; the resource also depends on them. */
  grants?: RestoreGrant[];
}

/**
 * Outputs a program can build on, as typed properties. The provider records the whole audit trail
 * (RESTORE_OUTPUT_NAMES: times, recovery point, request and its hash, validation, adoption, ticket...)
 * in the state all the same; each property declared here costs every resource a handful of promises,
 * which for a thousand specs was a tenth of the program's start.
 */
export const RESTORE_TYPED_OUTPUTS = ["jobId", "status", "target", "endTime", "errors"] as const satisfies ReadonlyArray<(typeof RESTORE_OUTPUT_NAMES)[number]>;

/** One restore spec as a Pulumi resource: `pulumi-nodejs:dynamic/azure-restores:Restore`. */
export class Restore extends pulumi.dynamic.Resource {
  declare readonly jobId: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  /** ARM ID of what the restore writes to. */
  declare readonly target: pulumi.Output<string>;
  declare readonly endTime: pulumi.Output<string | undefined>;
  declare readonly errors: pulumi.Output<RecordedError[]>;

  constructor(name: string, args: RestoreArgs, opts: pulumi.CustomResourceOptions = {}) {
    const outputs = Object.fromEntries(RESTORE_TYPED_OUTPUTS.map((k) => [k, undefined]));
    super(
      restoreProvider,
      name,
      { ...outputs, spec: args.spec, specFile: args.specFile, lookalikes: args.lookalikes ?? 1, ...(args.policy ? { policy: args.policy } : {}), ...(args.grants ? { grants: args.grants } : {}) },
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...SECRET_OUTPUT_NAMES] },
      "azure-restores",
      "Restore",
    );
  }
}
