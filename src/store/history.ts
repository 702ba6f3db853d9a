/**
 * History reads for the JSON API: one list's rows between two times, oldest first, a page at a
 * time — raw, or rolled up into fixed buckets (min/mean/max of each metric, aggregated in SQL).
 * Every caller goes through `historyPage`, so the roll-ups can later be read from a roll-up
 * table past the raw window without the API changing.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "./db.ts";

export const historyKinds = ["readings", "rooms", "bins", "presence", "alerts"] as const;
export type HistoryKind = (typeof historyKinds)[number];
export const buckets = ["raw", "1m", "5m", "1h", "1d"] as const;
export type Bucket = (typeof buckets)[number];
export const bucketMs: Record<Exclude<Bucket, "raw">, number> = {
  "1m": 60_000,
  "5m": 300_000,
  "1h": 3_600_000,
  "1d": 86_400_000,
};

/** Where a page ended: raw `[time, id]`, bucketed `[bucket start, key]`. */
export type Position = [number, number | string];

export interface HistoryQuery {
  kind: HistoryKind;
  bucket: Bucket;
  /** inclusive, epoch ms */
  since?: number;
  /** exclusive, epoch ms */
  until?: number;
  /** the page starts after this position */
  after?: Position;
  limit: number;
  /** column = value filters; only the kind's own filter columns are used */
  filter?: Record<string, string | number | undefined>;
}

export interface HistoryPage {
  rows: Array<Record<string, unknown>>;
  /** where the next page starts, when there is one */
  next?: Position;
}

interface Spec {
  table: string;
  time: string;
  /** what a bucket groups by besides time */
  key: string;
  filters: readonly string[];
  raw: string;
  /** bucketed columns: name → SQL aggregate over one bucket's rows, in each dialect */
  rollup: Record<string, Record<Dialect, string>>;
}

export type Dialect = "sqlite" | "postgres";
const same = (expr: string): Record<Dialect, string> => ({ sqlite: expr, postgres: expr });

const minMeanMax = (name: string, expr: Record<Dialect, string>) => ({
  [`${name}_min`]: { sqlite: `min(${expr.sqlite})`, postgres: `min(${expr.postgres})` },
  [`${name}_mean`]: { sqlite: `avg(${expr.sqlite})`, postgres: `avg(${expr.postgres})` },
  [`${name}_max`]: { sqlite: `max(${expr.sqlite})`, postgres: `max(${expr.postgres})` },
});
// a level that starts as a number (the seed's `FULL` is not one); PostgreSQL's cast refuses a
// trailing rest that SQLite's ignores, so there the number is cut out first
const LEADING_NUMBER = "^([0-9]+[.]?[0-9]*|[.][0-9]+)";
const binLevel: Record<Dialect, string> = {
  sqlite: "CASE WHEN full = 0 AND bin_level GLOB '[0-9.]*' THEN CAST(bin_level AS REAL) END",
  postgres: `CASE WHEN NOT "full" AND bin_level ~ '${LEADING_NUMBER}' THEN CAST(substring(bin_level from '${LEADING_NUMBER}') AS double precision) END`,
};

const specs: Record<HistoryKind, Spec> = {
  readings: {
    table: "readings",
    time: "ts",
    key: "device_id",
    filters: ["device_id"],
    raw: "id, device_id, ts, temperature, humidity, msg_id",
    rollup: {
      ...minMeanMax("temperature", same("temperature")),
      ...minMeanMax("humidity", same("humidity")),
    },
  },
  rooms: {
    table: "room_readings",
    time: "ts",
    key: "room_no",
    filters: ["room_no"],
    raw: "id, room_no, ts, temperature, humidity",
    rollup: {
      ...minMeanMax("temperature", same("temperature")),
      ...minMeanMax("humidity", same("humidity")),
    },
  },
  bins: {
    table: "bins",
    time: "ts",
    key: "bin_count",
    filters: ["bin_count"],
    raw: 'id, bin_count, bin_level, "full", m_time, ts',
    rollup: {
      ...minMeanMax("bin_level", binLevel),
      full_count: { sqlite: "sum(full)", postgres: 'sum("full"::int)' },
    },
  },
  presence: {
    table: "entrance_events",
    time: "ts",
    key: "name",
    filters: ["name"],
    raw: "id, name, record_type, ts",
    rollup: {
      in_count: { sqlite: "sum(record_type = 'in')", postgres: "sum((record_type = 'in')::int)" },
      out_count: {
        sqlite: "sum(record_type = 'out')",
        postgres: "sum((record_type = 'out')::int)",
      },
    },
  },
  alerts: {
    table: "alerts",
    time: "created_at",
    key: "kind",
    filters: ["kind", "state", "severity"],
    raw: "id, kind, subject, message, severity, state, created_at, cleared_at",
    rollup: {},
  },
};

/** The kind's key column and the columns a bucketed row has besides `bucket`, key and `count`. */
export const rollupColumns = (kind: HistoryKind) => Object.keys(specs[kind].rollup);

export function historyPage(db: Db, q: HistoryQuery): HistoryPage {
  return pageOf(q, db.all<Record<string, unknown>>(historySql("sqlite", q)));
}

/**
 * The page's statement in either dialect (PostgreSQL's side: src/store/pg/history.ts); it asks
 * for one row more than the page, which `pageOf` uses to tell whether another page follows.
 */
export function historySql(dialect: Dialect, q: HistoryQuery): SQL {
  const s = specs[q.kind];
  const where: SQL[] = [];
  const raw = (text: string) => sql.raw(text);
  if (q.since !== undefined) where.push(sql`${raw(s.time)} >= ${q.since}`);
  if (q.until !== undefined) where.push(sql`${raw(s.time)} < ${q.until}`);
  for (const col of s.filters) {
    const v = q.filter?.[col];
    if (v !== undefined) where.push(sql`${raw(col)} = ${v}`);
  }
  const limit = q.limit + 1;
  if (q.bucket === "raw") {
    if (q.after) where.push(sql`(${raw(s.time)}, id) > (${q.after[0]}, ${q.after[1]})`);
    return sql`SELECT ${raw(s.raw)} FROM ${raw(s.table)} ${whereOf(where)} ORDER BY ${raw(s.time)}, id LIMIT ${limit}`;
  }
  const size = bucketMs[q.bucket];
  // rows of earlier buckets cannot be in this page: skip them before grouping
  if (q.after) where.push(sql`${raw(s.time)} >= ${q.after[0]}`);
  const rollup = Object.entries(s.rollup).map(([name, agg]) => `, ${agg[dialect]} AS ${name}`);
  const bucket = `(${s.time} / ${size}) * ${size}`;
  // PostgreSQL groups by the expression (an output name inside an expression is not resolved)
  const having = q.after
    ? sql`HAVING (${raw(dialect === "sqlite" ? "bucket" : bucket)}, ${raw(s.key)}) > (${q.after[0]}, ${q.after[1]}) `
    : sql``;
  return sql`SELECT ${raw(bucket)} AS bucket, ${raw(s.key)}, count(*) AS count${raw(rollup.join(""))} FROM ${raw(s.table)} ${whereOf(where)} GROUP BY 1, 2 ${having}ORDER BY 1, 2 LIMIT ${limit}`;
}

/** The rows asked for (one more than the page) as a page and where the next one starts. */
export function pageOf(q: HistoryQuery, rows: Array<Record<string, unknown>>): HistoryPage {
  const s = specs[q.kind];
  const more = rows.length > q.limit;
  if (more) rows.length = q.limit;
  const last = rows.at(-1);
  const next: Position | undefined =
    more && last
      ? q.bucket === "raw"
        ? [last[s.time] as number, last.id as number]
        : [last.bucket as number, last[s.key] as number | string]
      : undefined;
  return { rows, next };
}

const whereOf = (w: SQL[]) => (w.length ? sql`WHERE ${sql.join(w, sql` AND `)}` : sql``);
