/**
 * Chart data: readings downsampled on the server to min / mean / max per time bucket, so a
 * chart of any range sends a bounded number of points (a 30-day chart about 720 per series).
 * Buckets are aligned to multiples of their size since the epoch, so the same bucket has the same
 * start in every answer: a live chart asks again from its last bucket and replaces it.
 * Over room readings (`room_readings`) or a device's readings (`readings`).
 */
import { HOUR_MS, prunedTo, readSeries, type RollupKind, type SeriesPoint } from "./rollups.ts";
import { sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { readings, roomReadings } from "./schema.ts";

export type SeriesSource = { room: number } | { device: string };

/** [since, until] in ms since the epoch (both inclusive), cut in buckets of `bucketMs`. */
export interface SeriesRange {
  since: number;
  until: number;
  bucketMs: number;
}

/** Per bucket, in the order of `t`; null where the bucket has readings but none of this metric. */
export interface Stats {
  min: Array<number | null>;
  mean: Array<number | null>;
  max: Array<number | null>;
}

export interface Series {
  since: number;
  until: number;
  bucketMs: number;
  /** each bucket's start (ms); only buckets with readings */
  t: number[];
  /** readings per bucket */
  n: number[];
  temperature: Stats;
  humidity: Stats;
}

/** Bucket sizes a person reads easily on a time axis, smallest first. */
const niceSteps = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
].map((s) => s * 1000);

/**
 * The smallest nice bucket size that cuts `spanMs` into at most `buckets` buckets (at least 1 s,
 * whole days past the list).
 */
export function bucketFor(spanMs: number, buckets: number): number {
  const least = Math.max(1000, Math.ceil(spanMs / Math.max(1, buckets)));
  return niceSteps.find((s) => s >= least) ?? Math.ceil(least / 86_400_000) * 86_400_000;
}

/** The first bucket's start: `since` rounded down to a bucket boundary. */
export const bucketStart = (ts: number, bucketMs: number) => Math.floor(ts / bucketMs) * bucketMs;

/** One bucket's aggregates, as both engines' queries answer them. */
export interface BucketRow {
  t: number;
  n: number;
  tmin: number | null;
  tmean: number | null;
  tmax: number | null;
  hmin: number | null;
  hmean: number | null;
  hmax: number | null;
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/**
 * Min / mean / max of temperature and humidity per bucket of `range.bucketMs`, oldest first.
 * Buckets of whole hours (a 30-day chart's) read the hourly roll-ups (src/store/rollups.ts) for
 * the hours rolled up in full and the raw rows after them, so the live edge stays exact; a span
 * reaching back before the raw window (raw rows pruned) reads the roll-ups there. Otherwise one
 * query over the raw rows.
 */
export function seriesOf(db: Db, source: SeriesSource, range: SeriesRange): Series {
  const kind: RollupKind = "room" in source ? "rooms" : "readings";
  if (range.bucketMs % HOUR_MS === 0 || range.since <= prunedTo(db.$client, kind))
    return fromRollups(db, source, range);
  const b = range.bucketMs;
  const from = bucketStart(range.since, b);
  const [table, where] =
    "room" in source
      ? [roomReadings, sql`${roomReadings.roomNo} = ${source.room}`]
      : [readings, sql`${readings.deviceId} = ${source.device}`];
  const rows = db.all<BucketRow>(sql`
    SELECT (${table.ts} / ${b}) * ${b} AS t, count(*) AS n,
      min(${table.temperature}) AS tmin, avg(${table.temperature}) AS tmean,
      max(${table.temperature}) AS tmax, min(${table.humidity}) AS hmin,
      avg(${table.humidity}) AS hmean, max(${table.humidity}) AS hmax
    FROM ${table}
    WHERE ${where} AND ${table.ts} >= ${from} AND ${table.ts} <= ${range.until}
    GROUP BY ${table.ts} / ${b} ORDER BY t`);
  return seriesFromBuckets(rows, from, range);
}

/** The chart's answer from its buckets' aggregates (oldest first), values rounded to 0.01. */
export function seriesFromBuckets(rows: BucketRow[], from: number, range: SeriesRange): Series {
  const stats = (): Stats => ({ min: [], mean: [], max: [] });
  const out: Series = {
    since: from,
    until: range.until,
    bucketMs: range.bucketMs,
    t: [],
    n: [],
    temperature: stats(),
    humidity: stats(),
  };
  for (const r of rows) {
    out.t.push(r.t);
    out.n.push(r.n);
    out.temperature.min.push(round(r.tmin));
    out.temperature.mean.push(round(r.tmean));
    out.temperature.max.push(round(r.tmax));
    out.humidity.min.push(round(r.hmin));
    out.humidity.mean.push(round(r.hmean));
    out.humidity.max.push(round(r.hmax));
  }
  return out;
}

/** The same answer through the roll-ups: hourly resolution where raw rows are gone. */
function fromRollups(db: Db, source: SeriesSource, range: SeriesRange): Series {
  const kind: RollupKind = "room" in source ? "rooms" : "readings";
  const series = "room" in source ? String(source.room) : source.device;
  // readSeries takes [since, until): one ms past until keeps a reading at until, as above
  const q = { kind, series, since: range.since, until: range.until + 1, bucketMs: range.bucketMs };
  const temperature = readSeries(db, { ...q, metric: "temperature" });
  const humidity = readSeries(db, { ...q, metric: "humidity" });
  return seriesFromPoints(range, temperature, humidity);
}

/** The chart's answer from each metric's points (hourly where read from the roll-ups). */
export function seriesFromPoints(
  range: SeriesRange,
  temperature: SeriesPoint[],
  humidity: SeriesPoint[],
): Series {
  const byT = new Map<number, { n: number; t?: SeriesPoint; h?: SeriesPoint }>();
  for (const p of temperature) byT.set(p.t, { n: p.count, t: p });
  for (const p of humidity) {
    const e = byT.get(p.t) ?? { n: 0 };
    e.h = p;
    e.n = Math.max(e.n, p.count);
    byT.set(p.t, e);
  }
  const stats = (): Stats => ({ min: [], mean: [], max: [] });
  const out: Series = {
    since: bucketStart(range.since, Math.max(range.bucketMs, HOUR_MS)),
    until: range.until,
    bucketMs: range.bucketMs,
    t: [],
    n: [],
    temperature: stats(),
    humidity: stats(),
  };
  const push = (into: Stats, p: SeriesPoint | undefined) => {
    into.min.push(p ? round(p.min) : null);
    into.mean.push(p ? round(p.mean) : null);
    into.max.push(p ? round(p.max) : null);
  };
  for (const t of [...byT.keys()].sort((a, b) => a - b)) {
    const e = byT.get(t)!;
    out.t.push(t);
    out.n.push(e.n);
    push(out.temperature, e.t);
    push(out.humidity, e.h);
  }
  return out;
}
