/** The JSON API's and the dashboard's main reads on PostgreSQL (src/store/queries.ts's). */
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { ReadOps } from "../engine/types.ts";
import type { PgQueryable } from "./db.ts";
import { alertStateIs } from "./alert-groups.ts";
import { alertColumns, deviceColumns, roomColumns } from "./columns.ts";
import { pgConsoleOps } from "./console.ts";
import { pgSeries } from "./series.ts";
import { alerts, devices, readings, roomReadings, rooms } from "./schema.ts";

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function pgReadOps(db: PgQueryable): Pick<ReadOps, "queries" | "console"> {
  const consoleOps = pgConsoleOps(db);
  return {
    ...consoleOps,
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
      devices: () => db.select(deviceColumns).from(devices).orderBy(devices.id),
      rooms: () => db.select(roomColumns).from(rooms).orderBy(rooms.roomNo),
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
      /** each bin's newest level (the Overview's rows, without their time) */
      latestBins: async () =>
        (await consoleOps.console.latestBins()).map((b) => ({
          bin_count: b.bin_count,
          bin_level: b.bin_level,
          full: b.full,
          m_time: b.m_time,
        })),
      series: (source, range) => pgSeries(db, source, range),
      alerts: (state, limit) =>
        db
          .select(alertColumns)
          .from(alerts)
          .where(alertStateIs(state))
          .orderBy(desc(alerts.createdAt), desc(alerts.id))
          .limit(limit),
    },
  };
}
