/**
 * What a room's pages show beyond its latest values: how often it reports, the aggregates its
 * rules compare (over the rule engine's window of its newest readings), its open alerts.
 */
import { and, desc, eq, like, ne, sql } from "drizzle-orm";
import { roomColumns, ruleColumns } from "./columns.ts";
import type { Db } from "./db.ts";
import { prepared } from "./prepared.ts";
import { alerts, roomReadings, rooms, rules } from "./schema.ts";

export interface WindowStats {
  /** the newest reading's time; the window is the `windowMs` before it */
  until: number;
  count: number;
  temperature: { min: number | null; mean: number | null; max: number | null };
  humidity: { min: number | null; mean: number | null; max: number | null };
}

const alertColumns = {
  id: alerts.id,
  subject: alerts.subject,
  message: alerts.message,
  state: alerts.state,
  created_at: alerts.createdAt,
};

/** The reads, prepared once per database: a room list makes some of them once per room. */
function statements(db: Db) {
  const roomNo = sql.placeholder("roomNo");
  return prepared(db, "room-state", () => ({
    room: db.select(roomColumns).from(rooms).where(eq(rooms.roomNo, roomNo)).prepare(),
    rooms: db.select(roomColumns).from(rooms).orderBy(rooms.roomNo).prepare(),
    rules: db.select(ruleColumns).from(rules).orderBy(rules.roomNo, rules.scheduleId).prepare(),
    rulesOf: db
      .select(ruleColumns)
      .from(rules)
      .where(eq(rules.roomNo, roomNo))
      .orderBy(rules.roomNo, rules.scheduleId)
      .prepare(),
    recentTimes: db
      .select({ ts: roomReadings.ts })
      .from(roomReadings)
      .where(eq(roomReadings.roomNo, roomNo))
      .orderBy(desc(roomReadings.ts))
      .limit(sql.placeholder("n"))
      .prepare(),
    activeAlerts: db
      .select(alertColumns)
      .from(alerts)
      .where(and(eq(alerts.kind, "room-rule"), ne(alerts.state, "cleared")))
      .orderBy(desc(alerts.createdAt))
      .prepare(),
    activeAlertsOf: db
      .select(alertColumns)
      .from(alerts)
      .where(
        and(
          eq(alerts.kind, "room-rule"),
          like(alerts.subject, sql.placeholder("subject")),
          ne(alerts.state, "cleared"),
        ),
      )
      .orderBy(desc(alerts.createdAt))
      .prepare(),
  }));
}

export function roomState(db: Db) {
  const q = statements(db);
  return {
    room: (roomNo: number) => q.room.get({ roomNo }),
    rooms: () => q.rooms.all(),
    /** One room's rules, or every room's. */
    rules: (roomNo?: number) => (roomNo === undefined ? q.rules.all() : q.rulesOf.all({ roomNo })),
    /** The times of the room's newest `n` readings, newest first. */
    recentTimes: (roomNo: number, n: number): number[] =>
      q.recentTimes.all({ roomNo, n }).map((r) => r.ts),
    /** Min / mean / max over the readings in the `windowMs` up to the newest one. */
    window(roomNo: number, windowMs: number): WindowStats | undefined {
      const r = db.$client
        .query<
          {
            until: number | null;
            count: number;
            tmin: number | null;
            tmean: number | null;
            tmax: number | null;
            hmin: number | null;
            hmean: number | null;
            hmax: number | null;
          },
          [number, number]
        >(
          `WITH newest AS (SELECT max(ts) AS ts FROM room_readings WHERE room_no = ?1)
        SELECT (SELECT ts FROM newest) AS until, count(*) AS count,
          min(temperature) AS tmin, avg(temperature) AS tmean, max(temperature) AS tmax,
          min(humidity) AS hmin, avg(humidity) AS hmean, max(humidity) AS hmax
        FROM room_readings
        WHERE room_no = ?1 AND ts >= (SELECT ts FROM newest) - ?2`,
        )
        .get(roomNo, windowMs);
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
      roomNo === undefined
        ? q.activeAlerts.all()
        : q.activeAlertsOf.all({ subject: `room ${roomNo} rule %` }),
  };
}

export type RoomState = ReturnType<typeof roomState>;
