/** SinkOps on SQLite: the synchronous modules (a transaction holds the file's write lock). */
import type { Db } from "../db.ts";
import { alertBulk } from "../alert-list.ts";
import { notifyRows } from "../notify.ts";
import { presenceRows } from "../presence.ts";
import { readingRows, type NewReading } from "../readings.ts";
import { roomRows } from "../rooms.ts";
import type { SinkOps } from "./sink-types.ts";

export function sqliteSinkOps(db: Db): SinkOps {
  const readings = readingRows(db);
  const rooms = roomRows(db);
  const people = presenceRows(db);
  const bulk = alertBulk(db);
  const outbox = notifyRows(db);
  return {
    readingBatch: {
      // one prepared statement per row is as fast as SQLite goes
      insert: async (rows: NewReading[]) => rows.map((r) => readings.insert(r)),
    },
    roomState: {
      rulesOf: async (roomNo) =>
        rooms.rulesOf(roomNo).map(({ roomNo, scheduleId, condition, state }) => ({
          roomNo,
          scheduleId,
          condition,
          state,
        })),
      recentReadings: async (roomNo, windowMs) => rooms.recentReadings(roomNo, windowMs),
    },
    peopleState: { lock: async () => people.people() },
    alertState: { lock: async () => {} },
    alertBulk: {
      byIds: async (ids, to, now) => bulk.byIds(ids, to, now),
      byGroups: async (groups, to, now) => bulk.byGroups(groups, to, now),
    },
    outbox: {
      done: async (ids) => outbox.done(ids),
      orphans: async () => outbox.orphans(),
    },
  };
}
