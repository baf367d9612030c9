import { parseContainerUrl } from "../ids";

/**
 * Writes a restore's files into Blob storage at the configured endpoint (Azurite): one endpoint and
 * account stand for every storage account, so the container of `https://{account}.blob.core.windows.net/{container}`
 * is `{container}` there (how verify/io.ts reads them back).
 */
export interface BlobPlane {
  endpoint: string;
  accountName: string;
  accountKey: string;
}

/** The container a container URL names (its first path segment). */
export function containerOf(url: string): string {
  const parsed = parseContainerUrl(url);
  if (parsed) return parsed.container;
  return new URL(url).pathname.split("/").filter(Boolean)[0] ?? "";
}

function service(plane: BlobPlane): import("@azure/storage-blob").BlobServiceClient {
  const { BlobServiceClient, StorageSharedKeyCredential } = require("@azure/storage-blob") as typeof import("@azure/storage-blob");
  return new BlobServiceClient(plane.endpoint, new StorageSharedKeyCredential(plane.accountName, plane.accountKey), {
    // Requests wait for these writes: fail in seconds, not after the SDK's minutes of retries.
    retryOptions: { maxTries: 2, tryTimeoutInMs: 10_000, retryDelayInMs: 200, maxRetryDelayInMs: 1000 },
  });
}

/** Creates the containers (by name) that are missing. */
export async function ensureContainers(plane: BlobPlane, names: Iterable<string>): Promise<void> {
  const blobs = service(plane);
  for (const name of new Set([...names].map((n) => n.toLowerCase()))) await blobs.getContainerClient(name).createIfNotExists();
}

/** Creates the container if missing and uploads each file (overwriting one of the same name). */
export async function writeFiles(plane: BlobPlane, containerUrl: string, files: Array<{ name: string; content: string }>): Promise<void> {
  const container = service(plane).getContainerClient(containerOf(containerUrl));
  await container.createIfNotExists();
  for (const file of files) {
    const body = Buffer.from(file.content, "utf8");
    await container.getBlockBlobClient(file.name).upload(body, body.length, { blobHTTPHeaders: { blobContentType: "application/sql" } });
  }
}
