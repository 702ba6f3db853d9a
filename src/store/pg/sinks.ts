/**
 * SinkOps on PostgreSQL. Several `--role consumers` processes write at once, and a partition
 * moving between them means two transactions may touch the same rule or person: the rules are
 * read `FOR UPDATE`, the people and each alert's (kind, subject) under a transaction-scoped
 * advisory lock (it also covers rows not inserted yet), so the second waits for the first to
 * commit and then reads what it wrote: nothing lost, nothing counted twice.
 */
import { and, asc, eq, gte, inArray, max, sql } from "drizzle-orm";
import type { AlertState } from "../alert-list.ts";
import type { SinkOps } from "../engine/sink-types.ts";
import type { PgQueryable } from "./db.ts";
import { alerts, notifyOutbox, people, readings, roomReadings, rules } from "./schema.ts";

/** rows in one INSERT: well below PostgreSQL's 65535 parameters at 10 columns a row */
const CHUNK = 1000;

/** an advisory lock held until the transaction ends, named by text */
const lockNamed = (db: PgQueryable, name: string) =>
  db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`);

const recordKey = (r: {
  srcTopic: string | null;
  srcPartition: number | null;
  srcOffset: number | null;
  srcEpoch: number;
  srcTimestamp: number;
}) => `${r.srcTopic}\n${r.srcPartition}\n${r.srcOffset}\n${r.srcEpoch}\n${r.srcTimestamp}`;

/** Which states an action moves from: acknowledge an open alert; clear one not cleared yet. */
const FROM: Record<"acknowledged" | "cleared", AlertState[]> = {
  acknowledged: ["open"],
  cleared: ["open", "acknowledged"],
};
const setTo = (to: "acknowledged" | "cleared", now: number) =>
  to === "cleared" ? { state: to, clearedAt: now } : { state: to };

/** Acknowledge / clear many alerts (by id, or every member of each group): the ids changed. */
export function pgAlertBulk(db: PgQueryable): SinkOps["alertBulk"] {
  return {
    byIds: async (ids, to, now) => {
      if (ids.length === 0) return [];
      const rows = await db
        .update(alerts)
        .set(setTo(to, now))
        .where(and(inArray(alerts.id, ids), inArray(alerts.state, FROM[to])))
        .returning({ id: alerts.id });
      return rows.map((r) => r.id);
    },
    byGroups: async (groups, to, now) => {
      const changed: number[] = [];
      for (const g of groups) {
        if (!FROM[to].includes(g.state)) continue;
        const rows = await db
          .update(alerts)
          .set(setTo(to, now))
          .where(
            and(eq(alerts.kind, g.kind), eq(alerts.subject, g.subject), eq(alerts.state, g.state)),
          )
          .returning({ id: alerts.id });
        changed.push(...rows.map((r) => r.id));
      }
      return changed;
    },
  };
}

export function pgSinkOps(db: PgQueryable): SinkOps {
  return {
    readingBatch: {
      insert: async (rows) => {
        const fresh = new Set<string>();
        for (let i = 0; i < rows.length; i += CHUNK) {
          const stored = await db
            .insert(readings)
            .values(rows.slice(i, i + CHUNK))
            .onConflictDoNothing()
            .returning({
              srcTopic: readings.srcTopic,
              srcPartition: readings.srcPartition,
              srcOffset: readings.srcOffset,
              srcEpoch: readings.srcEpoch,
              srcTimestamp: readings.srcTimestamp,
            });
          for (const r of stored) fresh.add(recordKey(r));
        }
        // the first row of a record is the one stored: a second copy in the batch is not new
        return rows.map((r) => fresh.delete(recordKey(r)));
      },
    },
    roomState: {
      rulesOf: (roomNo) =>
        db
          .select({
            roomNo: rules.roomNo,
            scheduleId: rules.scheduleId,
            condition: rules.condition,
            state: rules.state,
          })
          .from(rules)
          .where(eq(rules.roomNo, roomNo))
          .orderBy(asc(rules.scheduleId))
          .for("update"),
      recentReadings: async (roomNo, windowMs) => {
        const [newest] = await db
          .select({ ts: max(roomReadings.ts) })
          .from(roomReadings)
          .where(eq(roomReadings.roomNo, roomNo));
        if (newest?.ts === null || newest?.ts === undefined) return [];
        return db
          .select({
            ts: roomReadings.ts,
            temperature: roomReadings.temperature,
            humidity: roomReadings.humidity,
          })
          .from(roomReadings)
          .where(and(eq(roomReadings.roomNo, roomNo), gte(roomReadings.ts, newest.ts - windowMs)))
          .orderBy(asc(roomReadings.ts));
      },
    },
    peopleState: {
      lock: async () => {
        await lockNamed(db, "iot:people");
        return db.select().from(people).orderBy(asc(people.name));
      },
    },
    alertState: {
      lock: async (kind, subject) => {
        await lockNamed(db, `iot:alert:${JSON.stringify([kind, subject])}`);
      },
    },
    alertBulk: pgAlertBulk(db),
    outbox: {
      done: async (ids) => {
        if (ids.length) await db.delete(notifyOutbox).where(inArray(notifyOutbox.id, ids));
      },
      orphans: async () => {
        await db.execute(
          sql`DELETE FROM notify_outbox WHERE alert_id NOT IN (SELECT id FROM alerts)`,
        );
      },
    },
  };
}
