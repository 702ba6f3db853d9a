/** The database side of `iot backup` / `iot restore` (src/backup/): SQLite files by path. */
import { Database } from "bun:sqlite";

/**
 * Writes a consistent copy of the database at `source` into the new file `dest` (`VACUUM INTO`:
 * one read transaction, so writers go on; the copy is compact).
 */
export function vacuumInto(source: string, dest: string): void {
  const live = new Database(source);
  try {
    live.run("PRAGMA busy_timeout = 10000");
    live.run("VACUUM INTO ?", [dest]);
  } finally {
    live.close();
  }
}

/** A closed database file to fix up: image paths, row counts, a check, the journal mode. */
export function withDatabaseFile<T>(path: string, fn: (file: DatabaseFile) => T): T {
  const db = new Database(path);
  try {
    return fn({
      mapImagePaths(map: (path: string) => string): void {
        const rows = db.query("SELECT id, path FROM images").all() as Array<{
          id: number;
          path: string;
        }>;
        const set = db.prepare("UPDATE images SET path = ? WHERE id = ?");
        db.transaction(() => rows.forEach((r) => set.run(map(r.path), r.id)))();
      },
      rowCounts: (tables: readonly string[]) =>
        Object.fromEntries(
          tables.map((t) => [
            t,
            (db.query(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
          ]),
        ),
      quickCheck: () =>
        (db.query("PRAGMA quick_check").get() as { quick_check: string }).quick_check,
      walMode: () => void db.run("PRAGMA journal_mode = WAL"),
    });
  } finally {
    db.close();
  }
}

export interface DatabaseFile {
  /** each image row's path replaced by what `map` makes of it, in one transaction */
  mapImagePaths(map: (path: string) => string): void;
  rowCounts(tables: readonly string[]): Record<string, number>;
  /** "ok", or what is wrong */
  quickCheck(): string;
  walMode(): void;
}
