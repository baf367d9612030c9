import type { BackupInstanceResource } from "../api/types";
import { failed, ok, type Result } from "../errors/result";
import { fieldError } from "../errors/field";
import { kindForDatasource, type RestoreSpec } from "../kinds";
import { SPEC_API_VERSION } from "../language/model";
import type { DrillSpec } from "./spec";
import type { DrillWindow } from "./windows";

/** The scratch resource group of a drill's window: `<prefix><window>`, `drill-<name>-w<window>` by default. */
export function scratchResourceGroupName(drill: DrillSpec, window: DrillWindow): string {
  return `${drill.spec.target.resourceGroup?.prefix ?? `drill-${drill.metadata.name}-`}w${window.index}`.slice(0, 90);
}

export function scratchResourceGroupId(drill: DrillSpec, window: DrillWindow, defaultSubscriptionId?: string): string | undefined {
  const group = drill.spec.target.resourceGroup;
  const subscription = group?.subscriptionId ?? defaultSubscriptionId;
  return group && subscription ? `/subscriptions/${subscription}/resourceGroups/${scratchResourceGroupName(drill, window)}` : undefined;
}

/**
 * The restore a drill runs for one sampled backup instance: a spec of the instance's kind, which the
 * kind's `drillRestore` fills in for the drill's target. Pure.
 */
export function drillRestoreSpec(
  drill: DrillSpec,
  window: DrillWindow,
  instance: BackupInstanceResource,
  recoveryPoint: string | undefined,
  ordinal: number,
  defaultSubscriptionId?: string,
): Result<RestoreSpec> {
  const datasourceType = instance.properties?.dataSourceInfo?.datasourceType ?? "";
  const kind = kindForDatasource(datasourceType);
  const refuse = (why: string) => failed(fieldError(["spec", "target"], "DrillTargetUnsupported", `${instance.name ?? instance.id}: ${why}`, "change the drill's target, or its select so it leaves this instance out"));
  if (!kind?.drillRestore) return refuse(`drills do not restore ${kind?.title ?? datasourceType ?? "this datasource"}`);
  const made = kind.drillRestore({
    backupInstance: instance.id ?? "",
    facts: { instance },
    ...(recoveryPoint ? { recoveryPoint } : {}),
    target: drill.spec.target,
    ...(drill.spec.target.resourceGroup ? { scratchResourceGroupId: scratchResourceGroupId(drill, window, defaultSubscriptionId) } : {}),
    suffix: `${drill.metadata.name}-w${window.index}`,
  });
  if ("refusal" in made) return refuse(made.refusal);
  const spec = {
    apiVersion: SPEC_API_VERSION,
    kind: kind.name,
    metadata: { name: `${drill.metadata.name}-w${window.index}-${ordinal}`.slice(0, 63), description: `drill ${drill.metadata.name}, window ${window.index}` },
    spec: { ...made.spec, ...(drill.spec.access ? { access: drill.spec.access } : {}), ...(drill.spec.wait ? { wait: drill.spec.wait } : {}) },
  };
  return ok(spec as RestoreSpec);
}
