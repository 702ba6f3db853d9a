/**
 * Moves alert events from the store's outbox (written in the alert's own transaction) onto
 * `iot-alerts`, then deletes them: a crash in between sends one again, which the notifier
 * recognizes by its id. Runs when an alert changes in this process, and every `everyMs` for
 * alerts raised by another process sharing the store (or whose transaction had not committed
 * yet when this one looked). Through the store engine: the outbox is where the alerts are.
 */
import type { RecordProducer } from "../../bus/index.ts";
import type { EventBus } from "../../events/index.ts";
import type { Logger } from "../../core/log/index.ts";
import type { StoreEngine } from "../../store/engine/index.ts";
import { topic, type AlertEvent } from "./event.ts";

export function startRelay(deps: {
  engine: StoreEngine;
  producer: RecordProducer;
  bus: EventBus;
  log: Logger;
  everyMs?: number;
}) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const drain = async () => {
    for (;;) {
      const batch = await deps.engine.transaction((tx) => tx.notify.pending(100));
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
      await deps.engine.transaction((tx) => tx.outbox.done(batch.map((e) => e.id)));
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
  void deps.engine
    .transaction((tx) => tx.outbox.orphans())
    .catch((e) => deps.log.warn("alert events of deleted alerts not forgotten", { err: e }))
    .finally(kick);
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
