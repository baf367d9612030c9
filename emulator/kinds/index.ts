import { blob } from "./blob";
import { dataLake } from "./datalake";
import { disk } from "./disk";
import { cosmosdb } from "./cosmosdb";
import { elasticSan } from "./elastic-san";
import { kubernetes } from "./kubernetes";
import { mysqlFlexible } from "./mysql-flexible";
import { postgresql } from "./postgresql";
import { postgresqlFlexible } from "./postgresql-flexible";

/**
 * The registry of datasource kinds. A backup instance whose datasource type no kind lists restores as
 * the ARM resource its target names, with the generic rules only. A new kind is one module beside
 * this one and one entry here.
 */
export const KINDS = [
  blob,
  postgresql,
  disk,
  postgresqlFlexible,
  mysqlFlexible,
  dataLake,
  kubernetes,
  elasticSan,
  cosmosdb,
] as const;

export type Kind = (typeof KINDS)[number];

/** The targets restores of the listed kinds write (the variants a job's target adds to the generic ones). */
export type KindTarget = NonNullable<ReturnType<Kind["targetOf"]>>["target"];

/** The kind of a datasource type, compared as the service does: case-insensitive, aliases included. */
export function kindOf(datasourceType: string): Kind | undefined {
  const type = datasourceType.toLowerCase();
  return KINDS.find((kind) => kind.datasourceTypes.includes(type));
}

/** A datasource type as the service compares it: lower case, an alias replaced by its kind's canonical type. */
export function canonicalDatasourceType(datasourceType: string): string {
  return kindOf(datasourceType)?.datasourceTypes[0] ?? datasourceType.toLowerCase();
}
