/**
 * Alerts: at most one open alert per (kind, subject) — a condition that persists does not
 * raise again, and its end clears it. Every change is written and pushed to the live event bus
 * here, together — and, in the same transaction, queued for notification (src/notify/).
 */
import type { EventBus } from "../events/index.ts";
import { inTransaction, type Db } from "../store/index.ts";
import { alertRows, type AlertRecord, type Severity } from "../store/alerts.ts";
import { alertBulk, type GroupKey } from "../store/alert-list.ts";
import { notifyRows } from "../store/notify.ts";

export type { Severity } from "../store/alerts.ts";

export class Alerts {
  private readonly rows: ReturnType<typeof alertRows>;
  private readonly bulk: ReturnType<typeof alertBulk>;
  private readonly outbox: ReturnType<typeof notifyRows>;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly now: () => number = Date.now,
  ) {
    this.rows = alertRows(db);
    this.bulk = alertBulk(db);
    this.outbox = notifyRows(db);
  }

  /** Raises unless one is already open (or acknowledged) for the same kind and subject. */
  raise(kind: string, subject: string, message: string, severity: Severity = "warning"): number {
    const existing = this.rows.active(kind, subject);
    if (existing) return existing.id;
    const now = this.now();
    const id = inTransaction(this.db, () => {
      const id = this.rows.open(kind, subject, message, severity, now);
      this.outbox.enqueue(id, "raised", now);
      return id;
    });
    this.bus.publish({ type: "alert" });
    return id;
  }

  clear(kind: string, subject: string): boolean {
    const existing = this.rows.active(kind, subject);
    if (!existing) return false;
    const now = this.now();
    inTransaction(this.db, () => {
      this.rows.clear(existing.id, now);
      this.outbox.enqueue(existing.id, "cleared", now);
    });
    this.bus.publish({ type: "alert" });
    return true;
  }

  /** Someone acknowledged or cleared it (`POST /api/alerts/:id/ack|clear`): its row after. */
  set(id: number, state: "acknowledged" | "cleared"): AlertRecord | undefined {
    const now = this.now();
    const row = inTransaction(this.db, () => {
      const row = this.rows.setState(id, state, now);
      if (row && state === "cleared") this.outbox.enqueue(id, "cleared", now);
      return row;
    });
    if (row) this.bus.publish({ type: "alert" });
    return row;
  }

  /**
   * Acknowledges or clears many at once (the Alerts page's checkboxes): the alerts by id and
   * every member of each group, in one transaction; the ids it changed (already acknowledged or
   * cleared ones are left as they are).
   */
  setMany(
    target: { ids?: number[]; groups?: GroupKey[] },
    state: "acknowledged" | "cleared",
  ): number[] {
    const now = this.now();
    const changed = inTransaction(this.db, () => [
      ...this.bulk.byIds(target.ids ?? [], state, now),
      ...this.bulk.byGroups(target.groups ?? [], state, now),
    ]);
    if (changed.length > 0) this.bus.publish({ type: "alert" });
    return [...new Set(changed)];
  }
}
