/**
 * The agent straight to Kafka (`--kafka`), for sites without MQTT: kafkajs, gzip, acks=-1,
 * keyed by device id. `iot` format: iot.telemetry / iot.image / iot.video / iot.status with a
 * `msg_id` header (images also `captured_at`), the same JSON as over MQTT. `seed` format: the
 * seed's `temp_test` and `imgtest` records. Commands come from `iot.command` (key = device id;
 * read from the beginning at every start, so the last value wins).
 */
import { CompressionTypes, type Consumer, type Message } from "kafkajs";
import { createKafka } from "../../src/core/kafka/kafka.ts";
import { topics } from "../../src/core/kafka/topics.ts";
import type { OutboxMessage } from "../outbox/index.ts";
import { parseCommand } from "../state.ts";
import { telemetryJson, within, type Transport, type TransportOptions } from "./types.ts";

export interface KafkaTransportOptions extends TransportOptions {
  brokers: string[];
  format: "iot" | "seed";
  /** ms a batch may wait for its acknowledgement; default 30 s */
  ackTimeoutMs?: number;
}

export function createKafkaTransport(opts: KafkaTransportOptions): Transport {
  const { id, log } = opts;
  const kafka = createKafka({
    brokers: opts.brokers,
    clientId: `iot-device-${id}`,
    log,
    sasl: opts.token ? { username: id, password: opts.token } : undefined,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  let consumer: Consumer | undefined;
  let connected = false;
  let closed = false;
  let videoBusy = false;
  const waiters: Array<() => void> = [];
  let lastError = "";

  const connect = async () => {
    while (!closed && !connected) {
      try {
        await producer.connect();
        connected = true;
        lastError = "";
        log.info("connected", { brokers: opts.brokers.join(",") });
        opts.onConnect();
        for (const wake of waiters.splice(0)) wake();
      } catch (err) {
        const e = err as Error;
        const message = /SASL/i.test(e.name + e.message)
          ? `Kafka refused the login as '${id}': ${e.message} (check --id and --token: a token made with --kind kafka --subject ${id})`
          : `cannot reach Kafka at ${opts.brokers.join(",")}: ${e.message}`;
        if (message !== lastError) log.error(message);
        lastError = message;
        await Bun.sleep(2000);
      }
    }
  };

  const subscribeCommands = async (): Promise<Consumer> => {
    // a group of its own per start: no committed offset, so every command is read again
    const c = kafka.consumer({ groupId: `iot-device-${id}-${Date.now().toString(36)}` });
    await c.connect();
    await c.subscribe({ topic: topics.deviceCommand, fromBeginning: true });
    await c.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== id || !message.value) return;
        const status = parseCommand(message.value);
        if (status) opts.onCommand(status);
        else log.warn("ignored a command that is neither Active nor Inactive");
      },
    });
    return c;
  };
  const keepSubscribed = async () => {
    while (!closed && !consumer) {
      try {
        consumer = await subscribeCommands();
      } catch (err) {
        log.warn("cannot read commands from Kafka yet; retrying", { err });
        await Bun.sleep(2000);
      }
    }
  };
  void connect().then(keepSubscribed);

  const send = (topic: string, messages: Message[], acks = -1) =>
    producer.send({ topic, acks, compression: CompressionTypes.GZIP, messages });

  return {
    name: `kafka ${opts.brokers.join(",")}`,
    async send(batch) {
      const byTopic = new Map<string, Message[]>();
      for (const m of batch) {
        const record = toRecord(m, id, opts.format);
        if (!record) continue;
        byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record.message]);
      }
      const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      if (topicMessages.length === 0) return;
      await within(
        producer.sendBatch({ acks: -1, compression: CompressionTypes.GZIP, topicMessages }),
        opts.ackTimeoutMs ?? 30_000,
        "kafka send",
      );
    },
    video(frame) {
      if (!connected || videoBusy) return; // one frame in flight at most: never queue video
      videoBusy = true;
      const topic = opts.format === "seed" ? topics.rtspStream : topics.video;
      send(topic, [{ key: id, value: frame }], 1)
        .catch((err) => log.debug("video frame dropped", { err }))
        .finally(() => (videoBusy = false));
    },
    async status(status, extra = {}) {
      await within(
        send(topics.status, [{ key: id, value: JSON.stringify({ status, ...extra }) }]),
        10_000,
        "kafka status",
      );
    },
    connected: () => connected,
    whenConnected: () =>
      connected ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve)),
    async close() {
      closed = true;
      if (connected) {
        try {
          await within(
            send(topics.status, [{ key: id, value: JSON.stringify({ status: "offline" }) }]),
            5000,
            "kafka offline status",
          );
        } catch (err) {
          log.warn("could not publish offline", { err });
        }
      }
      await consumer?.disconnect().catch(() => {});
      await producer.disconnect().catch(() => {});
      for (const wake of waiters.splice(0)) wake();
    },
  };
}

/** One outbox message as the Kafka record of the chosen format; null if it has no form there. */
function toRecord(
  m: OutboxMessage,
  id: string,
  format: "iot" | "seed",
): { topic: string; message: Message } | null {
  if (format === "iot") {
    const headers = { msg_id: m.msgId, ...m.headers };
    return m.kind === "telemetry"
      ? { topic: topics.telemetry, message: { key: id, value: telemetryJson(m), headers } }
      : { topic: topics.image, message: { key: id, value: m.payload, headers } };
  }
  if (m.kind === "telemetry") {
    const r = JSON.parse(m.payload.toString("utf8")) as { ts: number; temperature: number | null };
    if (r.temperature === null) return null; // the seed's record has only a temperature
    const value = { m_id: id, datetime: seedTime(new Date(r.ts)), temp: r.temperature.toFixed(1) };
    return { topic: topics.tempTest, message: { key: id, value: JSON.stringify(value) } };
  }
  const at = new Date(Number(m.headers.captured_at ?? Date.now()));
  const value = { m_id: id, datetime: seedTime(at), photo: m.payload.toString("base64") };
  return { topic: topics.imgTest, message: { key: id, value: JSON.stringify(value) } };
}

/** The seed's `datetime`: "YYYY-mm-dd HH:MM:SS", local time. */
export function seedTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
