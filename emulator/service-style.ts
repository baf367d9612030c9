import { randomBytes } from "crypto";
import type { ApiVersion } from "../api/versions";

/**
 * How the service answers at each api-version, where that differs, with the evidence. Long-running
 * operations (validateRestore, restore, rehydrate and their cross-region forms):
 *
 * - 2021-01-01, 2021-07-01: `Azure-AsyncOperation` and `Location` both location-scoped, with
 *   `Retry-After` (the 2021 REST documents in shared/seeds).
 * - 2022-01-01 and later: `Azure-AsyncOperation` vault-scoped (`backupVaults/{v}/operationStatus/{id}`:
 *   the 2022 definitions' examples, and every recorded 202 of 2023-01-01…2026-06-01), `Location`
 *   location-scoped (`locations/{l}/operationResults/{id}`), and no `Retry-After` (none of the recorded
 *   202s carries one). From 2024-04-01 the service signs both URLs (`&t=&c=&s=&h=` after the
 *   api-version), as recorded. 2025-09-01, 2026-03-01 and the preview 2026-08-31-preview answer as
 *   2026-06-01 does: their definitions give the same 202s (`Azure-AsyncOperation` and `Location`, no
 *   `Retry-After`) and `final-state-via: location` (test/emulator/versions.test.ts).
 * - Cross-region calls, at any version: `Azure-AsyncOperation` location-scoped at the target region
 *   (recording cross_region_restore).
 * A running operation's status is `Inprogress` (every recording, and the PostgreSQL seed).
 *
 * Resources: from 2022-01-01 on, fields the service has no value for are written as `null` (every
 * recorded job of 2023-2026); the 2021 documents leave them out.
 */
export const RUNNING_STATUS = "Inprogress";

export interface ServiceStyle {
  /** Where a 202's Azure-AsyncOperation points. */
  statusScope: "location" | "vault";
  /** Whether a 202 carries Retry-After. */
  retryAfter: boolean;
  /** Whether the URLs a 202 hands out carry the service's signature. */
  signed: boolean;
  /** Whether unset fields of a resource are written as null (else left out). */
  nulls: boolean;
}

export function styleOf(version: ApiVersion): ServiceStyle {
  if (version < "2022-01-01") return { statusScope: "location", retryAfter: true, signed: false, nulls: false };
  return { statusScope: "vault", retryAfter: false, signed: version >= "2024-04-01", nulls: true };
}

/** The query the service appends to the URLs it hands out: the api-version, then (signed versions) a signature. */
export function handedOutQuery(version: ApiVersion): string {
  if (!styleOf(version).signed) return `?api-version=${version}`;
  const part = (n: number) => randomBytes(n).toString("base64url");
  return `?api-version=${version}&t=${Date.now() * 10_000 + 621_355_968_000_000_000}&c=${part(48)}&s=${part(64)}&h=${part(32)}`;
}
