/** DeliveryOps on PostgreSQL: the same rows and questions as src/store/notify.ts. */
import { and, asc, desc, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { DeliveryOps } from "../engine/delivery-types.ts";
import type { AlertEventKind, DeliveryRow } from "../notify.ts";
import type { PgQueryable } from "./db.ts";
import { deliveries, notifyQueue } from "./schema.ts";

/** one channel's deliveries of one alert key and event, in one status, since a time */
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
const count = sql<number>`count(*)`.mapWith(Number);

export function pgDeliveryOps(db: PgQueryable): DeliveryOps {
  return {
    deliveries: {
      record: async (row) => {
        await db.insert(deliveries).values(row);
      },
      outcome: async (eventId, channel) => {
        const [row] = await db
          .select()
          .from(deliveries)
          .where(
            and(
              eq(deliveries.eventId, eventId),
              eq(deliveries.channel, channel),
              inArray(deliveries.status, ["sent", "dead-lettered", "collapsed", "quiet"]),
            ),
          )
          .limit(1);
        return row;
      },
      lastSent: async (channel, key, event, since) => {
        const [row] = await db
          .select()
          .from(deliveries)
          .where(sameAlertSince(channel, key, event, "sent", since))
          .orderBy(desc(deliveries.at))
          .limit(1);
        return row;
      },
      collapsedSince: async (channel, key, event, since) => {
        const [row] = await db
          .select({ n: count })
          .from(deliveries)
          .where(sameAlertSince(channel, key, event, "collapsed", since));
        return row?.n ?? 0;
      },
      queue: async (row) =>
        (
          await db
            .insert(notifyQueue)
            .values(row)
            .onConflictDoNothing()
            .returning({ id: notifyQueue.id })
        ).length > 0,
      queued: async (eventId, channel) =>
        (
          await db
            .select({ id: notifyQueue.id })
            .from(notifyQueue)
            .where(and(eq(notifyQueue.eventId, eventId), eq(notifyQueue.channel, channel)))
            .limit(1)
        ).length > 0,
      pendingFor: async (channel, key, event) =>
        (
          await db
            .select({ id: notifyQueue.id })
            .from(notifyQueue)
            .where(
              and(
                eq(notifyQueue.channel, channel),
                eq(notifyQueue.alertKey, key),
                eq(notifyQueue.event, event),
              ),
            )
            .limit(1)
        ).length > 0,
      due: (now, limit) =>
        db
          .select()
          .from(notifyQueue)
          .where(lte(notifyQueue.nextAt, now))
          .orderBy(asc(notifyQueue.id))
          .limit(limit),
      soonest: (limit) =>
        db
          .select({ id: notifyQueue.id, nextAt: notifyQueue.nextAt })
          .from(notifyQueue)
          .orderBy(asc(notifyQueue.nextAt))
          .limit(limit),
      retryAt: async (id, attempts, nextAt) => {
        await db.update(notifyQueue).set({ attempts, nextAt }).where(eq(notifyQueue.id, id));
      },
      unqueue: async (id) => {
        await db.delete(notifyQueue).where(eq(notifyQueue.id, id));
      },
      queueLength: async () => {
        const [row] = await db.select({ n: count }).from(notifyQueue);
        return row?.n ?? 0;
      },
    },
  };
}
