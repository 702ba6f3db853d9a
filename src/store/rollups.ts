/**
 * Hourly roll-ups of readings and room readings (table `rollups`): count, sum, min and max of
 * each metric per series (device id or room number) and hour, so that the data past the raw
 * window is not lost when raw rows are pruned.
 *
 * Progress is the last raw row id rolled up (`rollup:<kind>`, raw ids only grow: AUTOINCREMENT).
 * A batch takes the next raw rows by id and merges their aggregates into the roll-up rows of
 * the hours they fall in (count and sum added, min and max widened), and moves the progress in
 * the same transaction: each raw row is counted exactly once, and a batch costs what its own
 * rows cost — not every raw row of each hour it touches again (which made a batch of a few
 * hundred rows read thousands). Raw rows are never changed, and the prune only removes rows
 * rolled up already (see src/store/prune.ts), so no value is ever lost between the two; `pruned:
 * <kind>` tells readers which hours are no longer whole in the raw table.
 */
import type { Database } from "bun:sqlite";
import type { Db } from "./db.ts";

export const HOUR_MS = 3_600_000;
export const rollupKinds = ["readings", "rooms"] as const;
export type RollupKind = (typeof rollupKinds)[number];
export const rollupMetrics = ["temperature", "humidity"] as const;
export type RollupMetric = (typeof rollupMetrics)[number];

/** The raw table behind each kind; `series` is its series column. */
export const rawSources: Record<RollupKind, { table: string; series: string }> = {
  readings: { table: "readings", series: "device_id" },
  rooms: { table: "room_readings", series: "room_no" },
};

const NOTHING_PRUNED = Number.MIN_SAFE_INTEGER;

export function stateValue(sqlite: Database, key: string): number | undefined {
  return (
    sqlite
      .query<{ value: number }, [string]>("SELECT value FROM lifecycle_state WHERE key = ?")
      .get(key)?.value ?? undefined
  );
}

export function setStateValue(sqlite: Database, key: string, value: number): void {
  sqlite.run(
    "INSERT INTO lifecycle_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [key, value],
  );
}

/** Raw rows with ts ≤ this may be gone (the prune's last cut-off), or NOTHING_PRUNED. */
export function prunedTo(sqlite: Database, kind: RollupKind): number {
  return stateValue(sqlite, `pruned:${kind}`) ?? NOTHING_PRUNED;
}

/** The newest raw row's id (0: none). */
export function lastRawId(sqlite: Database, kind: RollupKind): number {
  const { table } = rawSources[kind];
  return sqlite.query<{ m: number | null }, []>(`SELECT max(id) AS m FROM ${table}`).get()?.m ?? 0;
}

/** The last raw row id rolled up (0: none). */
export function rolledUpTo(sqlite: Database, kind: RollupKind): number {
  return stateValue(sqlite, `rollup:${kind}`) ?? 0;
}

/**
 * Rolls up the next raw rows (at most `batchRows` ids, none past `upToId`) in one write
 * transaction; the number of ids covered, 0 when caught up. Call again until 0, yielding
 * between calls.
 */
export function rollUpBatch(
  db: Db,
  kind: RollupKind,
  batchRows: number,
  upToId: number = Number.MAX_SAFE_INTEGER,
): number {
  const sqlite = db.$client;
  const { table, series } = rawSources[kind];
  // IMMEDIATE: the write lock first, so every id up to max(id) is committed and no writer races
  return sqlite
    .transaction(() => {
      const lo = rolledUpTo(sqlite, kind);
      const top = sqlite.query<{ m: number | null }, []>(`SELECT max(id) AS m FROM ${table}`).get();
      const hi = Math.min(top?.m ?? 0, lo + Math.max(1, Math.floor(batchRows)), upToId);
      if (hi <= lo) return 0;
      const hourOf = "(ts - ts % 3600000)";
      for (const metric of rollupMetrics)
        sqlite.run(
          `INSERT INTO rollups (kind, series, metric, hour, value_count, value_sum, value_min, value_max)
           SELECT ?1, CAST(${series} AS TEXT), ?2, ${hourOf} AS h, count(${metric}), sum(${metric}), min(${metric}), max(${metric})
           FROM ${table} WHERE id > ?3 AND id <= ?4 AND ${metric} IS NOT NULL
           GROUP BY ${series}, h
           ON CONFLICT (kind, series, metric, hour) DO UPDATE SET
             value_count = rollups.value_count + excluded.value_count,
             value_sum = rollups.value_sum + excluded.value_sum,
             value_min = min(rollups.value_min, excluded.value_min),
             value_max = max(rollups.value_max, excluded.value_max)`,
          [kind, metric, lo, hi],
        );
      setStateValue(sqlite, `rollup:${kind}`, hi);
      return hi - lo;
    })
    .immediate();
}

/**
 * Raw rows not rolled up yet past which the roll-ups are not looked for complete hours (finding
 * the oldest of them reads each; PostgreSQL's chart keeps the same bound: src/store/pg/series.ts).
 */
export const UNROLLED_AT_MOST = 200_000;

/**
 * The hour from which roll-ups may miss raw rows: the hour of the oldest raw row not rolled up
 * yet (every hour before it is in the roll-ups whole: a pass computes an hour again from all its
 * raw rows up to the pass's last id). MAX_SAFE_INTEGER when every raw row is rolled up;
 * MIN_SAFE_INTEGER (the raw rows, everywhere) when too many are waiting to be rolled up for
 * their oldest to be found cheaply (a server catching up after a restart).
 */
export function completeRollupsUntil(sqlite: Database, kind: RollupKind): number {
  const { table } = rawSources[kind];
  const done = rolledUpTo(sqlite, kind);
  if (lastRawId(sqlite, kind) - done > UNROLLED_AT_MOST) return NOTHING_PRUNED;
  const oldest = sqlite
    .query<{ ts: number | null }, [number]>(`SELECT min(ts) AS ts FROM ${table} WHERE id > ?`)
    .get(done)?.ts;
  return oldest === null || oldest === undefined
    ? Number.MAX_SAFE_INTEGER
    : oldest - (oldest % HOUR_MS);
}

/** One bucket of a series: the values whose time falls in [t, t + bucket). */
export interface SeriesPoint {
  t: number;
  count: number;
  min: number;
  mean: number;
  max: number;
}

export interface SeriesQuery {
  kind: RollupKind;
  /** device id (readings) or room number (rooms) */
  series: string;
  metric: RollupMetric;
  /** [since, until): epoch ms */
  since: number;
  until: number;
  /** bucket size in ms; buckets start at multiples of it (epoch-aligned) */
  bucketMs: number;
}

/** A metric's aggregates over some values: an hour's roll-up, or a bucket of raw rows. */
export interface BucketPart {
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * A series over [since, until) in buckets of `bucketMs`: from raw rows where they are all still
 * stored, from the hourly roll-ups before that (the hours the prune has cut into). Roll-ups have
 * hourly resolution: there, a bucket under an hour becomes an hour, and an hour is counted in
 * the bucket its start falls in. Points in time order; empty buckets left out.
 */
export function readSeries(db: Db, q: SeriesQuery): SeriesPoint[] {
  if (!(q.bucketMs > 0) || !Number.isInteger(q.bucketMs))
    throw new RangeError("bucketMs must be a positive integer");
  const sqlite = db.$client;
  const { table, series } = rawSources[q.kind];
  const cut = prunedTo(sqlite, q.kind);
  // the first hour no raw row of which can have been pruned
  let rawFrom = cut === NOTHING_PRUNED ? NOTHING_PRUNED : cut - (cut % HOUR_MS) + HOUR_MS;
  // buckets of whole hours: the hours rolled up in full come from their roll-ups (one row per
  // hour instead of hundreds of raw rows), the rest — the live edge — from the raw rows
  if (q.bucketMs % HOUR_MS === 0) rawFrom = Math.max(rawFrom, completeRollupsUntil(sqlite, q.kind));
  const parts: Array<BucketPart & { t: number }> = [];
  if (q.since < rawFrom) {
    const rollupBucket = Math.max(q.bucketMs, HOUR_MS);
    const rows = sqlite
      .query<BucketPart & { hour: number }, [string, string, string, number, number]>(
        `SELECT hour, value_count AS count, value_sum AS sum, value_min AS min, value_max AS max
         FROM rollups WHERE kind = ? AND series = ? AND metric = ? AND hour >= ? AND hour < ?`,
      )
      .all(q.kind, q.series, q.metric, q.since - (q.since % HOUR_MS), Math.min(q.until, rawFrom));
    for (const r of rows) parts.push({ ...r, t: r.hour - (r.hour % rollupBucket) });
  }
  if (q.until > rawFrom) {
    const key = q.kind === "rooms" ? Number(q.series) : q.series;
    const rows = sqlite
      .query<BucketPart & { b: number }, [number, string | number, number, number]>(
        `SELECT ts - ts % ?1 AS b, count(${q.metric}) AS count, sum(${q.metric}) AS sum,
           min(${q.metric}) AS min, max(${q.metric}) AS max
         FROM ${table} WHERE ${series} = ?2 AND ts >= ?3 AND ts < ?4 AND ${q.metric} IS NOT NULL
         GROUP BY b`,
      )
      .all(q.bucketMs, key, Math.max(q.since, rawFrom), q.until);
    for (const r of rows) parts.push({ ...r, t: r.b });
  }
  return pointsOf(parts);
}

/**
 * One metric's points from its parts (an hour's roll-up, a bucket of raw rows), those with the
 * same bucket start `t` merged: counts and sums added, min and max widened; in time order.
 */
export function pointsOf(parts: Iterable<BucketPart & { t: number }>): SeriesPoint[] {
  const buckets = new Map<number, BucketPart>();
  for (const { t, count, sum, min, max } of parts) {
    const b = buckets.get(t);
    if (!b) buckets.set(t, { count, sum, min, max });
    else {
      b.count += count;
      b.sum += sum;
      b.min = Math.min(b.min, min);
      b.max = Math.max(b.max, max);
    }
  }
  return [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([t, p]) => ({ t, count: p.count, min: p.min, mean: p.sum / p.count, max: p.max }));
}
