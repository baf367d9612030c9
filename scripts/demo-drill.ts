/**
 * The demo's restore drill: examples/drills/appdisk-weekly.yaml, this week's window, through the real
 * dynamic-provider host as `pulumi up` runs it (the engine's steps played by harness/engine.ts, the
 * program under Pulumi's mocks, the scratch group and its grant created as azure-native would), then
 * `azure-restores report` on the stack as `pulumi stack export` would print it.
 */
import * as fs from "fs";
import * as path from "path";
import type { RunningEmulator } from "../emulator/server";
import { call } from "../harness/arm-call";
import { createDeclared } from "../harness/declared";
import { FakeEngine, runProgramAsync } from "../harness/engine";
import { emulatorConfig, startProviderHost } from "../harness/host";
import { buildReport, REPORT_FILES, type ReportFormat } from "../report";

const root = path.join(__dirname, "..");
const DRILL = "appdisk-weekly";
const VAULT = "/subscriptions/bbbb1b1b-cc2c-dd3d-ee4e-ffffff5f5f5f/resourceGroups/testBkpVaultRG/providers/Microsoft.DataProtection/backupVaults/testBkpVault";

/** Runs the drill; returns the folder the report was written to. */
export async function demoDrill(emulator: RunningEmulator, subscriptionId: string, outDir: string): Promise<{ passed: boolean; outDir: string }> {
  const vault = await call<{ identity?: { principalId?: string } }>(emulator, "GET", `${VAULT}?api-version=2026-06-01`);
  const principalId = vault.body.identity?.principalId ?? "";
  const program = await runProgramAsync(
    { "azure-restores:specs": "examples/drills", "azure-restores:subscriptionId": subscriptionId },
    { calls: { "azure-native:dataprotection:getBackupVault": { identity: { type: "SystemAssigned", principalId } } } },
  );
  if (program.error) throw new Error(program.error);
  const drill = program.registrations.find((r) => r.name === DRILL)!;
  console.log(`\ndrill ${DRILL}: window ${(drill.inputs.window as { index: number; start: string }).index} (from ${(drill.inputs.window as { start: string }).start}), scratch group and grant created as azure-native would`);
  await createDeclared(emulator, program.registrations, subscriptionId, principalId);

  const host = await startProviderHost();
  try {
    await host.configure(emulatorConfig(emulator, { "azure-restores:subscriptionId": subscriptionId }));
    const engine = new FakeEngine();
    const [step] = await engine.up(host, [drill]);
    console.log(`  up: ${step.op}${step.error ? `\n  ${step.error}` : ""}`);
    const state = engine.state.get(DRILL)?.outputs ?? {};
    const exported = {
      version: 3,
      deployment: {
        manifest: { time: new Date().toISOString(), version: "demo" },
        resources: [
          { urn: "urn:pulumi:demo::azure-restores::pulumi:pulumi:Stack::azure-restores-demo", type: "pulumi:pulumi:Stack", custom: false },
          { urn: `urn:pulumi:demo::azure-restores::${drill.type}::${DRILL}`, type: drill.type, custom: true, id: DRILL, inputs: drill.inputs, outputs: state },
        ],
      },
    };
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, "stack-export.json"), `${JSON.stringify(exported, null, 2)}\n`);
    const built = buildReport(JSON.stringify(exported), "stack-export.json");
    if (!built.ok) throw new Error(built.problems.map((p) => p.message).join("\n"));
    for (const format of Object.keys(REPORT_FILES) as ReportFormat[]) fs.writeFileSync(path.join(outDir, REPORT_FILES[format]), built.value.files[format]);
    return { passed: !step.error, outDir: path.relative(root, outDir) || outDir };
  } finally {
    await host.stop();
  }
}
