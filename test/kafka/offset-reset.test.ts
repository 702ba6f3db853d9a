/**
 * Committed offsets that no longer fit the log, with real clients: a group whose committed
 * offset is past the log end resets per its auto.offset.reset (kafkajs: fromBeginning), the
 * broker logs it with group, topic, partition, old and new offset; a topic deleted and created
 * again is read from the start by a group that was consuming it, not from its old position.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import { startKafkaBroker, type KafkaBroker } from "../../src/kafka/broker/index.ts";
import { createLogger } from "../../src/core/log/index.ts";
import { tempDirs } from "../support/temp.ts";
import { waitFor } from "../support/wait.ts";

const dirs = tempDirs("iot-offset-reset-");
afterAll(() => dirs.cleanup());

async function withBroker(fn: (b: KafkaBroker, kafka: Kafka, lines: string[]) => Promise<void>) {
  const lines: string[] = [];
  const broker = await startKafkaBroker({
    host: "127.0.0.1",
    port: 0,
    dataDir: dirs.make(),
    defaultPartitions: 1,
    log: createLogger("warn", "kafka", (l) => lines.push(l)),
  });
  const kafka = new Kafka({
    brokers: [broker.address],
    logLevel: logLevel.NOTHING,
    retry: { retries: 20, initialRetryTime: 50, maxRetryTime: 500 },
  });
  try {
    await fn(broker, kafka, lines);
  } finally {
    await broker.stop();
  }
}

async function consume(kafka: Kafka, groupId: string, topic: string, want: number) {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, heartbeatInterval: 200 });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
  return {
    consumer,
    seen,
    until: (n = want) => waitFor(() => seen.length >= n, 20_000, `${n} records of ${topic}`),
  };
}

describe("committed offsets that no longer fit the log", () => {
  test("committed past the end: the group resets to its policy, logged with old and new", async () => {
    await withBroker(async (broker, kafka, lines) => {
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: "t", messages: ["a", "b", "c"].map((value) => ({ value })) });
      await producer.disconnect();
      // a commit of an offset the log does not have (Kafka accepts any): a standalone commit
      await broker.groups.commitOffsets({
        groupId: "g",
        generationId: -1,
        memberId: "",
        offsets: [{ topic: "t", partition: 0, offset: 100, metadata: null }],
      });
      const c = await consume(kafka, "g", "t", 3);
      try {
        await c.until();
        expect(c.seen).toEqual(["a", "b", "c"]);
        const reset = lines.find((l) => l.includes("consumer group offset reset"));
        expect(reset).toContain("group=g topic=t partition=0 from=100 to=0");
      } finally {
        await c.consumer.disconnect();
      }
    });
  }, 40_000);

  test("a topic deleted and created again while a group consumes it: read from its start", async () => {
    await withBroker(async (broker, kafka, lines) => {
      const producer = kafka.producer();
      await producer.connect();
      const old = Array.from({ length: 20 }, (_, i) => ({ value: `old-${i}` }));
      await producer.send({ topic: "r", messages: old });
      const c = await consume(kafka, "g", "r", 20);
      try {
        await c.until();
        await Bun.sleep(300); // committed: 20
        const admin = kafka.admin();
        await admin.connect();
        await admin.deleteTopics({ topics: ["r"] });
        await admin.disconnect();
        expect(broker.groups.fetchOffset("g", "r", 0)).toBeUndefined();
        // created again by the produce; more records than the group's old position
        const fresh = Array.from({ length: 30 }, (_, i) => ({ value: `new-${i}` }));
        await producer.send({ topic: "r", messages: fresh });
        await c.until(50);
        await Bun.sleep(500);
        // every new record is read (the consumer's in-memory position may fetch a record of the
        // new topic once before its group rejoins and resets: at least once, never lost)
        expect([...new Set(c.seen.slice(20))].sort()).toEqual(fresh.map((m) => m.value).sort());
        expect(c.seen.slice(20).length - fresh.length).toBeLessThanOrEqual(fresh.length);
        expect(lines.some((l) => l.includes("group=g topic=r partition=0 from=20"))).toBe(true);
      } finally {
        await c.consumer.disconnect();
        await producer.disconnect();
      }
    });
  }, 40_000);
});
