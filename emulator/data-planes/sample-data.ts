import * as crypto from "crypto";
import { parseArmId } from "../ids";
import type { BackupInstance } from "../world/model";

/**
 * The rows a backup instance's recovery points hold, as the emulator makes them up (its own: Azure's
 * backups hold the customer's data, which no source shows): a table of the world's `sampleData`
 * (default `orders`, 10 rows), the same rows every time for the same instance and point, so a restore
 * as files and a database restore of one point carry the same data.
 */

export const DEFAULT_SAMPLE = { table: "orders", rows: 10 } as const;

export interface SampleData {
  /** The database the rows belong to (its name in dump file names; a database restore names its own). */
  database: string;
  table: string;
  rows: Array<{ id: number; customer: string; amount: string; orderedAt: string }>;
}

/** A PostgreSQL identifier as written in SQL, quoted. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteText = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The instance's database name: the world's `sampleData.database`, else the datasource's (a database's own name, a server's name). */
function databaseName(bi: BackupInstance): string {
  if (bi.sampleData?.database) return bi.sampleData.database;
  const parsed = parseArmId(bi.dataSourceInfo.resourceID);
  return bi.dataSourceInfo.resourceName ?? parsed?.resources.at(-1)?.name ?? bi.name;
}

/** The rows of `bi` as at `pointMs` (the recovery point's time, or the restore's): row i ordered i hours before it. */
export function sampleData(bi: BackupInstance, pointMs: number): SampleData {
  const table = bi.sampleData?.table ?? DEFAULT_SAMPLE.table;
  const count = bi.sampleData?.rows ?? DEFAULT_SAMPLE.rows;
  const rows = Array.from({ length: count }, (_, i) => {
    const h = crypto.createHash("sha256").update(`${bi.id.toLowerCase()}/${i}`).digest();
    return {
      id: i + 1,
      customer: `customer-${(h.readUInt16BE(0) % 500) + 1}`,
      amount: (h.readUInt32BE(2) % 100_000 / 100).toFixed(2),
      orderedAt: new Date(pointMs - (count - i) * 3_600_000).toISOString(),
    };
  });
  return { database: databaseName(bi), table, rows };
}

/** CREATE TABLE of the sample table. */
export function createTableSql(sample: SampleData): string {
  return `CREATE TABLE public.${quoteIdent(sample.table)} (id integer PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL, ordered_at timestamptz NOT NULL);`;
}

/** One INSERT of every row (none when there are no rows). */
export function insertRowsSql(sample: SampleData): string | undefined {
  if (sample.rows.length === 0) return undefined;
  const values = sample.rows.map((r) => `(${r.id}, ${quoteText(r.customer)}, ${r.amount}, ${quoteText(r.orderedAt)})`).join(",\n  ");
  return `INSERT INTO public.${quoteIdent(sample.table)} (id, customer, amount, ordered_at) VALUES\n  ${values};`;
}

/** The rows as a plain SQL script (psql can run it into an empty database). */
export function dumpSql(sample: SampleData, about: string): string {
  return [`-- ${about}`, `-- written by the azure-restores emulator: its own sample rows, a plain SQL script (not a pg_dump archive)`, createTableSql(sample), insertRowsSql(sample) ?? "", ""].join("\n");
}
