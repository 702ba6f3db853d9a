/**
 * The notifier: consumer group `iot-notifier` on `iot-alerts`. Each batch of alert events is
 * planned (plan.ts: routed, kept quiet, collapsed or queued) in one transaction, and only then
 * its offsets are committed; the worker (worker.ts) sends what was queued. A crash before the
 * commit plans the batch again, which finds its deliveries already there.
 */
import type { KafkaBus, RecordProducer } from "../../bus/index.ts";
import { sendToDeadLetter } from "../../contracts/dead-letter.ts";
import type { Logger } from "../../core/log/index.ts";
import type { StoreEngine } from "../../store/engine/index.ts";
import type { NotifySettings } from "../config/settings.ts";
import { parseAlertEvent, topic, type AlertEvent } from "./event.ts";
import { planEvent } from "./plan.ts";

export const NOTIFIER_GROUP = "iot-notifier";

export interface NotifierDeps {
  kafka: KafkaBus;
  /** where the deliveries are (the alerts' store) */
  engine: StoreEngine;
  settings: NotifySettings;
  deadLetters: RecordProducer;
  log: Logger;
  /** deliveries were queued */
  queued: () => void;
  now?: () => number;
}

export async function startNotifier(deps: NotifierDeps) {
  const now = deps.now ?? Date.now;
  const consumer = deps.kafka.consumer({
    groupId: NOTIFIER_GROUP,
    topics: [topic],
    fromBeginning: true,
  });
  // offsets are committed after each batch returns
  await consumer.run(async (batch) => {
    const events: AlertEvent[] = [];
    for (const m of batch.records) {
      const value = m.value ?? Buffer.alloc(0);
      try {
        events.push(parseAlertEvent(value));
      } catch (e) {
        await sendToDeadLetter(deps.deadLetters, {
          reason: (e as Error).message,
          source: `kafka:${batch.topic}/${batch.partition}@${m.offset}`,
          key: m.key,
          value,
          from: { topic: batch.topic, partition: batch.partition, offset: Number(m.offset) },
        });
      }
    }
    const { config, channels } = deps.settings.current();
    const names = new Set(channels.keys());
    await deps.engine.transaction(async (tx) => {
      for (const e of events) await planEvent(tx, e, config, names, now());
    });
    deps.queued();
  });
  return { stop: () => consumer.stop() };
}
