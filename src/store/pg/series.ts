/**
 * A chart's min / mean / max per bucket on PostgreSQL: the same points as SQLite's
 * (src/store/series.ts, readSeries in src/store/rollups.ts) for the same data.
 * - Buckets under an hour, the range all inside the raw window: one query over the raw rows.
 * - Buckets of whole hours (a 30-day chart's): the hours rolled up in full from the hourly
 *   roll-ups (table `rollups`, one row per hour and metric instead of every raw row of the hour),
 *   the rest — the live edge, the hour of a late reading — from the raw rows.
 * - A range reaching back before the prune's cut-off (`pruned:<kind>` in lifecycle_state): the
 *   roll-ups there, whatever the bucket.
 *
 * Which hours are whole in the roll-ups: every raw row whose id is at most the roll-up mark
 * (`rollup:<kind>`) is in them, and only those. PostgreSQL hands ids out before commit (a row
 * with a lower id can commit after one with a higher id), yet the mark can be trusted: the
 * roll-up batch (src/store/pg/lifecycle.ts) takes a SHARE lock on the raw table before it reads
 * max(id), which waits for every insert in flight and holds new ones off until it commits, so
 * every id up to the mark was committed when the batch read it. So each hour before the oldest
 * raw row past the mark is whole in the roll-ups; a row past the mark not committed yet is not
 * seen by this read in either place.
 *
 * That boundary, the roll-ups and the raw rows are read in one statement, one snapshot: a
 * roll-up batch or a prune committing meanwhile cannot make a reading count twice or not at all.
 */
import { sql, type SQL } from "drizzle-orm";
import {
  HOUR_MS,
  pointsOf,
  rollupMetrics,
  UNROLLED_AT_MOST,
  type BucketPart,
  type RollupKind,
  type RollupMetric,
} from "../rollups.ts";
import {
  bucketStart,
  seriesFromBuckets,
  seriesFromPoints,
  type BucketRow,
  type Series,
  type SeriesRange,
  type SeriesSource,
} from "../series.ts";
import type { PgQueryable } from "./db.ts";
import { readings, roomReadings } from "./schema.ts";

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
type Row = Record<string, unknown>;
const rowsOf = async (q: Promise<unknown>) => (await q) as unknown as Row[];

/** no raw row cut by the prune / every raw row rolled up: the boundary's two ends */
const NOWHERE = Number.MIN_SAFE_INTEGER;
const EVERYWHERE = Number.MAX_SAFE_INTEGER;

export async function pgSeries(
  db: PgQueryable,
  source: SeriesSource,
  range: SeriesRange,
): Promise<Series> {
  const kind: RollupKind = "room" in source ? "rooms" : "readings";
  const [table, where] =
    "room" in source
      ? [roomReadings, sql`${roomReadings.roomNo} = ${source.room}`]
      : [readings, sql`${readings.deviceId} = ${source.device}`];
  const [state] = await rowsOf(
    db.execute(sql`SELECT
      (SELECT value FROM lifecycle_state WHERE key = ${`pruned:${kind}`}) AS pruned,
      (SELECT value FROM lifecycle_state WHERE key = ${`rollup:${kind}`}) AS done,
      (SELECT max(id) FROM ${table}) AS top`),
  );
  const pruned = num(state?.pruned) ?? NOWHERE;
  const whole = range.bucketMs % HOUR_MS === 0;
  if (!whole && range.since > pruned) return fromRawRows(db, table, where, range);

  // the first hour whose raw rows may not all be in the roll-ups: the hour of the oldest row past
  // the mark; none when too many wait to be rolled up for their oldest to be found cheaply (a
  // server catching up), as SQLite's completeRollupsUntil
  const done = num(state?.done) ?? 0;
  const top = num(state?.top) ?? 0;
  const rolledUpUntil =
    whole && top - done <= UNROLLED_AT_MOST
      ? sql`coalesce((SELECT min(ts) FROM ${table} WHERE id > ${done}) / ${HOUR_MS}::bigint * ${HOUR_MS}::bigint, ${EVERYWHERE}::bigint)`
      : sql`${NOWHERE}::bigint`;
  const series = "room" in source ? String(source.room) : source.device;
  const since = range.since;
  const until = range.until + 1; // [since, until + 1): a reading at until is in, as on SQLite
  const b = range.bucketMs;
  const rollupBucket = Math.max(b, HOUR_MS);
  const rows = await rowsOf(
    db.execute(sql`
      WITH cut AS (
        SELECT greatest(
          -- the first hour none of whose raw rows the prune can have removed
          coalesce((SELECT value / ${HOUR_MS}::bigint * ${HOUR_MS}::bigint + ${HOUR_MS}::bigint
            FROM lifecycle_state WHERE key = ${`pruned:${kind}`}), ${NOWHERE}::bigint),
          ${rolledUpUntil}) AS raw_from
      )
      SELECT metric, hour - hour % ${rollupBucket}::bigint AS t, value_count AS count,
        value_sum AS sum, value_min AS min, value_max AS max
      FROM rollups
      WHERE kind = ${kind} AND series = ${series} AND metric IN ('temperature', 'humidity')
        AND hour >= ${since - (since % HOUR_MS)}::bigint
        AND hour < least(${until}::bigint, (SELECT raw_from FROM cut))
      UNION ALL
      SELECT m.metric, r.t, m.count, m.sum, m.min, m.max
      FROM (
        SELECT ${table.ts} - ${table.ts} % ${b}::bigint AS t,
          count(temperature) AS tn, sum(temperature) AS tsum,
          min(temperature) AS tmin, max(temperature) AS tmax,
          count(humidity) AS hn, sum(humidity) AS hsum, min(humidity) AS hmin, max(humidity) AS hmax
        FROM ${table}
        WHERE ${where} AND ${table.ts} >= greatest(${since}::bigint, (SELECT raw_from FROM cut))
          AND ${table.ts} < ${until}::bigint
        GROUP BY 1
      ) AS r
      -- one row per metric and bucket, as the roll-ups have them (none where no value: count 0)
      CROSS JOIN LATERAL (VALUES
        ('temperature'::text, r.tn, r.tsum, r.tmin, r.tmax),
        ('humidity'::text, r.hn, r.hsum, r.hmin, r.hmax)
      ) AS m (metric, count, sum, min, max)
      WHERE m.count > 0`),
  );
  const parts = new Map<RollupMetric, Array<BucketPart & { t: number }>>(
    rollupMetrics.map((m) => [m, []]),
  );
  for (const r of rows)
    parts.get(r.metric as RollupMetric)?.push({
      t: Number(r.t),
      count: Number(r.count),
      sum: Number(r.sum),
      min: Number(r.min),
      max: Number(r.max),
    });
  return seriesFromPoints(
    range,
    pointsOf(parts.get("temperature")!),
    pointsOf(parts.get("humidity")!),
  );
}

/** Every bucket from the raw rows, in one query (a range inside the raw window). */
async function fromRawRows(
  db: PgQueryable,
  table: typeof readings | typeof roomReadings,
  where: SQL,
  range: SeriesRange,
): Promise<Series> {
  const b = range.bucketMs;
  const from = bucketStart(range.since, b);
  const rows = await rowsOf(
    db.execute(sql`
      SELECT (${table.ts} / ${b}::bigint) * ${b}::bigint AS t, count(*) AS n,
        min(${table.temperature}) AS tmin, avg(${table.temperature}) AS tmean,
        max(${table.temperature}) AS tmax, min(${table.humidity}) AS hmin,
        avg(${table.humidity}) AS hmean, max(${table.humidity}) AS hmax
      FROM ${table}
      WHERE ${where} AND ${table.ts} >= ${from} AND ${table.ts} <= ${range.until}
      GROUP BY 1 ORDER BY 1`),
  );
  const buckets: BucketRow[] = rows.map((r) => ({
    t: Number(r.t),
    n: Number(r.n),
    tmin: num(r.tmin),
    tmean: num(r.tmean),
    tmax: num(r.tmax),
    hmin: num(r.hmin),
    hmean: num(r.hmean),
    hmax: num(r.hmax),
  }));
  return seriesFromBuckets(buckets, from, range);
}
