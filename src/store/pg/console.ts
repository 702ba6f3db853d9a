/**
 * The dashboard's reads on PostgreSQL (the SQLite ones: src/store/engine/sqlite-console.ts),
 * rows shaped as there. Counts come back from PostgreSQL as bigint text: Number() them.
 */
import { and, asc, desc, eq, gte, inArray, like, lt, ne, sql } from "drizzle-orm";
import type { ConsoleReadOps } from "../engine/console-types.ts";
import type { Position } from "../device-positions.ts";
import { usageKinds, type DiskUsage, type KindUsage, type UsageKind } from "../usage.ts";
import type { PgQueryable } from "./db.ts";
import { pgAlertGroups } from "./alert-groups.ts";
import { alertColumns, deviceColumns, personColumns, roomColumns, ruleColumns } from "./columns.ts";
import {
  alerts,
  bins,
  deliveries,
  deviceCommands,
  devicePositions,
  devices,
  entranceEvents,
  images,
  people,
  roomReadings,
  rooms,
  rules,
} from "./schema.ts";

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
type Row = Record<string, unknown>;
const rowsOf = async (q: Promise<unknown>) => (await q) as unknown as Row[];

const eventColumns = {
  id: entranceEvents.id,
  record_type: entranceEvents.recordType,
  ts: entranceEvents.ts,
};

/** the tables of each kind on the Overview's disk use card */
const usageTables = Object.entries(usageKinds) as Array<[UsageKind, string]>;

/** a literal text[] of the ids (drizzle would spread a JS array into a row of parameters) */
const textArray = (ids: string[]) =>
  sql`ARRAY[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;

/** how long one measure of the disk use serves the Overview (it sums the images' bytes) */
const USAGE_MAX_AGE_MS = 30_000;

export function pgConsoleOps(db: PgQueryable): ConsoleReadOps {
  // the Overview renders after most events: measured at most once per USAGE_MAX_AGE_MS
  let measured: { at: number; usage: Promise<DiskUsage> } | undefined;
  const diskUsage = async (now: number): Promise<DiskUsage> => {
    const tables = usageTables.map(([, t]) => t);
    const rows = await rowsOf(
      db.execute(sql`
          SELECT c.relname AS t, pg_total_relation_size(c.oid) AS bytes,
            coalesce(s.n_live_tup, greatest(c.reltuples, 0)::bigint) AS estimate
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
          WHERE n.nspname = current_schema() AND c.relkind = 'r'
            AND c.relname = ANY(${textArray(tables)})`),
    );
    const byTable = new Map(rows.map((r) => [String(r.t), r]));
    const [totals] = await rowsOf(
      db.execute(sql`SELECT pg_database_size(current_database()) AS db,
          (SELECT coalesce(sum(bytes), 0) FROM images) AS files`),
    );
    const kinds = {} as Record<UsageKind, KindUsage>;
    for (const [kind, table] of usageTables) {
      const r = byTable.get(table);
      kinds[kind] = {
        rows: Number(r?.estimate ?? 0),
        dbBytes: Number(r?.bytes ?? 0),
        fileBytes: kind === "images" ? Number(totals?.files ?? 0) : 0,
      };
    }
    const usage: DiskUsage = {
      kinds,
      dbBytes: Number(totals?.db ?? 0),
      freeBytes: 0,
      at: now,
      engine: "postgres",
    };
    return usage;
  };
  return {
    console: {
      people: () => db.select(personColumns).from(people).orderBy(people.name),
      person: async (name) =>
        (await db.select(personColumns).from(people).where(eq(people.name, name)))[0],
      personEvents: (name, from, to, limit = 2000) =>
        db
          .select(eventColumns)
          .from(entranceEvents)
          .where(
            and(
              eq(entranceEvents.name, name),
              gte(entranceEvents.ts, from),
              lt(entranceEvents.ts, to),
            ),
          )
          .orderBy(entranceEvents.ts, entranceEvents.id)
          .limit(limit),
      recentPersonEvents: (name, limit, before) =>
        db
          .select(eventColumns)
          .from(entranceEvents)
          .where(
            and(
              eq(entranceEvents.name, name),
              before === undefined ? undefined : lt(entranceEvents.ts, before),
            ),
          )
          .orderBy(desc(entranceEvents.ts), desc(entranceEvents.id))
          .limit(limit),

      device: async (id) =>
        (await db.select(deviceColumns).from(devices).where(eq(devices.id, id)))[0],
      cameraIds: async () =>
        (
          await db
            .select({ id: devices.id })
            .from(devices)
            .where(sql`EXISTS (SELECT 1 FROM ${images} WHERE ${images.deviceId} = ${devices.id})`)
            .orderBy(devices.id)
        ).map((r) => r.id),
      snapshots: (deviceId, limit) =>
        db
          .select({ id: images.id, device_id: images.deviceId, ts: images.ts, bytes: images.bytes })
          .from(images)
          .where(eq(images.deviceId, deviceId))
          .orderBy(desc(images.ts), desc(images.id))
          .limit(limit),
      commands: (deviceId, limit) =>
        db
          .select({
            id: deviceCommands.id,
            ts: deviceCommands.ts,
            status: deviceCommands.status,
            code: deviceCommands.code,
            problem: deviceCommands.problem,
          })
          .from(deviceCommands)
          .where(eq(deviceCommands.deviceId, deviceId))
          .orderBy(desc(deviceCommands.ts), desc(deviceCommands.id))
          .limit(limit),
      dataCounts: async (id) => {
        const [r] = await rowsOf(
          db.execute(sql`SELECT
            (SELECT count(*) FROM readings WHERE device_id = ${id}) AS readings,
            (SELECT count(*) FROM images WHERE device_id = ${id}) AS images`),
        );
        return { readings: Number(r?.readings ?? 0), images: Number(r?.images ?? 0) };
      },
      /** one query for every device: each table's newest `n` by a lateral seek per device */
      recentTimes: async (ids, n = 6) => {
        const out = new Map<string, number[]>(ids.map((id) => [id, []]));
        if (ids.length === 0) return out;
        const newest = (table: string) =>
          sql.raw(
            `(SELECT ts FROM ${table} WHERE device_id = d.id ORDER BY ts DESC LIMIT ${Math.trunc(n)})`,
          );
        const rows = await rowsOf(
          db.execute(sql`
            SELECT d.id, t.ts FROM unnest(${textArray(ids)}) AS d(id)
            CROSS JOIN LATERAL (
              ${newest("device_positions")} UNION ALL ${newest("readings")}
              UNION ALL ${newest("images")}
            ) AS t`),
        );
        for (const r of rows) out.get(String(r.id))?.push(Number(r.ts));
        for (const [id, times] of out) out.set(id, times.sort((a, b) => b - a).slice(0, n));
        return out;
      },
      trails: async (ids) => {
        const out = new Map<string, Position[]>();
        if (ids.length === 0) return out;
        const rows = await db
          .select({
            deviceId: devicePositions.deviceId,
            ts: devicePositions.ts,
            x: devicePositions.x,
            y: devicePositions.y,
          })
          .from(devicePositions)
          .where(inArray(devicePositions.deviceId, ids))
          .orderBy(asc(devicePositions.ts), asc(devicePositions.id));
        for (const { deviceId, ...p } of rows) out.set(deviceId, [...(out.get(deviceId) ?? []), p]);
        return out;
      },

      latestBins: async () =>
        (
          await rowsOf(
            db.execute(
              sql`SELECT DISTINCT ON (bin_count) bin_count, bin_level, "full", m_time, ts FROM bins ORDER BY bin_count, id DESC`,
            ),
          )
        ).map((b) => ({
          bin_count: Number(b.bin_count),
          bin_level: String(b.bin_level),
          full: b.full === true,
          m_time: String(b.m_time),
          ts: Number(b.ts),
        })),
      binHistory: async (binCount, limit) =>
        (
          await db
            .select({ ts: bins.ts, level: bins.binLevel, full: bins.full })
            .from(bins)
            .where(eq(bins.binCount, binCount))
            .orderBy(desc(bins.ts), desc(bins.id))
            .limit(limit)
        )
          .reverse()
          .map((r) => ({ ts: r.ts, full: r.full, level: r.full ? 100 : Number(r.level) })),

      room: async (roomNo) =>
        (await db.select(roomColumns).from(rooms).where(eq(rooms.roomNo, roomNo)))[0],
      rules: (roomNo) =>
        db
          .select(ruleColumns)
          .from(rules)
          .where(roomNo === undefined ? undefined : eq(rules.roomNo, roomNo))
          .orderBy(rules.roomNo, rules.scheduleId),
      roomRecentTimes: async (roomNo, n) =>
        (
          await db
            .select({ ts: roomReadings.ts })
            .from(roomReadings)
            .where(eq(roomReadings.roomNo, roomNo))
            .orderBy(desc(roomReadings.ts))
            .limit(n)
        ).map((r) => r.ts),
      roomWindow: async (roomNo, windowMs) => {
        const [r] = await rowsOf(
          db.execute(sql`
            WITH newest AS (SELECT max(ts) AS ts FROM room_readings WHERE room_no = ${roomNo})
            SELECT (SELECT ts FROM newest) AS until, count(*) AS count,
              min(temperature) AS tmin, avg(temperature) AS tmean, max(temperature) AS tmax,
              min(humidity) AS hmin, avg(humidity) AS hmean, max(humidity) AS hmax
            FROM room_readings
            WHERE room_no = ${roomNo} AND ts >= (SELECT ts FROM newest) - ${windowMs}::bigint`),
        );
        if (!r || r.until === null || r.until === undefined) return undefined;
        return {
          until: Number(r.until),
          count: Number(r.count),
          temperature: { min: num(r.tmin), mean: num(r.tmean), max: num(r.tmax) },
          humidity: { min: num(r.hmin), mean: num(r.hmean), max: num(r.hmax) },
        };
      },
      roomAlerts: (roomNo) =>
        db
          .select({
            id: alerts.id,
            subject: alerts.subject,
            message: alerts.message,
            state: alerts.state,
            created_at: alerts.createdAt,
          })
          .from(alerts)
          .where(
            and(
              eq(alerts.kind, "room-rule"),
              roomNo === undefined ? undefined : like(alerts.subject, `room ${roomNo} rule %`),
              ne(alerts.state, "cleared"),
            ),
          )
          .orderBy(desc(alerts.createdAt)),

      alertCount: async (state) => {
        const [r] = await db
          .select({ n: sql<string>`count(*)` })
          .from(alerts)
          .where(eq(alerts.state, state));
        return Number(r?.n ?? 0);
      },
      alertGroups: (filter, page, size) => pgAlertGroups(db, filter, page, size),
      alertKinds: async () =>
        (await db.selectDistinct({ kind: alerts.kind }).from(alerts).orderBy(alerts.kind)).map(
          (r) => r.kind,
        ),
      alert: async (id) => (await db.select(alertColumns).from(alerts).where(eq(alerts.id, id)))[0],
      alertHistory: async (kind, subject, limit = 100) => {
        const same = and(eq(alerts.kind, kind), eq(alerts.subject, subject));
        const rows = await db
          .select({
            id: alerts.id,
            state: alerts.state,
            severity: alerts.severity,
            message: alerts.message,
            created_at: alerts.createdAt,
            cleared_at: alerts.clearedAt,
          })
          .from(alerts)
          .where(same)
          .orderBy(desc(alerts.createdAt), desc(alerts.id))
          .limit(limit);
        const [total] = await db
          .select({ n: sql<string>`count(*)` })
          .from(alerts)
          .where(same);
        return { rows, total: Number(total?.n ?? 0) };
      },
      deliveries: (alertId) =>
        db.select().from(deliveries).where(eq(deliveries.alertId, alertId)).orderBy(deliveries.id),

      /**
       * Each kind's table with its indexes and TOAST (pg_total_relation_size) and its row count
       * as the statistics keep it (n_live_tup: a count(*) would read 10 M rows per render);
       * images' files as their rows' byte counts. Nothing is "free to reuse" that we could tell
       * cheaply: autovacuum reuses dead space inside the tables.
       */
      diskUsage: (now) => {
        if (!measured || now - measured.at >= USAGE_MAX_AGE_MS || now < measured.at) {
          const usage = diskUsage(now);
          measured = { at: now, usage };
          // a failed measure is not kept
          usage.catch(() => measured?.usage === usage && (measured = undefined));
        }
        return measured.usage;
      },
    },
  };
}
