/**
 * Notification rows (src/notify/): the outbox of alert events not yet on Kafka, each delivery
 * attempt, and the settings saved from the dashboard.
 */
import { and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { prepared } from "./prepared.ts";
import { alerts, deliveries, notifyOutbox, notifyQueue, notifySettings } from "./schema.ts";

export type OutboxRow = typeof notifyOutbox.$inferSelect;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type DeliveryStatus = DeliveryRow["status"];
export type AlertEventKind = OutboxRow["event"];
export type QueueRow = typeof notifyQueue.$inferSelect;

/** An alert event as it travels on `iot-alerts`: everything a channel needs to word it. */
export interface OutboxEvent extends OutboxRow {
  kind: string;
  subject: string;
  message: string;
  severity: "info" | "warning" | "critical";
}

export function notifyRows(db: Db) {
  return {
    /** Called inside the alert's own transaction (src/alerts/). */
    enqueue(alertId: number, event: AlertEventKind, at: number): void {
      db.insert(notifyOutbox).values({ alertId, event, at }).run();
    },
    /** The oldest events waiting, with their alert's words. */
    pending: (limit: number): OutboxEvent[] =>
      // prepared once: the relay also looks every few seconds while nothing happens
      prepared(db, "notify.pending", () =>
        db
          .select({
            id: notifyOutbox.id,
            alertId: notifyOutbox.alertId,
            event: notifyOutbox.event,
            at: notifyOutbox.at,
            kind: alerts.kind,
            subject: alerts.subject,
            message: alerts.message,
            severity: alerts.severity,
          })
          .from(notifyOutbox)
          .innerJoin(alerts, eq(alerts.id, notifyOutbox.alertId))
          .orderBy(asc(notifyOutbox.id))
          .limit(sql.placeholder("limit"))
          .prepare(),
      ).all({ limit }),
    /** Events now on Kafka (and events whose alert is gone). */
    done(ids: number[]): void {
      if (ids.length) db.delete(notifyOutbox).where(inArray(notifyOutbox.id, ids)).run();
    },
    orphans(): void {
      db.run(sql`DELETE FROM notify_outbox WHERE alert_id NOT IN (SELECT id FROM alerts)`);
    },

    record(row: Omit<DeliveryRow, "id">): void {
      db.insert(deliveries).values(row).run();
    },
    /** What became of this event on this channel already (a redelivered record). */
    outcome: (eventId: string, channel: string): DeliveryRow | undefined =>
      db
        .select()
        .from(deliveries)
        .where(
          and(
            eq(deliveries.eventId, eventId),
            eq(deliveries.channel, channel),
            inArray(deliveries.status, ["sent", "dead-lettered", "collapsed", "quiet"]),
          ),
        )
        .get(),
    /** The last message actually sent for this alert key on this channel since `since`. */
    lastSent: (channel: string, alertKey: string, event: AlertEventKind, since: number) =>
      db
        .select()
        .from(deliveries)
        .where(sameAlertSince(channel, alertKey, event, "sent", since))
        .orderBy(desc(deliveries.at))
        .get(),
    /** Repeats collapsed into silence for this key since `since`. */
    collapsedSince: (channel: string, alertKey: string, event: AlertEventKind, since: number) =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(deliveries)
        .where(sameAlertSince(channel, alertKey, event, "collapsed", since))
        .get()!.n,
    /** An alert's deliveries, oldest first (the alert page's list). */
    forAlert: (alertId: number): DeliveryRow[] =>
      db
        .select()
        .from(deliveries)
        .where(eq(deliveries.alertId, alertId))
        .orderBy(asc(deliveries.id))
        .all(),

    /** Queued for its first attempt; false if this event was queued for this channel already. */
    queue(row: Omit<QueueRow, "id" | "attempts">): boolean {
      return (
        db
          .insert(notifyQueue)
          .values(row)
          .onConflictDoNothing()
          .returning({ id: notifyQueue.id })
          .all().length > 0
      );
    },
    /** Is this event queued for this channel (a redelivered record)? */
    queued: (eventId: string, channel: string): boolean =>
      db
        .select({ id: notifyQueue.id })
        .from(notifyQueue)
        .where(and(eq(notifyQueue.eventId, eventId), eq(notifyQueue.channel, channel)))
        .get() !== undefined,
    /** Is an earlier message for this alert still on its way to this channel? */
    pendingFor: (channel: string, alertKey: string, event: AlertEventKind): boolean =>
      db
        .select({ id: notifyQueue.id })
        .from(notifyQueue)
        .where(
          and(
            eq(notifyQueue.channel, channel),
            eq(notifyQueue.alertKey, alertKey),
            eq(notifyQueue.event, event),
          ),
        )
        .get() !== undefined,
    /** Deliveries due now, oldest first. */
    due: (now: number, limit: number): QueueRow[] =>
      prepared(db, "notify.due", () =>
        db
          .select()
          .from(notifyQueue)
          .where(lte(notifyQueue.nextAt, sql.placeholder("now")))
          .orderBy(asc(notifyQueue.id))
          .limit(sql.placeholder("limit"))
          .prepare(),
      ).all({ now, limit }),
    /** The deliveries due soonest (when the worker next has something to do). */
    soonest: (limit: number): Array<{ id: number; nextAt: number }> =>
      prepared(db, "notify.soonest", () =>
        db
          .select({ id: notifyQueue.id, nextAt: notifyQueue.nextAt })
          .from(notifyQueue)
          .orderBy(asc(notifyQueue.nextAt))
          .limit(sql.placeholder("limit"))
          .prepare(),
      ).all({ limit }),
    retryAt(id: number, attempts: number, nextAt: number): void {
      db.update(notifyQueue).set({ attempts, nextAt }).where(eq(notifyQueue.id, id)).run();
    },
    unqueue(id: number): void {
      db.delete(notifyQueue).where(eq(notifyQueue.id, id)).run();
    },
    queueLength: (): number =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(notifyQueue)
        .get()!.n,

    savedSettings(): string | undefined {
      return db.select().from(notifySettings).where(eq(notifySettings.id, 1)).get()?.config;
    },
    saveSettings(config: string, now: number): void {
      db.insert(notifySettings)
        .values({ id: 1, config, updatedAt: now })
        .onConflictDoUpdate({ target: notifySettings.id, set: { config, updatedAt: now } })
        .run();
    },
  };
}

/** An alert's deliveries, oldest first: the store function the alert page lists. */
export const deliveriesOf = (db: Db, alertId: number) => notifyRows(db).forAlert(alertId);

/** One channel's deliveries of one alert key and event, in one status, since a time. */
const sameAlertSince = (
  channel: string,
  alertKey: string,
  event: AlertEventKind,
  status: DeliveryRow["status"],
  since: number,
) =>
  and(
    eq(deliveries.channel, channel),
    eq(deliveries.alertKey, alertKey),
    eq(deliveries.event, event),
    eq(deliveries.status, status),
    gte(deliveries.at, since),
  );
