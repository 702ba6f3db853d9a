/**
 * History reads for the JSON API: one list's rows between two times, oldest first, a page at a
 * time — raw, or rolled up into fixed buckets (min/mean/max of each metric, aggregated in SQL).
 * Every caller goes through `historyPage`, so the roll-ups can later be read from a roll-up
 * table past the raw window without the API changing.
 */
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
  /** bucketed columns: name → SQL aggregate over one bucket's rows */
  rollup: Record<string, string>;
}

const minMeanMax = (name: string, expr: string) => ({
  [`${name}_min`]: `min(${expr})`,
  [`${name}_mean`]: `avg(${expr})`,
  [`${name}_max`]: `max(${expr})`,
});
const binLevel = "CASE WHEN full = 0 AND bin_level GLOB '[0-9.]*' THEN CAST(bin_level AS REAL) END";

const specs: Record<HistoryKind, Spec> = {
  readings: {
    table: "readings",
    time: "ts",
    key: "device_id",
    filters: ["device_id"],
    raw: "id, device_id, ts, temperature, humidity, msg_id",
    rollup: { ...minMeanMax("temperature", "temperature"), ...minMeanMax("humidity", "humidity") },
  },
  rooms: {
    table: "room_readings",
    time: "ts",
    key: "room_no",
    filters: ["room_no"],
    raw: "id, room_no, ts, temperature, humidity",
    rollup: { ...minMeanMax("temperature", "temperature"), ...minMeanMax("humidity", "humidity") },
  },
  bins: {
    table: "bins",
    time: "ts",
    key: "bin_count",
    filters: ["bin_count"],
    raw: "id, bin_count, bin_level, full, m_time, ts",
    rollup: { ...minMeanMax("bin_level", binLevel), full_count: "sum(full)" },
  },
  presence: {
    table: "entrance_events",
    time: "ts",
    key: "name",
    filters: ["name"],
    raw: "id, name, record_type, ts",
    rollup: {
      in_count: "sum(record_type = 'in')",
      out_count: "sum(record_type = 'out')",
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
  const s = specs[q.kind];
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (q.since !== undefined) (where.push(`${s.time} >= ?`), args.push(q.since));
  if (q.until !== undefined) (where.push(`${s.time} < ?`), args.push(q.until));
  for (const col of s.filters) {
    const v = q.filter?.[col];
    if (v !== undefined) (where.push(`${col} = ?`), args.push(v));
  }
  let sql: string;
  if (q.bucket === "raw") {
    if (q.after) (where.push(`(${s.time}, id) > (?, ?)`), args.push(...q.after));
    sql = `SELECT ${s.raw} FROM ${s.table} ${whereOf(where)} ORDER BY ${s.time}, id LIMIT ?`;
  } else {
    const size = bucketMs[q.bucket];
    const having: string[] = [];
    if (q.after) {
      // rows of earlier buckets cannot be in this page: skip them before grouping
      (where.push(`${s.time} >= ?`), args.push(q.after[0]));
      having.push(`(bucket, ${s.key}) > (?, ?)`);
    }
    const rollup = Object.entries(s.rollup).map(([name, agg]) => `, ${agg} AS ${name}`);
    sql =
      `SELECT (${s.time} / ${size}) * ${size} AS bucket, ${s.key}, count(*) AS count${rollup.join("")} ` +
      `FROM ${s.table} ${whereOf(where)} GROUP BY 1, 2 ` +
      (having.length ? `HAVING ${having.join(" AND ")} ` : "") +
      `ORDER BY 1, 2 LIMIT ?`;
    if (q.after) args.push(...q.after);
  }
  args.push(q.limit + 1);
  const rows = db.$client.query(sql).all(...args) as Array<Record<string, unknown>>;
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

const whereOf = (w: string[]) => (w.length ? `WHERE ${w.join(" AND ")}` : "");
