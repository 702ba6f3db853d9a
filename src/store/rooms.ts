/** Room readings (history and latest value per room) and room rules. */
import { and, asc, eq, gte, max, sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { prepared } from "./prepared.ts";
import { roomReadings, rooms, rules } from "./schema.ts";
import { preparedInsert, recordPlaceholders, type SourceKey } from "./source.ts";

export interface NewRoomReading extends SourceKey {
  roomNo: number;
  ts: number;
  temperature: number | null;
  humidity: number | null;
}

export interface StoredRule {
  roomNo: number;
  scheduleId: number;
  condition: unknown;
  state: "ok" | "alert";
}

type RuleKey = { roomNo: number; scheduleId: number };
const ruleKey = (r: RuleKey) => and(eq(rules.roomNo, r.roomNo), eq(rules.scheduleId, r.scheduleId));

export function roomRows(db: Db) {
  const insert = preparedInsert<NewRoomReading>(
    db,
    db
      .insert(roomReadings)
      .values(recordPlaceholders<keyof NewRoomReading>(["roomNo", "ts", "temperature", "humidity"]))
      .onConflictDoNothing(),
  );
  // the room sink's statements, once per reading: built and prepared once (building a drizzle
  // query and preparing its SQL cost several times what running it does)
  const latest = prepared(db, "rooms.latest", () =>
    db
      .insert(rooms)
      .values({
        roomNo: sql.placeholder("roomNo"),
        temperature: sql.placeholder("temperature"),
        humidity: sql.placeholder("humidity"),
        updatedAt: sql.placeholder("updatedAt"),
      })
      .onConflictDoUpdate({
        target: rooms.roomNo,
        set: {
          temperature: sql`excluded.temperature`,
          humidity: sql`excluded.humidity`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .prepare(),
  );
  const rulesOf = prepared(db, "rooms.rulesOf", () =>
    db
      .select()
      .from(rules)
      .where(eq(rules.roomNo, sql.placeholder("roomNo")))
      .prepare(),
  );
  return {
    /** Stores the reading and makes it the room's latest; false when it was stored before. */
    insertReading(r: NewRoomReading): boolean {
      if (insert(r) === undefined) return false;
      latest.run({
        roomNo: r.roomNo,
        temperature: r.temperature,
        humidity: r.humidity,
        updatedAt: r.ts,
      });
      return true;
    },
    rules: (): StoredRule[] => db.select().from(rules).all(),
    /** One room's rules as stored now (another process may have changed them). */
    rulesOf: (roomNo: number): StoredRule[] => rulesOf.all({ roomNo }),
    /**
     * A room's stored readings within `windowMs` of its newest one, oldest first: a rule
     * window rebuilt from the store after a partition moved between processes.
     */
    recentReadings(roomNo: number, windowMs: number) {
      const newest = db
        .select({ ts: max(roomReadings.ts) })
        .from(roomReadings)
        .where(eq(roomReadings.roomNo, roomNo))
        .get()?.ts;
      if (newest === null || newest === undefined) return [];
      return db
        .select({
          ts: roomReadings.ts,
          temperature: roomReadings.temperature,
          humidity: roomReadings.humidity,
        })
        .from(roomReadings)
        .where(and(eq(roomReadings.roomNo, roomNo), gte(roomReadings.ts, newest - windowMs)))
        .orderBy(asc(roomReadings.ts))
        .all();
    },
    /** A new rule starts in `state`; an existing one keeps its state and takes the condition. */
    saveRule(r: StoredRule, now: number): void {
      db.insert(rules)
        .values({ ...r, updatedAt: now })
        .onConflictDoUpdate({
          target: [rules.roomNo, rules.scheduleId],
          set: { condition: r.condition, updatedAt: now },
        })
        .run();
    },
    setRuleState(r: RuleKey, state: "ok" | "alert", now: number): void {
      db.update(rules).set({ state, updatedAt: now }).where(ruleKey(r)).run();
    },
    deleteRule(r: RuleKey): void {
      db.delete(rules).where(ruleKey(r)).run();
    },
  };
}
