import { blobKind, type BlobRestore } from "./blob";
import { cosmosdbKind, type CosmosDBRestore } from "./cosmosdb";
import { dataLakeKind, type DataLakeRestore } from "./datalake";
import { diskKind, type DiskRestore } from "./disk";
import { elasticSanKind, type ElasticSanRestore } from "./elastic-san";
import type { RestoreKind } from "./kind";
import { kubernetesKind, type KubernetesRestore } from "./kubernetes";
import { mysqlFlexibleKind, type MySQLFlexibleRestore } from "./mysql-flexible";
import { postgresqlKind, type PostgreSQLRestore } from "./postgresql";
import { postgresqlFlexibleKind, type PostgreSQLFlexibleRestore } from "./postgresql-flexible";
import { rawKind, type RawRestore } from "./raw";

/**
 * The registry of restore kinds: the schema, the checks, the planner, the CLI and the provider iterate
 * over it and name no kind. Adding a kind is one module here (see docs/architecture.md).
 */
export type RestoreSpec =
  | BlobRestore
  | DataLakeRestore
  | DiskRestore
  | PostgreSQLRestore
  | PostgreSQLFlexibleRestore
  | MySQLFlexibleRestore
  | KubernetesRestore
  | ElasticSanRestore
  | CosmosDBRestore
  | RawRestore;

export const KINDS: ReadonlyArray<RestoreKind> = [
  blobKind,
  dataLakeKind,
  diskKind,
  postgresqlKind,
  postgresqlFlexibleKind,
  mysqlFlexibleKind,
  kubernetesKind,
  elasticSanKind,
  cosmosdbKind,
  rawKind,
] as ReadonlyArray<RestoreKind>;

export const KIND_NAMES: readonly string[] = KINDS.map((k) => k.name);

const byName = new Map(KINDS.map((k) => [k.name, k]));

/** The module of a spec's `kind:`, if there is one. */
export function kindNamed(name: unknown): RestoreKind | undefined {
  return typeof name === "string" ? byName.get(name) : undefined;
}

/** The module of a checked spec (its kind was checked against the registry). */
export function kindOf(spec: RestoreSpec): RestoreKind<RestoreSpec> {
  return byName.get(spec.kind) as unknown as RestoreKind<RestoreSpec>;
}

/** Whether a kind restores backup instances of this datasource type (a kind with no types takes any). */
export function restoresDatasource(kind: RestoreKind, datasourceType: string): boolean {
  return kind.datasourceTypes.length === 0 || kind.datasourceTypes.some((t) => t.toLowerCase() === datasourceType.toLowerCase());
}

/** The kind made for a datasource type (not the catch-all RawRestore). */
export function kindForDatasource(datasourceType: string): RestoreKind | undefined {
  return KINDS.find((k) => k.datasourceTypes.length > 0 && restoresDatasource(k, datasourceType));
}

export type { BackupInstanceFacts, KindPlan, NamedTarget, PlanContext, RestoreKind, RestoreSource, RestoreTarget } from "./kind";
export type { BlobRestore, BlobRestoreSpec, BlobItems } from "./blob";
export type { ContainerEntry, ContainerOptions } from "./containers";
export type { DataLakeRestore, DataLakeRestoreSpec } from "./datalake";
export type { DiskRestore, DiskRestoreSpec } from "./disk";
export type { FlexibleServerFiles, FlexibleServerRestoreSpec } from "./flexible-server";
export type { MySQLFlexibleRestore, MySQLFlexibleRestoreSpec } from "./mysql-flexible";
export type { PostgreSQLRestore, PostgreSQLRestoreSpec } from "./postgresql";
export type { PostgreSQLFlexibleRestore, PostgreSQLFlexibleRestoreSpec } from "./postgresql-flexible";
export type { RawRestore, RawRestoreSpec } from "./raw";
export { RAW_REQUEST_SCHEMA_FILE } from "./raw";
export type { KubernetesRestore, KubernetesRestoreSpec } from "./kubernetes";
export type { ElasticSanRestore, ElasticSanRestoreSpec } from "./elastic-san";
export type { CosmosDBRestore, CosmosDBRestoreSpec } from "./cosmosdb";
