/** The JSON API's and the dashboard's main reads on PostgreSQL (src/store/queries.ts's). */
import { and, desc, eq, gt, ne, sql, type SQL } from "drizzle-orm";
import type { ReadOps } from "../engine/types.ts";
import type { PgQueryable } from "./db.ts";
import { bucketStart, seriesFromBuckets, type BucketRow } from "../series.ts";
import { alerts, devices, lifecycleState, readings, roomReadings, rooms } from "./schema.ts";

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function pgReadOps(db: PgQueryable): Pick<ReadOps, "queries"> {
  return {
    queries: {
      readings: (deviceId, limit) =>
        db
          .select({
            id: readings.id,
            device_id: readings.deviceId,
            ts: readings.ts,
            temperature: readings.temperature,
            humidity: readings.humidity,
            msg_id: readings.msgId,
          })
          .from(readings)
          .where(deviceId ? eq(readings.deviceId, deviceId) : undefined)
          .orderBy(desc(readings.ts), desc(readings.id))
          .limit(limit),
      /**
       * Each device's newest reading (at most 100 devices, by id): the device ids walked through
       * the (device_id, ts) index one seek each (PostgreSQL 15 has no skip scan; the recursive
       * CTE is read lazily, so the LIMIT stops it), each one's newest row by a lateral seek.
       */
      latestReadings: async () => {
        const rows = (await db.execute(sql`
          WITH RECURSIVE ids(d) AS (
            (SELECT min(device_id) FROM readings)
            UNION ALL
            SELECT (SELECT min(device_id) FROM readings WHERE device_id > ids.d)
            FROM ids WHERE ids.d IS NOT NULL
          )
          SELECT r.device_id, r.ts, r.temperature, r.humidity
          FROM (SELECT d FROM ids WHERE d IS NOT NULL LIMIT 100) AS ids
          CROSS JOIN LATERAL (
            SELECT device_id, ts, temperature, humidity FROM readings
            WHERE device_id = ids.d ORDER BY ts DESC, id DESC LIMIT 1
          ) AS r
          ORDER BY r.device_id`)) as unknown as Array<Record<string, unknown>>;
        return rows.map((r) => ({
          device_id: String(r.device_id),
          ts: Number(r.ts),
          temperature: num(r.temperature),
          humidity: num(r.humidity),
        }));
      },
      devices: () =>
        db
          .select({
            id: devices.id,
            name: devices.name,
            kind: devices.kind,
            x: devices.x,
            y: devices.y,
            status: devices.status,
            desired_status: devices.desiredStatus,
            online: devices.online,
            last_seen: devices.lastSeen,
          })
          .from(devices)
          .orderBy(devices.id),
      rooms: () =>
        db
          .select({
            room_no: rooms.roomNo,
            temperature: rooms.temperature,
            humidity: rooms.humidity,
            updated_at: rooms.updatedAt,
          })
          .from(rooms)
          .orderBy(rooms.roomNo),
      roomHistory: (roomNo, since) =>
        db
          .select({
            ts: roomReadings.ts,
            temperature: roomReadings.temperature,
            humidity: roomReadings.humidity,
          })
          .from(roomReadings)
          .where(and(eq(roomReadings.roomNo, roomNo), gt(roomReadings.ts, since)))
          .orderBy(roomReadings.ts)
          .limit(2000),
      /** Each bin's newest level (its highest id), as SQLite's max(id) per bin. */
      latestBins: async () => {
        const rows = (await db.execute(
          sql`SELECT DISTINCT ON (bin_count) bin_count, bin_level, "full", m_time FROM bins ORDER BY bin_count, id DESC`,
        )) as unknown as Array<Record<string, unknown>>;
        return rows.map((b) => ({
          bin_count: Number(b.bin_count),
          bin_level: String(b.bin_level),
          full: b.full === true,
          m_time: String(b.m_time),
        }));
      },
      series: async (source, range) => {
        const kind = "room" in source ? "rooms" : "readings";
        const [pruned] = await db
          .select({ to: lifecycleState.value })
          .from(lifecycleState)
          .where(eq(lifecycleState.key, `pruned:${kind}`));
        if (pruned && range.since <= pruned.to)
          throw new Error("a chart reaching into pruned data (roll-ups) is not on PostgreSQL yet");
        const b = range.bucketMs;
        const from = bucketStart(range.since, b);
        const [table, where] =
          "room" in source
            ? [roomReadings, sql`${roomReadings.roomNo} = ${source.room}`]
            : [readings, sql`${readings.deviceId} = ${source.device}`];
        const rows = (await db.execute(sql`
          SELECT (${table.ts} / ${b}::bigint) * ${b}::bigint AS t, count(*) AS n,
            min(${table.temperature}) AS tmin, avg(${table.temperature}) AS tmean,
            max(${table.temperature}) AS tmax, min(${table.humidity}) AS hmin,
            avg(${table.humidity}) AS hmean, max(${table.humidity}) AS hmax
          FROM ${table}
          WHERE ${where} AND ${table.ts} >= ${from} AND ${table.ts} <= ${range.until}
          GROUP BY 1 ORDER BY 1`)) as unknown as Array<Record<string, unknown>>;
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
      },
      alerts: (state, limit) => {
        const where: SQL | undefined =
          state === "active"
            ? ne(alerts.state, "cleared")
            : state
              ? eq(alerts.state, state)
              : undefined;
        return db
          .select({
            id: alerts.id,
            kind: alerts.kind,
            subject: alerts.subject,
            message: alerts.message,
            severity: alerts.severity,
            state: alerts.state,
            created_at: alerts.createdAt,
            cleared_at: alerts.clearedAt,
          })
          .from(alerts)
          .where(where)
          .orderBy(desc(alerts.createdAt), desc(alerts.id))
          .limit(limit);
      },
    },
  };
}
