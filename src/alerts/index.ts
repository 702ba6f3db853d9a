/**
 * Alerts: at most one open alert per (kind, subject) — a condition that persists does not
 * raise again, and its end clears it. Every change is written and pushed to the live event bus
 * here, together.
 */
import type { EventBus } from "../events/index.ts";
import { inTransaction, type Db } from "../store/index.ts";
import { alertRows, type AlertRecord, type Severity } from "../store/alerts.ts";
import { alertBulk, type GroupKey } from "../store/alert-list.ts";

export type { Severity } from "../store/alerts.ts";

export class Alerts {
  private readonly rows: ReturnType<typeof alertRows>;
  private readonly bulk: ReturnType<typeof alertBulk>;

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly now: () => number = Date.now,
  ) {
    this.rows = alertRows(db);
    this.bulk = alertBulk(db);
  }

  /** Raises unless one is already open (or acknowledged) for the same kind and subject. */
  raise(kind: string, subject: string, message: string, severity: Severity = "warning"): number {
    const existing = this.rows.active(kind, subject);
    if (existing) return existing.id;
    const id = this.rows.open(kind, subject, message, severity, this.now());
    this.bus.publish({ type: "alert" });
    return id;
  }

  clear(kind: string, subject: string): boolean {
    const existing = this.rows.active(kind, subject);
    if (!existing) return false;
    this.rows.clear(existing.id, this.now());
    this.bus.publish({ type: "alert" });
    return true;
  }

  /** Someone acknowledged or cleared it (`POST /api/alerts/:id/ack|clear`): its row after. */
  set(id: number, state: "acknowledged" | "cleared"): AlertRecord | undefined {
    const row = this.rows.setState(id, state, this.now());
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
