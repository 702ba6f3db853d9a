/**
 * Someone acknowledges or clears alerts (`POST /api/alerts/…`), on the store engine: the rows
 * change and, for a clear by id, the notifier's event is queued in the same transaction; the
 * live bus hears of it after the commit. Raising and clearing by condition is src/alerts/index.ts.
 */
import type { EventBus } from "../events/index.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import type { AlertRecord } from "../store/alerts.ts";
import type { GroupKey } from "../store/alert-list.ts";

export function alertTriage(engine: StoreEngine, bus: EventBus, now: () => number = Date.now) {
  return {
    /** one alert by id: its row after, or undefined when there is none not cleared */
    async set(id: number, state: "acknowledged" | "cleared"): Promise<AlertRecord | undefined> {
      const at = now();
      const row = await engine.transaction(async (tx) => {
        const row = await tx.alerts.setState(id, state, at);
        if (row && state === "cleared") await tx.notify.enqueue(id, "cleared", at);
        return row;
      });
      if (row) bus.publish({ type: "alert" });
      return row;
    },
    /**
     * The alerts by id and every member of each group, in one transaction; the ids it changed
     * (already acknowledged or cleared ones are left as they are).
     */
    async setMany(
      target: { ids?: number[]; groups?: GroupKey[] },
      state: "acknowledged" | "cleared",
    ): Promise<number[]> {
      const at = now();
      const changed = await engine.transaction(async (tx) => [
        ...(await tx.apiWrites.alertsByIds(target.ids ?? [], state, at)),
        ...(await tx.apiWrites.alertsByGroups(target.groups ?? [], state, at)),
      ]);
      if (changed.length > 0) bus.publish({ type: "alert" });
      return [...new Set(changed)];
    },
  };
}
