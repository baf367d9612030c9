import type { AzureBackupFindRestorableTimeRangesRequest } from "../../api/types";
import { findRestorableTimeRanges as restorableTimeRanges } from "../rules";
import { backupInstanceResource } from "../views";
import { fail, findInstance, findVault, page, type Handler } from "./shared";

/** Backup instances of a vault, one instance, and the time ranges it can be restored to. */

export const listBackupInstances: Handler = (state, req) => {
  const vault = findVault(state.world, req.params);
  return { status: 200, body: page(state.world, req, vault.instances.map((bi) => backupInstanceResource(bi, req.version))) };
};

export const getBackupInstance: Handler = (state, req) => ({ status: 200, body: backupInstanceResource(findInstance(state.world, req.params), req.version) });

export const findRestorableTimeRanges: Handler = (state, req) => {
  const bi = findInstance(state.world, req.params);
  const ranges = restorableTimeRanges(bi, req.body as AzureBackupFindRestorableTimeRangesRequest, req.nowMs);
  if (!Array.isArray(ranges)) fail(ranges);
  return {
    status: 200,
    body: {
      id: bi.name,
      type: "Microsoft.DataProtection/backupVaults/backupInstances/findRestorableTimeRanges",
      properties: { restorableTimeRanges: ranges, objectType: "AzureBackupFindRestorableTimeRangesResponse" },
    },
  };
};
