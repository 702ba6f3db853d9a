/**
 * The notifier: consumer group `iot-notifier` on `iot-alerts`. Each event is routed, then
 * delivered to its channels side by side (a channel that is down does not hold up the others'
 * attempts at this event); the offset is committed only once every channel is done with it —
 * sent, collapsed, quiet, or dead-lettered after its last attempt — so a restart resumes where
 * it was. While it waits between attempts it keeps its group membership (heartbeats).
 */
import type { Kafka, Producer } from "kafkajs";
import { sendToDeadLetter } from "../../contracts/dead-letter.ts";
import type { Logger } from "../../core/log/index.ts";
import type { MetricsRegistry } from "../../metrics/index.ts";
import type { Db } from "../../store/index.ts";
import type { NotifySettings } from "../config/settings.ts";
import { route } from "../routing/routes.ts";
import { deliver } from "./deliver.ts";
import { parseAlertEvent, topic, type AlertEvent } from "./event.ts";

export const NOTIFIER_GROUP = "iot-notifier";

export interface NotifierDeps {
  kafka: Kafka;
  db: Db;
  settings: NotifySettings;
  deadLetters: Producer;
  log: Logger;
  metrics: MetricsRegistry;
  now?: () => number;
}

class Stopping extends Error {}

export async function startNotifier(deps: NotifierDeps) {
  const now = deps.now ?? Date.now;
  const outcomes = deps.metrics.counter(
    "iot_notify_deliveries_total",
    "alert notifications by channel and outcome",
  );
  const consumer = deps.kafka.consumer({
    groupId: NOTIFIER_GROUP,
    maxWaitTimeInMs: 500,
    heartbeatInterval: 1000,
  });
  let stopping = false;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning }) => {
      const wait = async (ms: number) => {
        const until = Date.now() + ms;
        while (Date.now() < until) {
          if (stopping || !isRunning()) throw new Stopping("stopping");
          await Bun.sleep(Math.min(500, until - Date.now()));
          await heartbeat();
        }
      };
      for (const m of batch.messages) {
        if (stopping || !isRunning()) return;
        const value = m.value ?? Buffer.alloc(0);
        let event: AlertEvent | undefined;
        try {
          event = parseAlertEvent(value);
        } catch (e) {
          await sendToDeadLetter(deps.deadLetters, {
            reason: (e as Error).message,
            source: `kafka:${batch.topic}/${batch.partition}@${m.offset}`,
            key: m.key,
            value,
            from: { topic: batch.topic, partition: batch.partition, offset: Number(m.offset) },
          });
        }
        if (event) {
          try {
            await handle(event, `${batch.topic}/${batch.partition}@${m.offset}`, wait);
          } catch (e) {
            if (e instanceof Stopping) return; // not committed: the next run resumes it
            throw e;
          }
        }
        resolveOffset(m.offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      }
    },
  });

  async function handle(e: AlertEvent, where: string, wait: (ms: number) => Promise<void>) {
    const { config, channels } = deps.settings.current();
    const decisions = route(config.routes, e, new Date(now()));
    await Promise.all(
      [...decisions].map(async ([name, decision]) => {
        const channel = channels.get(name);
        if (!channel) return;
        const outcome = await deliver(e, channel, decision, config, { db: deps.db, now, wait });
        if (outcome.status === "already") return;
        outcomes.inc({ channel: name, outcome: outcome.status });
        if (outcome.status !== "dead-lettered") return;
        deps.log.warn("alert not delivered", {
          channel: name,
          alert: e.alert_id,
          reason: outcome.reason,
        });
        await sendToDeadLetter(deps.deadLetters, {
          reason: `not delivered to ${name}: ${outcome.reason}`,
          source: `kafka:${where}`,
          key: String(e.alert_id),
          value: JSON.stringify(e),
        });
      }),
    );
  }

  return {
    async stop() {
      stopping = true;
      await consumer.disconnect();
    },
  };
}
