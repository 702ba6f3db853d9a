/**
 * Deleting old rows in small batches: each call is one short write transaction over at most
 * `limit` rows, found through an index, so the sinks' inserts wait at most one batch. A row of
 * age ≥ the retention goes: `time ≤ cutoff` with cutoff = now − retention.
 *
 * Raw readings and room readings go only once rolled up (src/store/rollups.ts); images are
 * handled in src/store/image-prune.ts (their files go with them).
 */
import type { Database } from "bun:sqlite";
import type { Db } from "./db.ts";
import { prunedTo, rolledUpTo, setStateValue, type RollupKind } from "./rollups.ts";

/** Tables pruned by time, each with the index (group column, time column) that finds old rows. */
export const prunable = {
  readings: { table: "readings", group: "device_id", time: "ts" },
  rooms: { table: "room_readings", group: "room_no", time: "ts" },
  bins: { table: "bins", group: "bin_count", time: "ts" },
  presence: { table: "entrance_events", group: "name", time: "ts" },
  images: { table: "images", group: "device_id", time: "ts" },
} as const;
export type PrunableKind = keyof typeof prunable;

/**
 * The distinct values of an indexed column, one index probe each (a skip scan): a few devices
 * or rooms, however many rows.
 */
export function groupsOf(sqlite: Database, table: string, column: string): Array<string | number> {
  return sqlite
    .query<{ v: string | number }, []>(
      `WITH RECURSIVE g(v) AS (
         SELECT min(${column}) FROM ${table}
         UNION ALL SELECT (SELECT min(${column}) FROM ${table} WHERE ${column} > g.v) FROM g WHERE g.v IS NOT NULL)
       SELECT v FROM g WHERE v IS NOT NULL`,
    )
    .all()
    .map((r) => r.v);
}

/**
 * Deletes up to `limit` rows of one group with time ≤ cutoff; the number deleted. Readings and
 * room readings: only rows rolled up already, and the cut-off is recorded first so that the
 * roll-up treats those hours as cut into from now on.
 */
export function pruneGroupBatch(
  db: Db,
  kind: Exclude<PrunableKind, "images">,
  group: string | number,
  cutoff: number,
  limit: number,
): number {
  const sqlite = db.$client;
  const { table, group: column, time } = prunable[kind];
  return sqlite
    .transaction(() => {
      let guard = "";
      const params: Array<string | number> = [group, cutoff, limit];
      if (kind === "readings" || kind === "rooms") {
        markPruned(sqlite, kind, cutoff);
        guard = "AND id <= ?4";
        params.push(rolledUpTo(sqlite, kind));
      }
      return sqlite.run(
        `DELETE FROM ${table} WHERE rowid IN (
           SELECT rowid FROM ${table} WHERE ${column} = ?1 AND ${time} <= ?2 ${guard} LIMIT ?3)`,
        params,
      ).changes;
    })
    .immediate();
}

/** Where the walk through the ids of a table starts and ends (0, 0: nothing to walk). */
export function idSpan(sqlite: Database, kind: Exclude<PrunableKind, "images">): [number, number] {
  const { table } = prunable[kind];
  const r = sqlite
    .query<{ lo: number | null; hi: number | null }, []>(
      `SELECT min(id) AS lo, max(id) AS hi FROM ${table}`,
    )
    .get();
  if (r?.lo == null || r.hi == null) return [0, 0];
  // readings and room readings: only rows rolled up already may go
  const hi =
    kind === "readings" || kind === "rooms" ? Math.min(r.hi, rolledUpTo(sqlite, kind)) : r.hi;
  return [r.lo, hi];
}

/**
 * Deletes the rows with time ≤ cutoff among the ids [from, from + span): neighbouring ids share
 * pages (rows arrive roughly in time order, so the old ones sit at the start of the table), so
 * this touches few of them — unlike one device's rows, spread over the whole table. `kept`: the
 * rows of the range left (young ones). A walk from the first id stops at a range that had rows
 * but none old; `pruneGroupBatch` then finds the stragglers (late rows, clocks ahead) through
 * the index.
 */
export function pruneIdRange(
  db: Db,
  kind: Exclude<PrunableKind, "images">,
  from: number,
  span: number,
  cutoff: number,
): { deleted: number; kept: number } {
  const sqlite = db.$client;
  const { table, time } = prunable[kind];
  return sqlite
    .transaction(() => {
      let guard = "";
      const params: number[] = [from, from + span, cutoff];
      if (kind === "readings" || kind === "rooms") {
        markPruned(sqlite, kind, cutoff);
        guard = "AND id <= ?4";
        params.push(rolledUpTo(sqlite, kind));
      }
      const deleted = sqlite.run(
        `DELETE FROM ${table} WHERE id >= ?1 AND id < ?2 AND ${time} <= ?3 ${guard}`,
        params,
      ).changes;
      const kept = sqlite
        .query<{ n: number }, [number, number]>(
          `SELECT count(*) AS n FROM ${table} WHERE id >= ? AND id < ?`,
        )
        .get(from, from + span)!.n;
      return { deleted, kept };
    })
    .immediate();
}

function markPruned(sqlite: Database, kind: RollupKind, cutoff: number): void {
  if (cutoff > prunedTo(sqlite, kind)) setStateValue(sqlite, `pruned:${kind}`, cutoff);
}

/** Roll-ups whose hour started at or before the cut-off, up to `limit`. */
export function pruneRollupsBatch(db: Db, cutoff: number, limit: number): number {
  return db.$client.run(
    "DELETE FROM rollups WHERE rowid IN (SELECT rowid FROM rollups WHERE hour <= ? LIMIT ?)",
    [cutoff, limit],
  ).changes;
}

/** Cleared alerts cleared at or before the cut-off, up to `limit`; open or acknowledged never. */
export function pruneAlertsBatch(db: Db, cutoff: number, limit: number): number {
  return db.$client.run(
    `DELETE FROM alerts WHERE id IN (
       SELECT id FROM alerts WHERE state = 'cleared' AND created_at <= ?1
         AND coalesce(cleared_at, created_at) <= ?1 LIMIT ?2)`,
    [cutoff, limit],
  ).changes;
}
