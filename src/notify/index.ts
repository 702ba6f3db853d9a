/**
 * Notifications: alerts told to people and machines. Alerts queue their events in the store
 * (src/alerts/), the relay puts them on `iot-alerts`, the notifier routes them to channels
 * (webhook, ntfy, Slack-compatible, e-mail, MQTT) with collapse and quiet hours and queues the
 * deliveries, and the worker sends them with retries, storing every attempt.
 */
import type { KafkaBus } from "../bus/index.ts";
import type { EventBus } from "../events/index.ts";
import type { Logger } from "../core/log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import type { Db } from "../store/index.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import type { MqttPublish } from "./channels/index.ts";
import type { NotifyConfig } from "./config/schema.ts";
import { NotifySettings } from "./config/settings.ts";
import { startNotifier } from "./delivery/notifier.ts";
import { startRelay } from "./delivery/relay.ts";
import { startWorker } from "./delivery/worker.ts";

export { NotifySettings } from "./config/settings.ts";
export { parseNotifyConfig, emptyNotifyConfig, type NotifyConfig } from "./config/schema.ts";
export { maskNotifyConfig, MASK } from "./config/secrets.ts";
export { sendTest } from "./delivery/test-send.ts";

export interface NotifyDeps {
  kafka: KafkaBus;
  /** where the alerts and their outbox are (the consumers' store) */
  engine: StoreEngine;
  bus: EventBus;
  log: Logger;
  metrics: MetricsRegistry;
  settings: NotifySettings;
}

/** The relay and the notifier group, in the process that runs the consumers. */
export async function startNotify(d: NotifyDeps) {
  const producer = d.kafka.producer();
  await producer.connect();
  const relay = startRelay({ engine: d.engine, producer, bus: d.bus, log: d.log.child("relay") });
  const worker = startWorker({
    engine: d.engine,
    settings: d.settings,
    deadLetters: producer,
    log: d.log,
    metrics: d.metrics,
  });
  const notifier = await startNotifier({
    kafka: d.kafka,
    engine: d.engine,
    settings: d.settings,
    deadLetters: producer,
    log: d.log,
    queued: worker.wake,
  });
  return {
    async stop() {
      await notifier.stop();
      await worker.stop();
      await relay.stop();
      await producer.close();
      d.settings.close();
    },
  };
}

export function notifySettings(db: Db, fromFile: NotifyConfig, mqtt?: MqttPublish) {
  return new NotifySettings(db, fromFile, mqtt);
}
