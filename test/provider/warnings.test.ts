import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as YAML from "yaml";
import { startEmulator, type RunningEmulator } from "../../emulator/server";
import { defaultWorldPath, type WorldFile } from "../../emulator/world";
import { FakeEngine, runProgram, type Registration } from "../../harness/engine";
import { emulatorConfig, startProviderHost, type ProviderHost } from "../../harness/host";

/**
 * A restore whose job ends CompletedWithWarnings, through the real dynamic-provider host against the
 * emulator (strict mode): the AKS example restores into a cluster of another Kubernetes minor version
 * than the backed-up one, which the AKS troubleshooting page lists under "jobs completed with warnings"
 * (UserErrorSourceandTargetClusterCRDVersionMismatch). `up` succeeds, the outputs record the warning,
 * and the next `up` takes the restore as done.
 */

const CLUSTERS = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/oss-clitest-rg/providers/Microsoft.ContainerService/managedClusters";

function worldWithClusterVersions(source: string, target: string): WorldFile {
  const world = YAML.parse(fs.readFileSync(defaultWorldPath(), "utf8")) as WorldFile;
  for (const [name, version] of [
    ["clitest-cluster1-donotdelete", source],
    ["clitest-cluster2-donotdelete", target],
  ]) {
    const cluster = world.resources?.find((r) => r.id === `${CLUSTERS}/${name}`);
    if (!cluster) throw new Error(`the default world has no cluster ${name}`);
    cluster.properties = { ...cluster.properties, kubernetesVersion: version };
  }
  return world;
}

let emulator: RunningEmulator;
let aks: Registration;
const hosts: ProviderHost[] = [];

async function newHost(): Promise<ProviderHost> {
  const host = await startProviderHost();
  hosts.push(host);
  await host.configure(emulatorConfig(emulator));
  return host;
}

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 300, strict: true, world: worldWithClusterVersions("1.29.4", "1.30.1"), certDir: path.join(os.tmpdir(), "azure-restores-test-certs") });
  const run = runProgram({ "azure-restores:specs": "restores" });
  expect(run.error).toBeUndefined();
  aks = run.registrations.find((r) => r.name === "aks-shop-into-cluster2")!;
});

afterAll(async () => {
  for (const host of hosts) await host.stop().catch(() => undefined);
  await emulator?.stop();
});

it("an AKS job that ends CompletedWithWarnings: up succeeds, the outputs record the warnings, the next up makes no call", async () => {
  const engine = new FakeEngine();
  expect(await engine.up(await newHost(), [aks])).toEqual([{ name: "aks-shop-into-cluster2", op: "create" }]);
  const outputs = engine.state.get("aks-shop-into-cluster2")!.outputs;
  expect(outputs).toMatchObject({ phase: "ended", status: "CompletedWithWarnings", kind: "KubernetesRestore", recoveryPointId: "53528d6e37a4490b80cdb5ef33808f8c", errors: [] });
  expect(outputs.warnings).toEqual([
    {
      resourceName: "clitest-cluster1-donotdelete",
      code: "UserErrorSourceandTargetClusterCRDVersionMismatch",
      message: "The source AKS cluster and Target AKS cluster during restore have different versions of FlowSchema and PriorityLevelConfigurations CRs. Some Kubernetes resources aren't restored due to the mismatch in cluster versions.",
      recommendedAction: ["Use same cluster version for Target cluster as Source cluster or manually apply the CRs."],
    },
  ]);
  expect(emulator.control.requestLog({ route: "restore", method: "POST" }).filter((e) => e.status === 202)).toHaveLength(1);

  emulator.control.clearRequestLog();
  expect(await engine.up(await newHost(), [aks])).toEqual([{ name: "aks-shop-into-cluster2", op: "same" }]);
  expect(emulator.control.requestLog()).toEqual([]);
});
