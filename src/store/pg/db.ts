import { SQL } from "bun";
import { drizzle, type BunSQLDatabase } from "drizzle-orm/bun-sql";
import { applyPgMigrations } from "./migrate.ts";
import * as schema from "./schema.ts";

/** The PostgreSQL store's drizzle handle (drizzle-orm/bun-sql over Bun's built-in client). */
export type PgDb = BunSQLDatabase<typeof schema> & { $client: SQL };

/** What the operations run on: the pool, or one transaction's connection. */
export type PgQueryable = PgDb | Parameters<Parameters<PgDb["transaction"]>[0]>[0];

export interface PgStore {
  client: SQL;
  db: PgDb;
  close(): Promise<void>;
}

export interface PgStoreOptions {
  /** connections in the pool (`--database-pool`); default 10 */
  pool?: number;
  /** bring the schema up to date first (default true) */
  migrate?: boolean;
}

/**
 * Connects to PostgreSQL at `url` (`postgres://user:password@host:port/db?sslmode=require`:
 * credentials and TLS come from the URL, as Bun's client reads them) with a pool, and migrates.
 */
export async function openPgStore(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
  const client = new SQL(url, { max: options.pool ?? 10 });
  try {
    if (options.migrate !== false) await applyPgMigrations(client);
  } catch (e) {
    await client.close();
    throw e;
  }
  const db = drizzle({ client, schema });
  return { client, db, close: () => client.close() };
}
