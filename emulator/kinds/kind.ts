import type { AzureBackupJob, AzureBackupRestoreRequest, ItemLevelRestoreTargetInfo, RestoreTargetInfo } from "../../api/types";
import type { Refusal } from "../access-errors";
import type { DpError } from "../errors";
import type { BackupInstance, JobWarning, ResourceSpec } from "../world/model";
import type { World } from "../world/world";

/**
 * What a kind of datasource module tells the emulator: everything it does differently for backup
 * instances of that kind (one module per kind beside this one, listed in `index.ts`). The generic code
 * (rules, handlers) asks the registry for the kind of an instance's datasource type and names none.
 */

/** What a restore writes to, as its job records it (and the state file keeps it); `kind` tells the variants apart. */
export interface RestoreTarget {
  readonly kind: string;
}

/** A restore target that names a datasource: every target but restore as files. */
export type DatasourceTarget = RestoreTargetInfo | ItemLevelRestoreTargetInfo;

export interface KindRuleContext {
  readonly world: World;
  readonly instance: BackupInstance;
  readonly request: AzureBackupRestoreRequest;
  /** `request.restoreTargetInfo`, which names a datasource (restore as files has only generic rules). */
  readonly target: DatasourceTarget;
  readonly nowMs: number;
  /** What restore jobs that run now or have completed write to: a failed job leaves nothing behind. */
  restored(): readonly RestoreTarget[];
}

/**
 * One thing a restore's identity must be allowed to do: the action (or data action) at the scope, as the
 * role the sources name carries it, and the service's error when it may not.
 */
/** What a restore needs to do at a scope: an action (management plane) or a data action. */
export type Permission = { action: string } | { dataAction: string };

export interface AccessRequirement {
  /** The vault's identity, or a resource's own (an AKS cluster's). */
  who: "vault" | { resourceId: string };
  scope: string;
  permission: Permission;
  refusal(r: Refusal): DpError;
}

export interface KindAccessContext {
  readonly world: World;
  readonly instance: BackupInstance;
  readonly request: AzureBackupRestoreRequest;
}

export interface RestoreKind<T extends RestoreTarget = RestoreTarget> {
  /** Short name, for readers and logs. */
  readonly name: string;
  /** Datasource types of the kind's backup instances, lower case; the first is canonical, the others its aliases. */
  readonly datasourceTypes: readonly string[];
  /**
   * What a restore of `instance` to `target` writes, and the `recoveryDestination` its job reports;
   * undefined when the target cannot be read as the kind's (the restore then writes the ARM resource
   * the target names, as for a datasource no kind module claims).
   */
  targetOf(instance: BackupInstance, target: DatasourceTarget): { target: T; recoveryDestination: string } | undefined;
  /** What the restore's identities must be allowed to do, checked after every other rule (emulator/access.ts). */
  access?(ctx: KindAccessContext): AccessRequirement[];
  /** The kind's restore rules, run after the generic ones in the service's order; the first violation wins. */
  rules(ctx: KindRuleContext): DpError | undefined;
  /** One restore at a time per `key` of its target (blob: the storage account); `refusal` is the error for another. */
  readonly concurrency?: {
    key(target: RestoreTarget): string | undefined;
    refusal(key: string, runningJob: string): DpError;
  };
  /** Fields every restore job of the kind's instances carries besides the common ones (they win over the common ones). */
  jobFields?(instance: BackupInstance, request: AzureBackupRestoreRequest): Partial<AzureBackupJob>;
  /**
   * The ARM resource a completed restore to `target` leaves behind (a disk), served by the resource
   * routes (`handlers/resources.ts`) as if the world listed it; undefined when it creates none of them.
   */
  createdResource?(done: { target: RestoreTarget; instance: BackupInstance; world: World; endMs: number }): ResourceSpec | undefined;
  /** Warnings an accepted restore's job ends with because of what the world holds; any makes a Completed job CompletedWithWarnings. */
  jobWarnings?(ctx: KindRuleContext): JobWarning[];
  /**
   * The properties the resource `resourceId` needs for the kind's rules to accept a restore to it
   * (undefined: the rules read none of it). A replayed recording gives them to the targets of restores
   * Azure accepted.
   */
  acceptedTargetProperties?(resourceId: string): Record<string, unknown> | undefined;
}
