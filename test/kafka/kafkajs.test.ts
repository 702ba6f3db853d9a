/**
 * The embedded broker against the real kafkajs 2.2.4: admin, producer (acks 0/1/-1, gzip), and a
 * consumer group of two that splits partitions, rebalances, and resumes after a broker restart.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CompressionTypes, Kafka, logLevel, type Consumer, type EachMessagePayload } from "kafkajs";
import { startKafkaBroker, type KafkaBroker } from "../../src/kafka/broker/index.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-kafkajs-");
let dataDir: string;
let broker: KafkaBroker;
const client = (b: KafkaBroker) =>
  new Kafka({ clientId: "kafkajs-test", brokers: [b.address], logLevel: logLevel.NOTHING });

beforeAll(async () => {
  dataDir = dirs.make();
  broker = await startKafkaBroker({ host: "127.0.0.1", port: 0, dataDir, defaultPartitions: 2 });
});
afterAll(async () => {
  await broker.stop();
  dirs.cleanup();
});

describe("kafkajs admin", () => {
  test("creates topics, lists them, reports metadata; creating again resolves false", async () => {
    const admin = client(broker).admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: "admin-t", numPartitions: 3 }] })).toBe(
        true,
      );
      expect(await admin.listTopics()).toContain("admin-t");
      const meta = await admin.fetchTopicMetadata({ topics: ["admin-t"] });
      expect(meta.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
      expect(await admin.createTopics({ topics: [{ topic: "admin-t" }] })).toBe(false);
      // kafkajs sends -1/-1 when nothing is given: the broker default (2) applies.
      await admin.createTopics({ topics: [{ topic: "admin-default" }] });
      const def = await admin.fetchTopicMetadata({ topics: ["admin-default"] });
      expect(def.topics[0]!.partitions).toHaveLength(2);
      const offsets = await admin.fetchTopicOffsets("admin-t");
      expect(offsets.map((o) => o.high)).toEqual(["0", "0", "0"]);
    } finally {
      await admin.disconnect();
    }
  });
});

describe("kafkajs producer", () => {
  test("acks -1, 1 and 0, plain and gzip: every message lands, in order per partition", async () => {
    const kafka = client(broker);
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const sent: string[] = [];
    const variants = [
      { acks: -1, compression: CompressionTypes.None },
      { acks: 1, compression: CompressionTypes.None },
      { acks: 0, compression: CompressionTypes.None },
      { acks: -1, compression: CompressionTypes.GZIP },
    ];
    for (const [v, { acks, compression }] of variants.entries()) {
      const messages = Array.from({ length: 25 }, (_, i) => ({
        key: `k${i % 5}`,
        value: `v${v}-${String(i).padStart(3, "0")} ${"payload ".repeat(10)}`,
      }));
      const result = await producer.send({ topic: "produce-t", acks, compression, messages });
      if (acks === 0) expect(result).toEqual([]);
      else expect(result.every((r) => r.errorCode === 0)).toBe(true);
      sent.push(...messages.map((m) => m.value));
    }
    await producer.disconnect();

    const received = await consumeAll(kafka, "produce-t", sent.length);
    expect(received.map((m) => m.value).sort()).toEqual([...sent].sort());
    // Same key → same partition, and within a partition the order is the send order.
    for (const key of ["k0", "k1"]) {
      const mine = received.filter((m) => m.key === key);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      expect(mine.map((m) => m.value)).toEqual(sent.filter((_, i) => i % 5 === Number(key[1])));
    }
  });
});

describe("kafkajs consumer group", () => {
  test("two members split two partitions, rebalance on leave, resume after a restart", async () => {
    const topic = "group-t";
    const groupId = "group-a";
    let kafka = client(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();

    const seen: Array<{ member: string; partition: number; value: string }> = [];
    const assignments = new Map<string, number[]>();
    const member = async (name: string) => {
      const c = kafka.consumer({ groupId, heartbeatInterval: 300, maxWaitTimeInMs: 200 });
      c.on(c.events.GROUP_JOIN, (e) => {
        assignments.set(name, [...(e.payload.memberAssignment[topic] ?? [])].sort());
      });
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({
        eachMessage: async ({ partition, message }: EachMessagePayload) => {
          seen.push({ member: name, partition, value: message.value!.toString() });
        },
      });
      return c;
    };
    const produce = async (from: number, count: number) => {
      const p = kafka.producer();
      await p.connect();
      await p.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => ({
          partition: (from + i) % 2,
          value: `m${from + i}`,
        })),
      });
      await p.disconnect();
    };

    const a = await member("a");
    const b = await member("b");
    await waitFor(() => assignments.get("a")?.length === 1 && assignments.get("b")?.length === 1);
    expect([...assignments.get("a")!, ...assignments.get("b")!].sort()).toEqual([0, 1]);

    await produce(0, 20);
    await waitFor(() => seen.length >= 20);
    for (const name of ["a", "b"]) {
      const parts = new Set(seen.filter((s) => s.member === name).map((s) => s.partition));
      expect([...parts]).toEqual(assignments.get(name)!);
    }

    await b.disconnect();
    await waitFor(() => assignments.get("a")?.length === 2);
    await produce(20, 10);
    await waitFor(() => seen.length >= 30);
    expect(seen.slice(20).every((s) => s.member === "a")).toBe(true);
    await a.disconnect(); // commits what it consumed

    await broker.stop();
    broker = await startKafkaBroker({ host: "127.0.0.1", port: 0, dataDir, defaultPartitions: 2 });
    kafka = client(broker);
    await produce(30, 6);
    const c = await member("c");
    await waitFor(() => seen.length >= 36);
    await Bun.sleep(500); // nothing older may follow
    await c.disconnect();
    const values = seen.map((s) => s.value);
    expect(values.slice(30).sort()).toEqual(["m30", "m31", "m32", "m33", "m34", "m35"]);
    expect(new Set(values).size).toBe(values.length);
  }, 60_000);
});

async function consumeAll(kafka: Kafka, topic: string, count: number) {
  const out: Array<{ key: string; value: string; partition: number }> = [];
  const consumer: Consumer = kafka.consumer({ groupId: `all-${topic}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      out.push({ key: String(message.key), value: String(message.value), partition });
    },
  });
  try {
    await waitFor(() => out.length >= count);
    await Bun.sleep(300);
  } finally {
    await consumer.disconnect();
  }
  return out;
}
