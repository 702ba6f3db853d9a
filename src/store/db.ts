import { Database } from "bun:sqlite";
import { drizzle, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { applyMigrations } from "./migrate.ts";
import * as schema from "./schema.ts";
import { incrementalVacuumIfNew } from "./vacuum.ts";

/**
 * The handle the rest of the code passes around and hands back to the store's functions
 * (src/store/*.ts); only the store looks inside it, so another SQL dialect could stand behind it.
 */
export type Db = BunSQLiteDatabase<typeof schema> & { $client: Database };

/**
 * Runs `fn` as one transaction: all its writes land, or none. Nested calls become savepoints, so
 * a domain module may open one inside a sink's batch. `fn` must be synchronous.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn)();
}

export interface Store {
  sqlite: Database;
  db: Db;
  close(): void;
}

/**
 * Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date.
 * WAL lets the dashboard read while the sinks write; synchronous=NORMAL is durable across
 * process crashes (the WAL is fsynced at checkpoints), which is what at-least-once needs.
 */
export function openStore(path: string, options: { migrate?: boolean } = {}): Store {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // created 0600 whatever the umask; SQLite gives the -wal and -shm files the same mode
    closeSync(openSync(path, "a", 0o600));
  }
  const sqlite = new Database(path, { create: true, strict: true });
  // before anything creates a table: a new database gives freed pages back (src/store/vacuum.ts)
  incrementalVacuumIfNew(sqlite);
  sqlite.run("PRAGMA journal_mode = WAL");
  sqlite.run("PRAGMA synchronous = NORMAL");
  sqlite.run("PRAGMA busy_timeout = 5000");
  sqlite.run("PRAGMA foreign_keys = ON");
  if (options.migrate !== false) applyMigrations(sqlite);
  const db = drizzle({ client: sqlite, schema });
  return { sqlite, db, close: () => sqlite.close() };
}
