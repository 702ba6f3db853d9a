/**
 * Alerts: at most one open alert per (kind, subject) — a condition that persists does not
 * raise again, and its end clears it. Every change is also pushed to the live event bus.
 */
import { and, eq, ne } from "drizzle-orm";
import type { EventBus } from "../events/index.ts";
import type { Db } from "../store/index.ts";
import { alerts } from "../store/schema.ts";

export type Severity = "info" | "warning" | "critical";

export class Alerts {
  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly now: () => number = Date.now,
  ) {}

  /** Raises unless one is already open (or acknowledged) for the same kind and subject. */
  raise(kind: string, subject: string, message: string, severity: Severity = "warning"): number {
    const existing = this.active(kind, subject);
    if (existing) return existing.id;
    const [row] = this.db
      .insert(alerts)
      .values({ kind, subject, message, severity, state: "open", createdAt: this.now() })
      .returning()
      .all();
    this.bus.publish({ type: "alert", id: row!.id, kind, subject, message, state: "open" });
    return row!.id;
  }

  clear(kind: string, subject: string, message?: string): boolean {
    const existing = this.active(kind, subject);
    if (!existing) return false;
    this.db
      .update(alerts)
      .set({ state: "cleared", clearedAt: this.now() })
      .where(eq(alerts.id, existing.id))
      .run();
    this.bus.publish({
      type: "alert",
      id: existing.id,
      kind,
      subject,
      message: message ?? existing.message,
      state: "cleared",
    });
    return true;
  }

  private active(kind: string, subject: string) {
    return this.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.kind, kind), eq(alerts.subject, subject), ne(alerts.state, "cleared")))
      .get();
  }
}
