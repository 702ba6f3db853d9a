/**
 * Notification deliveries (src/notify/delivery/): the notifier plans each alert event into the
 * queue (or records it quiet / collapsed), the worker takes due rows, records each attempt and
 * unqueues or reschedules them. The same rows as src/store/notify.ts on both engines.
 */
import type { AlertEventKind, DeliveryRow, QueueRow } from "../notify.ts";

export interface DeliveryOps {
  deliveries: {
    record(row: Omit<DeliveryRow, "id">): Promise<void>;
    /** what became of this event on this channel already (a redelivered record) */
    outcome(eventId: string, channel: string): Promise<DeliveryRow | undefined>;
    /** the last message actually sent for this alert key on this channel since `since` */
    lastSent(
      channel: string,
      alertKey: string,
      event: AlertEventKind,
      since: number,
    ): Promise<DeliveryRow | undefined>;
    /** repeats collapsed into silence for this key since `since` */
    collapsedSince(
      channel: string,
      alertKey: string,
      event: AlertEventKind,
      since: number,
    ): Promise<number>;
    /** queued for its first attempt; false if this event was queued for this channel already */
    queue(row: Omit<QueueRow, "id" | "attempts">): Promise<boolean>;
    /** is this event queued for this channel (a redelivered record)? */
    queued(eventId: string, channel: string): Promise<boolean>;
    /** is an earlier message for this alert still on its way to this channel? */
    pendingFor(channel: string, alertKey: string, event: AlertEventKind): Promise<boolean>;
    /** deliveries due now, oldest first */
    due(now: number, limit: number): Promise<QueueRow[]>;
    /** the deliveries due soonest, due or not (when the worker next has something to do) */
    soonest(limit: number): Promise<Array<{ id: number; nextAt: number }>>;
    retryAt(id: number, attempts: number, nextAt: number): Promise<void>;
    unqueue(id: number): Promise<void>;
    queueLength(): Promise<number>;
  };
}
