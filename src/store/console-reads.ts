/**
 * Reads the console's Overview and People pages make beyond the shared queries: a real count of
 * alerts (not the length of a page of them) and one person's entrance events.
 */
import { and, count, desc, eq, gte, lt } from "drizzle-orm";
import { personColumns } from "./columns.ts";
import type { Db } from "./db.ts";
import { alerts, entranceEvents, people } from "./schema.ts";

export interface EntranceEventRow {
  id: number;
  record_type: "in" | "out";
  ts: number;
}

const eventColumns = {
  id: entranceEvents.id,
  record_type: entranceEvents.recordType,
  ts: entranceEvents.ts,
};

export const consoleReads = (db: Db) => ({
  /** How many alerts are in this state. */
  alertCount: (state: "open" | "acknowledged" | "cleared"): number =>
    db.$client
      .query<{ n: number }, [string]>("SELECT count(*) AS n FROM alerts WHERE state = ?")
      .get(state)?.n ?? 0,
  /** One person's row, or undefined for a name never seen. */
  person: (name: string) =>
    db.select(personColumns).from(people).where(eq(people.name, name)).get(),
  /** A person's events in [from, to), oldest first (at most `limit`: a day's timeline). */
  personEvents: (name: string, from: number, to: number, limit = 2000): EntranceEventRow[] =>
    db
      .select(eventColumns)
      .from(entranceEvents)
      .where(
        and(eq(entranceEvents.name, name), gte(entranceEvents.ts, from), lt(entranceEvents.ts, to)),
      )
      .orderBy(entranceEvents.ts, entranceEvents.id)
      .limit(limit)
      .all(),
  /** A person's newest events, newest first; `before`: only those earlier than this time. */
  recentPersonEvents: (name: string, limit: number, before?: number): EntranceEventRow[] =>
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
      .limit(limit)
      .all(),
});
