/**
 * Moves alert events from the store's outbox (written in the alert's own transaction) onto
 * `iot-alerts`, then deletes them: a crash in between sends one again, which the notifier
 * recognizes by its id. Runs when an alert changes in this process, and every `everyMs` for
 * alerts raised by another process sharing the store.
 */
import type { RecordProducer } from "../../bus/index.ts";
import type { EventBus } from "../../events/index.ts";
import type { Logger } from "../../core/log/index.ts";
import type { Db } from "../../store/index.ts";
import { notifyRows } from "../../store/notify.ts";
import { topic, type AlertEvent } from "./event.ts";

export function startRelay(deps: {
  db: Db;
  producer: RecordProducer;
  bus: EventBus;
  log: Logger;
  everyMs?: number;
}) {
  const rows = notifyRows(deps.db);
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const drain = async () => {
    for (;;) {
      const batch = rows.pending(100);
      if (batch.length === 0) return;
      await deps.producer.send(
        topic,
        batch.map((e) => ({
          key: String(e.alertId),
          value: JSON.stringify({
            id: e.id,
            alert_id: e.alertId,
            event: e.event,
            kind: e.kind,
            subject: e.subject,
            message: e.message,
            severity: e.severity,
            at: e.at,
          } satisfies AlertEvent),
        })),
      );
      rows.done(batch.map((e) => e.id));
    }
  };
  /** one drain at a time; a call during one runs another right after */
  const kick = () => {
    if (stopped) return;
    if (running) return void (again = true);
    running = drain()
      .catch((e) => deps.log.warn("alert events not yet on Kafka; will retry", { err: e }))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const unsubscribe = deps.bus.subscribe((e) => e.type === "alert" && kick());
  const timer = setInterval(kick, deps.everyMs ?? 2000);
  timer.unref();
  rows.orphans();
  kick();
  return {
    kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}
