/**
 * The reads the JSON API and dashboard make; field names as the seeds named them. The row types
 * below are what views/ renders from.
 */
import { and, desc, eq, gt, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "./db.ts";
import { prepared } from "./prepared.ts";
import { alertColumns, deviceColumns, personColumns, roomColumns, ruleColumns } from "./columns.ts";
import { alertList, countAlerts, type AlertFilter, type AlertState } from "./alert-list.ts";
import {
  alerts,
  bins,
  devices,
  images,
  people,
  rooms,
  roomReadings,
  rules,
  readings,
} from "./schema.ts";

export const queries = (db: Db) => ({
  readings: (deviceId: string | undefined, limit: number) =>
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
      .limit(limit)
      .all(),
  images: (deviceId: string | undefined, limit: number) =>
    db
      .select({
        id: images.id,
        device_id: images.deviceId,
        ts: images.ts,
        bytes: images.bytes,
        width: images.width,
        height: images.height,
        msg_id: images.msgId,
      })
      .from(images)
      .where(deviceId ? eq(images.deviceId, deviceId) : undefined)
      .orderBy(desc(images.ts), desc(images.id))
      .limit(limit)
      .all(),
  imagePath: (id: number) =>
    db.select({ path: images.path }).from(images).where(eq(images.id, id)).get()?.path,
  bins: (limit: number) =>
    db
      .select({
        id: bins.id,
        bin_count: bins.binCount,
        bin_level: bins.binLevel,
        full: bins.full,
        m_time: bins.mTime,
        ts: bins.ts,
      })
      .from(bins)
      .orderBy(desc(bins.ts), desc(bins.id))
      .limit(limit)
      .all(),
  devices: () =>
    prepared(db, "queries.devices", () =>
      db.select(deviceColumns).from(devices).orderBy(devices.id).prepare(),
    ).all(),
  rooms: () =>
    prepared(db, "queries.rooms", () =>
      db.select(roomColumns).from(rooms).orderBy(rooms.roomNo).prepare(),
    ).all(),
  rules: () =>
    prepared(db, "queries.rules", () =>
      db.select(ruleColumns).from(rules).orderBy(rules.roomNo, rules.scheduleId).prepare(),
    ).all(),
  people: () =>
    prepared(db, "queries.people", () =>
      db.select(personColumns).from(people).orderBy(people.name).prepare(),
    ).all(),
  alerts: (state: "open" | "acknowledged" | "cleared" | "active" | undefined, limit: number) => {
    const where: SQL | undefined =
      state === "active"
        ? ne(alerts.state, "cleared")
        : state
          ? eq(alerts.state, state)
          : undefined;
    return db
      .select(alertColumns)
      .from(alerts)
      .where(where)
      .orderBy(desc(alerts.createdAt), desc(alerts.id))
      .limit(limit)
      .all();
  },
  /** How many alerts are in this state ("active": open or acknowledged; none: all). */
  countAlerts: (state?: AlertState | "active") => countAlerts(db, state),
  /** The Alerts page: groups of kind+subject+state, open first, filtered and paged. */
  alertGroups: (filter: AlertFilter, page?: number, size?: number) =>
    alertList(db).groups(filter, page, size),
  alertKinds: () => alertList(db).kinds(),
  alert: (id: number) => alertList(db).byId(id),
  alertHistory: (kind: string, subject: string, limit?: number) =>
    alertList(db).history(kind, subject, limit),
  /** Each device's newest reading (the overview), first 100 devices by id. */
  /**
   * Each device's newest reading (at most 100 devices, by id). A GROUP BY would read the whole
   * table on every Overview render; instead the device ids are walked through the
   * (device_id, ts) index, one seek per device, and each one's newest row taken from it.
   */
  latestReadings: () =>
    db.$client
      .query<
        { device_id: string; ts: number; temperature: number | null; humidity: number | null },
        []
      >(
        `
      WITH RECURSIVE ids(d) AS (
        SELECT min(device_id) FROM readings
        UNION ALL
        SELECT (SELECT min(device_id) FROM readings WHERE device_id > ids.d)
        FROM ids WHERE ids.d IS NOT NULL
        LIMIT 101
      )
      SELECT r.device_id AS device_id, r.ts AS ts, r.temperature AS temperature,
        r.humidity AS humidity
      FROM ids JOIN readings r ON r.id = (
        SELECT id FROM readings WHERE device_id = ids.d ORDER BY ts DESC, id DESC LIMIT 1
      )
      WHERE ids.d IS NOT NULL
      ORDER BY r.device_id
      LIMIT 100`,
      )
      .all(),
  /** A room's readings since `since`, oldest first (its chart). */
  roomHistory: (roomNo: number, since: number) =>
    db
      .select({
        ts: roomReadings.ts,
        temperature: roomReadings.temperature,
        humidity: roomReadings.humidity,
      })
      .from(roomReadings)
      .where(and(eq(roomReadings.roomNo, roomNo), gt(roomReadings.ts, since)))
      .orderBy(roomReadings.ts)
      .limit(2000)
      .all(),
  /** Each bin's newest level. */
  latestBins: () =>
    db.$client
      .query<{ bin_count: number; bin_level: string; full: number; m_time: string }, []>(
        `SELECT bin_count, bin_level, full, m_time FROM bins b WHERE id = (SELECT max(id) FROM bins WHERE bin_count = b.bin_count) ORDER BY bin_count`,
      )
      .all()
      .map((b) => ({ ...b, full: !!b.full })),
  /** Each camera's newest image. */
  newestImages: () =>
    db.all<{ id: number; device_id: string; ts: number }>(
      sql`SELECT id, device_id, ts FROM images i WHERE id = (SELECT max(id) FROM images WHERE device_id = i.device_id) ORDER BY device_id`,
    ),
  /** The newest images of all cameras. */
  recentImages: (limit: number) =>
    db
      .select({ id: images.id, device_id: images.deviceId, ts: images.ts })
      .from(images)
      .orderBy(desc(images.id))
      .limit(limit)
      .all(),
});

export type Queries = ReturnType<typeof queries>;

type RowOf<K extends keyof Queries> = ReturnType<Queries[K]> extends Array<infer R> ? R : never;
export type DeviceRow = RowOf<"devices">;
export type AlertRow = RowOf<"alerts">;
export type PersonRow = RowOf<"people">;
export type RoomRow = RowOf<"rooms">;
export type RuleRow = RowOf<"rules">;
export type LatestReadingRow = RowOf<"latestReadings">;
export type RoomSampleRow = RowOf<"roomHistory">;
export type BinLevelRow = RowOf<"latestBins">;
export type ImageRefRow = RowOf<"recentImages">;
