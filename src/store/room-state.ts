/**
 * What a room's pages show beyond its latest values: how often it reports, the aggregates its
 * rules compare (over the rule engine's window of its newest readings), its open alerts.
 */
import { and, desc, eq, like, ne, sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { alerts, roomReadings, rooms, rules } from "./schema.ts";

export interface WindowStats {
  /** the newest reading's time; the window is the `windowMs` before it */
  until: number;
  count: number;
  temperature: { min: number | null; mean: number | null; max: number | null };
  humidity: { min: number | null; mean: number | null; max: number | null };
}

const roomColumns = {
  room_no: rooms.roomNo,
  temperature: rooms.temperature,
  humidity: rooms.humidity,
  updated_at: rooms.updatedAt,
};

export function roomState(db: Db) {
  return {
    room: (roomNo: number) =>
      db.select(roomColumns).from(rooms).where(eq(rooms.roomNo, roomNo)).get(),
    rooms: () => db.select(roomColumns).from(rooms).orderBy(rooms.roomNo).all(),
    /** One room's rules, or every room's. */
    rules: (roomNo?: number) =>
      db
        .select({
          room_no: rules.roomNo,
          schedule_id: rules.scheduleId,
          condition: rules.condition,
          state: rules.state,
          updated_at: rules.updatedAt,
        })
        .from(rules)
        .where(roomNo === undefined ? undefined : eq(rules.roomNo, roomNo))
        .orderBy(rules.roomNo, rules.scheduleId)
        .all(),
    /** The times of the room's newest `n` readings, newest first. */
    recentTimes: (roomNo: number, n: number): number[] =>
      db
        .select({ ts: roomReadings.ts })
        .from(roomReadings)
        .where(eq(roomReadings.roomNo, roomNo))
        .orderBy(desc(roomReadings.ts))
        .limit(n)
        .all()
        .map((r) => r.ts),
    /** Min / mean / max over the readings in the `windowMs` up to the newest one. */
    window(roomNo: number, windowMs: number): WindowStats | undefined {
      const [r] = db.all<{
        until: number | null;
        count: number;
        tmin: number | null;
        tmean: number | null;
        tmax: number | null;
        hmin: number | null;
        hmean: number | null;
        hmax: number | null;
      }>(sql`
        WITH newest AS (SELECT max(${roomReadings.ts}) AS ts FROM ${roomReadings}
          WHERE ${roomReadings.roomNo} = ${roomNo})
        SELECT (SELECT ts FROM newest) AS until, count(*) AS count,
          min(${roomReadings.temperature}) AS tmin, avg(${roomReadings.temperature}) AS tmean,
          max(${roomReadings.temperature}) AS tmax, min(${roomReadings.humidity}) AS hmin,
          avg(${roomReadings.humidity}) AS hmean, max(${roomReadings.humidity}) AS hmax
        FROM ${roomReadings}
        WHERE ${roomReadings.roomNo} = ${roomNo}
          AND ${roomReadings.ts} >= (SELECT ts FROM newest) - ${windowMs}`);
      if (!r || r.until === null) return undefined;
      return {
        until: r.until,
        count: r.count,
        temperature: { min: r.tmin, mean: r.tmean, max: r.tmax },
        humidity: { min: r.hmin, mean: r.hmean, max: r.hmax },
      };
    },
    /**
     * The room rules' alerts not cleared yet (subject "room <n> rule <id>"), newest first: one
     * room's, or every room's without `roomNo`.
     */
    activeAlerts: (roomNo?: number) =>
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
        .orderBy(desc(alerts.createdAt))
        .all(),
  };
}

export type RoomState = ReturnType<typeof roomState>;
