import { createTableSql, insertRowsSql, quoteIdent, type SampleData } from "./sample-data";

/**
 * Restores a database into the configured PostgreSQL (one local server stands for every server the world
 * lists; the database keeps its target's name). A database of that name the emulator created before is
 * dropped first; one it did not create (no marker comment) is left alone and the write fails.
 */

const MARKER = "azure-restores emulator: restored database";

/** `postgres://user:password@host:port/db` → the same server, another database. */
export function urlWithDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The connection string Azure Backup's Key Vault secret holds (`Server=..;Port=..;User Id=..;Password=..;Database=..`), for the configured server. */
export function connectionString(url: string): string {
  const u = new URL(url);
  const fields = [`Server=${u.hostname}`, `Port=${u.port || "5432"}`, `User Id=${decodeURIComponent(u.username)}`];
  if (u.password) fields.push(`Password=${decodeURIComponent(u.password)}`);
  fields.push(`Database=${decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres"}`);
  return fields.join(";");
}

/**
 * `how`: `rows` creates the database with the table and its rows, `empty` the database and the table
 * without rows, `missing` no database (one left by an earlier restore is dropped).
 */
export async function restoreDatabase(adminUrl: string, database: string, sample: SampleData, how: "rows" | "empty" | "missing"): Promise<void> {
  const { Client } = require("pg") as typeof import("pg");
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    const found = await admin.query<{ comment: string | null }>("SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1", [database]);
    if (found.rows.length > 0) {
      if (found.rows[0].comment !== MARKER) throw new Error(`database ${database} exists in the configured PostgreSQL and was not made by the emulator: left alone`);
      await admin.query(`DROP DATABASE ${quoteIdent(database)} WITH (FORCE)`);
    }
    if (how === "missing") return;
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    await admin.query(`COMMENT ON DATABASE ${quoteIdent(database)} IS '${MARKER}'`);
  } finally {
    await admin.end();
  }
  const db = new Client({ connectionString: urlWithDatabase(adminUrl, database), connectionTimeoutMillis: 10_000 });
  await db.connect();
  try {
    await db.query(createTableSql(sample));
    const insert = insertRowsSql(sample);
    if (how === "rows" && insert) await db.query(insert);
  } finally {
    await db.end();
  }
}
