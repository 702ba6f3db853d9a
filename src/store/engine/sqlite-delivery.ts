/** DeliveryOps on SQLite: src/store/notify.ts. */
import type { Db } from "../db.ts";
import { notifyRows } from "../notify.ts";
import type { DeliveryOps } from "./delivery-types.ts";

export function sqliteDeliveryOps(db: Db): DeliveryOps {
  const n = notifyRows(db);
  return {
    deliveries: {
      record: async (row) => n.record(row),
      outcome: async (eventId, channel) => n.outcome(eventId, channel),
      lastSent: async (channel, key, event, since) => n.lastSent(channel, key, event, since),
      collapsedSince: async (channel, key, event, since) =>
        n.collapsedSince(channel, key, event, since),
      queue: async (row) => n.queue(row),
      queued: async (eventId, channel) => n.queued(eventId, channel),
      pendingFor: async (channel, key, event) => n.pendingFor(channel, key, event),
      due: async (now, limit) => n.due(now, limit),
      soonest: async (limit) => n.soonest(limit),
      retryAt: async (id, attempts, nextAt) => n.retryAt(id, attempts, nextAt),
      unqueue: async (id) => n.unqueue(id),
      queueLength: async () => n.queueLength(),
    },
  };
}
