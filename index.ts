import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
// The program runs the modules `npm install` compiled to dist/, the same ones the provider runs: one
// code path, and ts-node has only this file to transpile (the checks' sources took it most of a second).
import { declareGrants } from "./dist/providers/grant-resources";
import { declareDrills, planProgramDrills } from "./dist/providers/drill-program";
import { describeProblems, drillTime, loadProgramSpecs, programGrants } from "./dist/providers/program";
import { lookalikeKey, rerunOf } from "./dist/providers/restore-state";
import { Restore } from "./dist/providers/restore-resource";

// One Restore resource per spec under `azure-restores:specs` (default restores/), and one RestoreDrill per
// drill, registered only when every spec of every file passes its checks.
const config = new pulumi.Config("azure-restores");
const specsDir = config.get("specs") ?? "restores";
const { specs, drills, problems, policy } = loadProgramSpecs(specsDir, config.get("apiVersion"));

for (const warning of problems.filter((p) => p.severity === "warning")) {
  pulumi.log.warn(`${warning.file}:${warning.line}:${warning.column}  ${warning.field ?? ""}  ${warning.message}${warning.remedy ? `  (fix: ${warning.remedy})` : ""}`);
}
if (problems.some((p) => p.severity === "error")) {
  throw new pulumi.RunError(describeProblems(problems));
}

const lookalikes = new Map<string, number>();
for (const { spec } of specs) lookalikes.set(lookalikeKey(spec), (lookalikes.get(lookalikeKey(spec)) ?? 0) + 1);

// Pulumi records a stack trace for every promise it makes (several per output of every resource), and
// under ts-node each one is source-mapped: with a thousand specs that alone took over ten seconds. The
// traces only serve Pulumi's own debugging of leaked promises, so they are off until every restore is
// registered (all URNs known). Each resource also records the stack that created it (its source
// position): from this callback that is a few frames, from the module's top level some thirty.
const stackTraceLimit = Error.stackTraceLimit;
Error.stackTraceLimit = 0;
// Specs with `access: grant | keep` get the role assignments their restore misses (README, Permissions).
const registered = programGrants(specs, (key) => config.get(key)).then(({ grants, byRestore, warnings }) => {
  for (const warning of warnings) pulumi.log.warn(`${warning.file ?? ""}  ${warning.message}${warning.remedy ? `  (fix: ${warning.remedy})` : ""}`);
  const assignments = declareGrants(grants);
  const resources = specs.map(({ file, spec }) => {
    const own = byRestore.get(spec.metadata.name) ?? [];
    const dependsOn = own.map((g) => assignments.get(g.roleAssignmentName)!);
    return new Restore(
      spec.metadata.name,
      { spec, specFile: path.relative(process.cwd(), file) || file, lookalikes: lookalikes.get(lookalikeKey(spec)), policy, ...(own.length > 0 ? { grants: own } : {}) },
      dependsOn.length > 0 ? { dependsOn } : {},
    );
  });
  // Each drill in the window this run falls in, with that window's scratch group (README, Restore drills).
  const drillResources = declareDrills(planProgramDrills(drills, drillTime(config.get("drillTime")), config.get("subscriptionId") ?? process.env.AZURE_SUBSCRIPTION_ID), policy);
  pulumi.all([...resources, ...drillResources].map((r) => r.urn)).apply(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });
  return resources;
});

/**
 * name → { jobId, status, rerun }: the outcome of every restore of this stack. The next run reads it
 * (providers/program.ts previousRestores) to revoke the grants of restores that ended.
 */
export const restores = pulumi.output(registered).apply((resources) =>
  pulumi
    .all(resources.map((r, i) => pulumi.all([r.jobId, r.status]).apply(([jobId, status]) => ({ jobId, status, ...(rerunOf(specs[i].spec) ? { rerun: rerunOf(specs[i].spec) } : {}) }))))
    .apply((outcomes) => Object.fromEntries(specs.map(({ spec }, i) => [spec.metadata.name, outcomes[i]]))),
);
