/**
 * The MQTT → Kafka bridge. With the embedded broker it sits in aedes's publish hook, so a QoS 1
 * PUBACK goes out only once Kafka (or the disk spool) has the record. With an external broker
 * (`--mqtt-url`) it is a persistent-session mqtt.js subscriber that acks each message only then.
 */
import type { Kafka, Producer } from "kafkajs";
import mqtt, { type MqttClient } from "mqtt";
import { sendToDeadLetter } from "../kafka/client/index.ts";
import type { Logger } from "../log/index.ts";
import type { MetricsRegistry } from "../metrics/index.ts";
import { KafkaWriter } from "./kafka-writer.ts";
import { defaultRules, mapMessage, type MappingRule } from "./mapping.ts";
import { Spool } from "./spool.ts";

export interface BridgeOptions {
  kafka: Kafka;
  dataDir: string;
  log: Logger;
  metrics: MetricsRegistry;
  rules?: MappingRule[];
  spoolMaxBytes?: number;
}

export interface Bridge {
  /** handle one MQTT message; resolves when it is safe to acknowledge */
  handle(topic: string, payload: Buffer): Promise<void>;
  spooled(): number;
  stop(): Promise<void>;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const rules = opts.rules ?? defaultRules;
  // Few retries: while Kafka is down, records go to the spool quickly instead of stalling acks.
  const producer: Producer = opts.kafka.producer({ retry: { retries: 2, initialRetryTime: 100 } });
  await producer.connect();
  const writer = new KafkaWriter(
    producer,
    new Spool(opts.dataDir, opts.spoolMaxBytes ?? 256 << 20),
    opts.log,
    opts.metrics,
  );
  const outcomes = opts.metrics.counter(
    "iot_bridge_messages_total",
    "MQTT messages seen by the bridge, by outcome",
  );
  return {
    async handle(topic, payload) {
      const m = mapMessage(rules, topic, payload, Date.now());
      if (m.kind === "unmapped") return void outcomes.inc({ outcome: "unmapped" });
      if (m.kind === "dead-letter") {
        outcomes.inc({ outcome: "dead-letter" });
        opts.log.info("dead letter", { topic, reason: m.reason });
        await sendToDeadLetter(producer, {
          reason: m.reason,
          source: `mqtt:${topic}`,
          key: m.record.key,
          value: payload,
        });
        return;
      }
      outcomes.inc({ outcome: "bridged" });
      await writer.write(m.record);
    },
    spooled: () => writer.spoolLength,
    async stop() {
      await writer.close();
      await producer.disconnect();
    },
  };
}

/** Subscribes to an external broker with a persistent session; acks only after `bridge.handle`. */
export async function connectExternal(
  url: string,
  bridge: Bridge,
  log: Logger,
  rules = defaultRules,
): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    clientId: "iot-bridge",
    // MQTT 5: mqtt.js honours customHandleAcks only there. No clean start and a week of session
    // expiry: the broker keeps our subscriptions and unacked QoS 1 messages while we are away.
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: 7 * 24 * 3600 },
    reconnectPeriod: 1000,
    customHandleAcks: (topic, payload, _packet, done) => {
      bridge.handle(topic, Buffer.from(payload)).then(
        () => done(0),
        (e) => {
          log.warn("external bridge: not acknowledging", { topic, err: e });
          // no ack: the broker redelivers after we reconnect
        },
      );
    },
  });
  client.on("error", (e) => log.warn("external mqtt error", { err: e }));
  // QoS 0 messages have no ack to hold back, so mqtt.js does not route them through customHandleAcks
  client.on("message", (topic, payload, packet) => {
    if (packet.qos === 0)
      bridge
        .handle(topic, Buffer.from(payload))
        .catch((e) => log.warn("external bridge", { topic, err: e }));
  });
  await new Promise<void>((resolve, reject) => {
    client.once("connect", () => resolve());
    client.once("error", reject);
  });
  const filters = Object.fromEntries(rules.map((r) => [r.filter, { qos: 1 as const }]));
  await client.subscribeAsync(filters);
  log.info("bridging external mqtt", { url });
  return client;
}
