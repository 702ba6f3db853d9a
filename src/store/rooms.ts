/** Room readings (history and latest value per room) and room rules. */
import { and, asc, eq, gte, max } from "drizzle-orm";
import type { Db } from "./db.ts";
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
  return {
    /** Stores the reading and makes it the room's latest; false when it was stored before. */
    insertReading(r: NewRoomReading): boolean {
      if (insert(r) === undefined) return false;
      const latest = { temperature: r.temperature, humidity: r.humidity, updatedAt: r.ts };
      db.insert(rooms)
        .values({ roomNo: r.roomNo, ...latest })
        .onConflictDoUpdate({ target: rooms.roomNo, set: latest })
        .run();
      return true;
    },
    rules: (): StoredRule[] => db.select().from(rules).all(),
    /** One room's rules as stored now (another process may have changed them). */
    rulesOf: (roomNo: number): StoredRule[] =>
      db.select().from(rules).where(eq(rules.roomNo, roomNo)).all(),
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
