import type { RestoreFilesTargetInfo } from "../api/types";
import * as P from "../language/patterns";
import { patterned, type Schema } from "../language/schema-parts";
import type { RestoreTarget } from "./kind";
import { RECOVERY_OPTION } from "./parts";

/**
 * A restore as files into a blob container, as `az dataprotection backup-instance restore
 * initialize-for-data-recovery-as-files` builds it (CLI-custom@52e4): `RestoreFilesTargetInfo` with
 * `targetDetails { url, filePrefix, restoreTargetLocationType: AzureBlobs }` and, when the container's
 * ARM ID is given (`--target-resource-id`), `targetResourceArmId`. No datasource in the body.
 */
export interface FilesTarget {
  containerUrl: string;
  filePrefix: string;
  /** ARM ID of the container (`…/storageAccounts/<a>/blobServices/default/containers/<c>`). */
  containerId?: string;
}

export const containerUrlSchema: Schema = patterned(
  "URL of the blob container the files go to.",
  P.BLOB_CONTAINER_URL,
  "is not an https blob container URL",
  "use https://<account>.blob.core.windows.net/<container>",
);

export const filePrefixSchema = (description: string): Schema =>
  patterned(description, "^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$", "must be 1-255 letters, digits, `._-`", "e.g. empdb11_restore");

export function filesTargetInfo(files: FilesTarget, restoreLocation: string): RestoreFilesTargetInfo {
  return {
    objectType: "RestoreFilesTargetInfo",
    recoveryOption: RECOVERY_OPTION,
    restoreLocation,
    targetDetails: {
      url: files.containerUrl,
      filePrefix: files.filePrefix,
      restoreTargetLocationType: "AzureBlobs",
      ...(files.containerId ? { targetResourceArmId: files.containerId } : {}),
    },
  };
}

/** Restores as files with the same container and prefix run one after another. */
export function filesTarget(files: FilesTarget): RestoreTarget {
  return { kind: "files", id: files.containerUrl, lockKey: `files:${files.containerUrl.toLowerCase()}/${files.filePrefix}` };
}

/** Account and container of a container URL the schema accepted (`https://<account>.blob.…/<container>`). */
export function containerOfUrl(url: string): { account: string; container: string } | undefined {
  const m = /^https:\/\/([a-z0-9]+)\.blob\.[^/]+\/([^/]+)\/?$/.exec(url);
  return m ? { account: m[1], container: m[2] } : undefined;
}
