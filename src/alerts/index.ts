/**
 * Alerts: at most one open alert per (kind, subject) — a condition that persists does not
 * raise again, and its end clears it. Every change is written through the store engine (SQLite
 * or PostgreSQL) and pushed to the live event bus here, together — and, in the same
 * transaction, queued for notification (src/notify/). The (kind, subject) is locked for the
 * transaction first, so two processes raising the same alert at once open it once.
 */
import type { EventBus } from "../events/index.ts";
import type { StoreEngine, StoreOps } from "../store/engine/index.ts";
import type { AlertRecord, Severity } from "../store/alerts.ts";
import type { GroupKey } from "../store/alert-list.ts";

export type { Severity } from "../store/alerts.ts";

export class Alerts {
  constructor(
    private readonly engine: StoreEngine,
    private readonly bus: EventBus,
    private readonly now: () => number = Date.now,
  ) {}

  /** Raises unless one is already open (or acknowledged) for the same kind and subject. */
  raise(kind: string, subject: string, message: string, severity: Severity = "warning") {
    return this.engine.transaction((tx) => this.raiseIn(tx, kind, subject, message, severity));
  }

  clear(kind: string, subject: string): Promise<boolean> {
    return this.engine.transaction((tx) => this.clearIn(tx, kind, subject));
  }

  /** `raise` inside the caller's transaction (a sink's batch): stored with the batch, or not. */
  async raiseIn(
    tx: StoreOps,
    kind: string,
    subject: string,
    message: string,
    severity: Severity = "warning",
  ): Promise<number> {
    await tx.alertState.lock(kind, subject);
    const existing = await tx.alerts.active(kind, subject);
    if (existing) return existing.id;
    const now = this.now();
    const id = await tx.alerts.open(kind, subject, message, severity, now);
    await tx.notify.enqueue(id, "raised", now);
    this.bus.publish({ type: "alert" });
    return id;
  }

  /** `clear` inside the caller's transaction; whether there was one to clear. */
  async clearIn(tx: StoreOps, kind: string, subject: string): Promise<boolean> {
    await tx.alertState.lock(kind, subject);
    const existing = await tx.alerts.active(kind, subject);
    if (!existing) return false;
    const now = this.now();
    await tx.alerts.clear(existing.id, now);
    await tx.notify.enqueue(existing.id, "cleared", now);
    this.bus.publish({ type: "alert" });
    return true;
  }

  /** Someone acknowledged or cleared it (`POST /api/alerts/:id/ack|clear`): its row after. */
  async set(id: number, state: "acknowledged" | "cleared"): Promise<AlertRecord | undefined> {
    const now = this.now();
    const row = await this.engine.transaction(async (tx) => {
      const row = await tx.alerts.setState(id, state, now);
      if (row && state === "cleared") await tx.notify.enqueue(id, "cleared", now);
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
  async setMany(
    target: { ids?: number[]; groups?: GroupKey[] },
    state: "acknowledged" | "cleared",
  ): Promise<number[]> {
    const now = this.now();
    const changed = await this.engine.transaction(async (tx) => [
      ...(await tx.alertBulk.byIds(target.ids ?? [], state, now)),
      ...(await tx.alertBulk.byGroups(target.groups ?? [], state, now)),
    ]);
    if (changed.length > 0) this.bus.publish({ type: "alert" });
    return [...new Set(changed)];
  }
}
