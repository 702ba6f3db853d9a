/**
 * Giving space back: with `auto_vacuum = INCREMENTAL` the pages a prune frees can be returned
 * to the file system a few at a time (`PRAGMA incremental_vacuum(N)`), without the whole-file
 * rewrite (and twice the space) of a VACUUM. A new database gets it before its first table; an
 * older one needs one VACUUM to switch, which `iot serve` does once at start.
 */
import type { Database } from "bun:sqlite";

const INCREMENTAL = 2;

const pragmaNumber = (sqlite: Database, name: string): number =>
  Object.values(sqlite.query(`PRAGMA ${name}`).get() as Record<string, number>)[0]!;

export function autoVacuumMode(sqlite: Database): "none" | "full" | "incremental" {
  return (["none", "full", "incremental"] as const)[pragmaNumber(sqlite, "auto_vacuum")]!;
}

/** Before the first table is created the setting takes effect at once: a new database. */
export function incrementalVacuumIfNew(sqlite: Database): void {
  const tables = sqlite.query("SELECT 1 FROM sqlite_schema LIMIT 1").get();
  if (!tables) sqlite.run("PRAGMA auto_vacuum = INCREMENTAL");
}

/**
 * Switches an existing database to incremental auto-vacuum with one VACUUM (the whole file is
 * rewritten: needs its size again in free space, and the write lock for the duration). Returns
 * false when it was already switched.
 */
export function switchToIncrementalVacuum(sqlite: Database): boolean {
  if (pragmaNumber(sqlite, "auto_vacuum") === INCREMENTAL) return false;
  sqlite.run("PRAGMA auto_vacuum = INCREMENTAL");
  sqlite.run("VACUUM");
  return true;
}

/** Returns up to `pages` free pages to the file system; the free pages left. */
export function incrementalVacuumStep(sqlite: Database, pages: number): number {
  sqlite.run(`PRAGMA incremental_vacuum(${Math.max(1, Math.floor(pages))})`);
  return pragmaNumber(sqlite, "freelist_count");
}

/** Moves the WAL's pages into the file (and so its shrinking) without waiting on anyone. */
export function checkpoint(sqlite: Database): void {
  sqlite.run("PRAGMA wal_checkpoint(PASSIVE)");
}

export const databaseBytes = (sqlite: Database): number =>
  pragmaNumber(sqlite, "page_count") * pragmaNumber(sqlite, "page_size");
