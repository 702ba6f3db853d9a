/** Alert rows; src/alerts/ decides when to raise and clear, and tells the bus. */
import { and, eq, ne } from "drizzle-orm";
import type { Db } from "./db.ts";
import { alerts } from "./schema.ts";

export type AlertRecord = typeof alerts.$inferSelect;
export type Severity = AlertRecord["severity"];

export function alertRows(db: Db) {
  return {
    /** The open or acknowledged alert for this kind and subject, if any. */
    active: (kind: string, subject: string): AlertRecord | undefined =>
      db
        .select()
        .from(alerts)
        .where(and(eq(alerts.kind, kind), eq(alerts.subject, subject), ne(alerts.state, "cleared")))
        .get(),
    open(kind: string, subject: string, message: string, severity: Severity, now: number): number {
      return db
        .insert(alerts)
        .values({ kind, subject, message, severity, state: "open", createdAt: now })
        .returning({ id: alerts.id })
        .get().id;
    },
    clear(id: number, now: number): void {
      db.update(alerts).set({ state: "cleared", clearedAt: now }).where(eq(alerts.id, id)).run();
    },
    /** Acknowledges or clears an alert not cleared yet; its row after, or undefined. */
    setState: (id: number, state: "acknowledged" | "cleared", now: number) =>
      db
        .update(alerts)
        .set(state === "cleared" ? { state, clearedAt: now } : { state })
        .where(and(eq(alerts.id, id), ne(alerts.state, "cleared")))
        .returning()
        .get(),
  };
}
export { countAlerts } from "./alert-list.ts";
