/**
 * A chart's min / mean / max per bucket on PostgreSQL (SQLite's: src/store/series.ts): one
 * query over the raw rows while the range is all still raw; a range reaching back before the
 * prune's cut-off (`pruned:<kind>` in lifecycle_state) reads the hourly roll-ups (table
 * `rollups`) for the hours the prune cut into, the raw rows after them. An empty roll-up table
 * just means raw rows only.
 *
 * Unlike SQLite, whole-hour buckets do not read roll-ups inside the raw window: there, which raw
 * rows a roll-up holds is not known from a row id (PostgreSQL commits ids out of order), so the
 * roll-ups are trusted only where the prune has already relied on them.
 */
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { HOUR_MS, type RollupKind, type RollupMetric, type SeriesPoint } from "../rollups.ts";
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
import { lifecycleState, readings, roomReadings, rollups } from "./schema.ts";

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
type Row = Record<string, unknown>;

export async function pgSeries(
  db: PgQueryable,
  source: SeriesSource,
  range: SeriesRange,
): Promise<Series> {
  const kind: RollupKind = "room" in source ? "rooms" : "readings";
  const [pruned] = await db
    .select({ to: lifecycleState.value })
    .from(lifecycleState)
    .where(eq(lifecycleState.key, `pruned:${kind}`));
  const [table, where] =
    "room" in source
      ? [roomReadings, sql`${roomReadings.roomNo} = ${source.room}`]
      : [readings, sql`${readings.deviceId} = ${source.device}`];
  if (pruned && range.since <= pruned.to) {
    // raw rows at or before the cut may be gone: the first hour none of whose can be
    const rawFrom = pruned.to - (pruned.to % HOUR_MS) + HOUR_MS;
    const series = "room" in source ? String(source.room) : source.device;
    // [since, until + 1): a reading at until is in, as in the raw query below
    const points = (metric: RollupMetric) =>
      pointsOf(db, { kind, series, metric, table, where, rawFrom }, range);
    return seriesFromPoints(range, await points("temperature"), await points("humidity"));
  }
  const b = range.bucketMs;
  const from = bucketStart(range.since, b);
  const rows = (await db.execute(sql`
    SELECT (${table.ts} / ${b}::bigint) * ${b}::bigint AS t, count(*) AS n,
      min(${table.temperature}) AS tmin, avg(${table.temperature}) AS tmean,
      max(${table.temperature}) AS tmax, min(${table.humidity}) AS hmin,
      avg(${table.humidity}) AS hmean, max(${table.humidity}) AS hmax
    FROM ${table}
    WHERE ${where} AND ${table.ts} >= ${from} AND ${table.ts} <= ${range.until}
    GROUP BY 1 ORDER BY 1`)) as unknown as Row[];
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

interface Partial {
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** One metric's points: roll-ups before `rawFrom` (hourly), raw rows from it (as readSeries). */
async function pointsOf(
  db: PgQueryable,
  q: {
    kind: RollupKind;
    series: string;
    metric: RollupMetric;
    table: typeof readings | typeof roomReadings;
    where: ReturnType<typeof sql>;
    rawFrom: number;
  },
  range: SeriesRange,
): Promise<SeriesPoint[]> {
  const since = range.since;
  const until = range.until + 1;
  const buckets = new Map<number, Partial>();
  const add = (t: number, p: Partial) => {
    const b = buckets.get(t);
    if (!b) buckets.set(t, { ...p });
    else {
      b.count += p.count;
      b.sum += p.sum;
      b.min = Math.min(b.min, p.min);
      b.max = Math.max(b.max, p.max);
    }
  };
  if (since < q.rawFrom) {
    const rollupBucket = Math.max(range.bucketMs, HOUR_MS);
    const rows = await db
      .select({
        hour: rollups.hour,
        count: rollups.count,
        sum: rollups.sum,
        min: rollups.min,
        max: rollups.max,
      })
      .from(rollups)
      .where(
        and(
          eq(rollups.kind, q.kind),
          eq(rollups.series, q.series),
          eq(rollups.metric, q.metric),
          gte(rollups.hour, since - (since % HOUR_MS)),
          lt(rollups.hour, Math.min(until, q.rawFrom)),
        ),
      );
    for (const r of rows) add(r.hour - (r.hour % rollupBucket), r);
  }
  if (until > q.rawFrom) {
    const b = range.bucketMs;
    const column = q.table[q.metric];
    const rows = (await db.execute(sql`
      SELECT ${q.table.ts} - ${q.table.ts} % ${b}::bigint AS b, count(${column}) AS count,
        sum(${column}) AS sum, min(${column}) AS min, max(${column}) AS max
      FROM ${q.table}
      WHERE ${q.where} AND ${q.table.ts} >= ${Math.max(since, q.rawFrom)}
        AND ${q.table.ts} < ${until} AND ${column} IS NOT NULL
      GROUP BY 1`)) as unknown as Row[];
    for (const r of rows)
      add(Number(r.b), {
        count: Number(r.count),
        sum: Number(r.sum),
        min: Number(r.min),
        max: Number(r.max),
      });
  }
  return [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([t, p]) => ({ t, count: p.count, min: p.min, mean: p.sum / p.count, max: p.max }));
}
