import { accessErrors, type Refusal } from "../access-errors";
import type { DpError } from "../errors";
import { parseArmId, parseContainerUrl } from "../ids";
import type { AccessRequirement, KindAccessContext } from "./kind";

/**
 * What the kinds' restores must be allowed to do, by the actions of the roles the sources name (the
 * built-in role JSON in emulator/roles): the kind modules pick from these.
 */

/** A restore as files writes blobs into the container: Storage Blob Data Contributor's data action, on the container's account. */
export function filesAccess(ctx: KindAccessContext, refusal: (r: Refusal) => DpError): AccessRequirement[] {
  const target = ctx.request.restoreTargetInfo;
  if (target.objectType !== "RestoreFilesTargetInfo") return [];
  const account = parseContainerUrl(target.targetDetails.url);
  const id = account ? ctx.world.storageAccountByName(account.account)?.id : undefined;
  return id ? [{ who: "vault", scope: id, permission: { dataAction: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write" }, refusal }] : [];
}

/** The resource group of an ARM ID. */
export function resourceGroupScope(id: string): string | undefined {
  const parsed = parseArmId(id);
  return parsed?.resourceGroup ? `/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}` : undefined;
}

/** The datasource the restore writes (`restoreTargetInfo.datasourceInfo.resourceID`), for targets that name one. */
export function targetResource(ctx: KindAccessContext): string | undefined {
  const target = ctx.request.restoreTargetInfo;
  return "datasourceInfo" in target ? target.datasourceInfo.resourceID : undefined;
}

export { accessErrors };
