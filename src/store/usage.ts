/**
 * Disk use per kind of data: rows, and bytes in the database file (the table's pages and its
 * indexes', from SQLite's dbstat) plus, for images, the JPEG files (their rows' byte counts).
 * It reads every page of the database: seconds on a large one, so `iot serve` runs it in a child
 * process after each lifecycle pass (`iot __usage`, src/lifecycle/measure.ts) and keeps the
 * answer; pages and /metrics read that copy.
 */
import { Database } from "bun:sqlite";

export const usageKinds = {
  readings: "readings",
  rooms: "room_readings",
  rollups: "rollups",
  images: "images",
  alerts: "alerts",
  presence: "entrance_events",
  bins: "bins",
} as const;
export type UsageKind = keyof typeof usageKinds;

export interface KindUsage {
  rows: number;
  /** the table's and its indexes' pages in the database file */
  dbBytes: number;
  /** files outside the database (images only) */
  fileBytes: number;
}

export interface DiskUsage {
  kinds: Record<UsageKind, KindUsage>;
  /** the database's pages, all tables, and its free pages (given back by incremental vacuum) */
  dbBytes: number;
  freeBytes: number;
  at: number;
  /** measured in PostgreSQL (`--database-url`): sizes of its tables, no file of ours */
  engine?: "postgres";
}

export function diskUsage(sqlite: Database, now: number = Date.now()): DiskUsage {
  const pages = new Map(
    sqlite
      .query<{ t: string; b: number }, []>(
        `SELECT s.tbl_name AS t, sum(d.pgsize) AS b
         FROM dbstat AS d JOIN sqlite_schema AS s ON s.name = d.name
         WHERE d.aggregate = TRUE GROUP BY s.tbl_name`,
      )
      .all()
      .map((r) => [r.t, r.b]),
  );
  const kinds = {} as Record<UsageKind, KindUsage>;
  for (const [kind, table] of Object.entries(usageKinds) as Array<[UsageKind, string]>) {
    const rows = sqlite.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
    const fileBytes =
      kind === "images"
        ? (sqlite.query<{ b: number | null }, []>("SELECT sum(bytes) AS b FROM images").get()?.b ??
          0)
        : 0;
    kinds[kind] = { rows, dbBytes: pages.get(table) ?? 0, fileBytes };
  }
  const pragma = (name: string) =>
    Object.values(sqlite.query(`PRAGMA ${name}`).get() as Record<string, number>)[0]!;
  const pageSize = pragma("page_size");
  return {
    kinds,
    dbBytes: pragma("page_count") * pageSize,
    freeBytes: pragma("freelist_count") * pageSize,
    at: now,
  };
}

/** The disk use of the database file at `path`, read without writing anything. */
export function diskUsageOfFile(path: string, now?: number): DiskUsage {
  const sqlite = new Database(path);
  try {
    sqlite.run("PRAGMA query_only = 1");
    sqlite.run("PRAGMA busy_timeout = 10000");
    return diskUsage(sqlite, now);
  } finally {
    sqlite.close();
  }
}
