import { expect } from "vitest";
import { runProgram, type ProgramRun, type Registration } from "../../harness/engine";
import { createDeclared as createDeclaredResources } from "../../harness/declared";
import type { EmulatorEndpoint } from "../emulator/helpers";

/**
 * The drills of examples/drills as the program declares them under Pulumi's mocks at a `drillTime`, and
 * what the azure-native provider would do for the scratch groups and grants the program declares.
 */

export const SUB = "bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f";
/** testBkpVault's system identity in the default world. */
export const VAULT_PRINCIPAL = "3c6e8f1a-5b2d-4e7f-9a1c-2d4b6e8f0a13";
export const DRILL_TYPE = "pulumi-nodejs:dynamic/azure-restores:RestoreDrill";

export function drillProgram(drillTime: string, extra: Record<string, string> = {}): ProgramRun {
  const run = runProgram(
    { "azure-restores:specs": "examples/drills", "azure-restores:drillTime": drillTime, "azure-restores:subscriptionId": SUB, ...extra },
    { calls: { "azure-native:dataprotection:getBackupVault": { identity: { type: "SystemAssigned", principalId: VAULT_PRINCIPAL } } } },
  );
  expect(run.error).toBeUndefined();
  return run;
}

/** The drill's registration, inputs edited. */
export function drillOf(run: ProgramRun, name: string, edit: (inputs: Record<string, unknown>) => void = () => undefined): Registration {
  const reg = structuredClone(run.registrations.find((r) => r.type === DRILL_TYPE && r.name === name)!);
  edit(reg.inputs);
  return reg;
}

/** What `pulumi up` does for the program's scratch groups and grants before the drills (harness/declared.ts). */
export function createDeclared(emulator: EmulatorEndpoint, run: ProgramRun): Promise<void> {
  return createDeclaredResources(emulator, run.registrations, SUB, VAULT_PRINCIPAL);
}
