/**
 * One contract, both implementations: kafkajs over TCP and in-process function calls into the
 * same embedded broker. Durable, ordered produce; commit and resume; members sharing and
 * handing over partitions; a kafkajs member and an in-process member in one group; refusals.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kafka, logLevel } from "kafkajs";
import { startKafkaBroker, type KafkaBroker } from "../kafka/broker/index.ts";
import { tempDirs } from "../../test/support/temp.ts";
import { sendToDeadLetter, topic as deadLetterTopic } from "../contracts/dead-letter.ts";
import { PREFIX_BYTES } from "../core/kafka/index.ts";
import { waitFor } from "../../test/support/wait.ts";
import {
  inProcessBus,
  isRejection,
  isTooLarge,
  kafkajsBus,
  type KafkaBus,
  type ConsumedBatch,
} from "./index.ts";

const dirs = tempDirs("iot-bus-");
let broker: KafkaBroker;
const buses = {} as Record<"kafkajs" | "in-process", KafkaBus>;
const MAX_MESSAGE_BYTES = 256 * 1024;

beforeAll(async () => {
  broker = await startKafkaBroker({
    host: "127.0.0.1",
    port: 0,
    dataDir: dirs.make(),
    defaultPartitions: 2,
    maxMessageBytes: MAX_MESSAGE_BYTES,
  });
  const kafka = new Kafka({
    clientId: "bus-test",
    brokers: [broker.address],
    logLevel: logLevel.NOTHING,
  });
  buses.kafkajs = kafkajsBus(kafka);
  buses["in-process"] = inProcessBus(broker.context);
});
afterAll(async () => {
  await broker.stop();
  dirs.cleanup();
});

let topicNo = 0;
const freshTopic = (what: string) => `bus-${what}-${++topicNo}`;

/** a member that keeps what it got, per partition */
function collecting(
  bus: KafkaBus,
  groupId: string,
  topic: string,
  opts: { failOn?: (b: ConsumedBatch) => boolean } = {},
) {
  const got: Array<{ partition: number; offset: number; key: string; value: string }> = [];
  const consumer = bus.consumer({ groupId, topics: [topic], fromBeginning: true });
  const started = consumer.run(async (batch) => {
    if (opts.failOn?.(batch)) throw new Error("handler refuses this batch");
    for (const r of batch.records)
      got.push({
        partition: batch.partition,
        offset: r.offset,
        key: r.key!.toString(),
        value: r.value!.toString(),
      });
  });
  return { got, consumer, started };
}

for (const kind of ["kafkajs", "in-process"] as const) {
  describe(`${kind} bus`, () => {
    const bus = () => buses[kind];

    test("a send resolves once its records are in the log; each key's records come in order", async () => {
      const topic = freshTopic("order");
      const producer = bus().producer();
      await producer.connect();
      try {
        for (let round = 0; round < 10; round++) {
          const records = Array.from({ length: 20 }, (_, i) => ({
            key: `dev-${i % 7}`,
            value: `${round * 20 + i}`,
            headers: { round: String(round) },
          }));
          await producer.send(topic, records);
          // durable: in the partition logs when send resolved
          const total = [0, 1].reduce(
            (n, p) => n + broker.logs.partition(topic, p)!.highWatermark,
            0,
          );
          expect(total).toBe((round + 1) * 20);
        }
      } finally {
        await producer.close();
      }
      const member = collecting(bus(), `g-${topic}`, topic);
      await member.started;
      try {
        await waitFor(() => member.got.length >= 200, 20_000, "200 records");
        const byKey = Map.groupBy(member.got, (r) => r.key);
        for (const [, list] of byKey) {
          const values = list.map((r) => Number(r.value));
          expect(values).toEqual([...values].sort((a, b) => a - b));
          expect(new Set(list.map((r) => r.partition)).size).toBe(1);
        }
        expect(member.got.length).toBe(200);
      } finally {
        await member.consumer.stop();
      }
    });

    test("a member started after a stop resumes after the last commit; a failed batch comes again", async () => {
      const topic = freshTopic("resume");
      const groupId = `g-${topic}`;
      const producer = bus().producer();
      await producer.connect();
      const put = (from: number, n: number) =>
        producer.send(
          topic,
          Array.from({ length: n }, (_, i) => ({ key: "k", value: String(from + i) })),
        );
      await put(0, 10);
      let failures = 0;
      const first = collecting(bus(), groupId, topic, {
        failOn: () => failures++ < 2, // the first two attempts throw: nothing is committed
      });
      await first.started;
      await waitFor(() => first.got.length >= 10, 20_000, "the first 10");
      await first.consumer.stop();
      expect(failures).toBeGreaterThanOrEqual(2);
      expect(first.got.map((r) => Number(r.value))).toEqual(
        Array.from({ length: 10 }, (_, i) => i),
      );
      await put(10, 5);
      const second = collecting(bus(), groupId, topic);
      await second.started;
      try {
        await waitFor(() => second.got.length >= 5, 20_000, "the next 5");
        await Bun.sleep(300);
        expect(second.got.map((r) => Number(r.value))).toEqual([10, 11, 12, 13, 14]);
      } finally {
        await second.consumer.stop();
        await producer.close();
      }
    });

    test("two members share the partitions; one leaving hands its partitions over", async () => {
      const topic = freshTopic("share");
      const groupId = `g-${topic}`;
      const producer = bus().producer();
      await producer.connect();
      const a = collecting(bus(), groupId, topic);
      const b = collecting(bus(), groupId, topic);
      await Promise.all([a.started, b.started]);
      let n = 0;
      const put = () =>
        producer.send(
          topic,
          Array.from({ length: 20 }, (_, i) => ({ key: `d${i}`, value: String(n++) })),
        );
      try {
        // until both hold a partition (joins may land in two generations)
        await waitFor(
          async () => {
            await put();
            return a.got.length > 0 && b.got.length > 0;
          },
          30_000,
          "both members consuming",
        );
        await waitFor(() => a.got.length + b.got.length >= n, 20_000, "everything so far");
        const partitionsOf = (m: typeof a) => new Set(m.got.slice(-5).map((r) => r.partition));
        expect([...partitionsOf(a)].some((p) => partitionsOf(b).has(p))).toBe(false);
        await a.consumer.stop();
        const before = b.got.length;
        await put();
        await waitFor(
          () => new Set(b.got.slice(before).map((r) => r.partition)).size === 2,
          30_000,
          "the remaining member on both partitions",
        );
        const values = new Set([...a.got, ...b.got].map((r) => r.value));
        expect(values.size).toBe(n); // nothing lost
      } finally {
        await b.consumer.stop();
        await producer.close();
      }
    });

    test("dead letters: whole, and reduced when the broker refuses the whole one as too large", async () => {
      const producer = bus().producer({ retries: 0 });
      await producer.connect();
      const key = `dl-${kind}`;
      try {
        await sendToDeadLetter(producer, { reason: "bad json", source: "mqtt:x", key, value: "{" });
        const big = Buffer.alloc(MAX_MESSAGE_BYTES + 1024, 1); // under the 1 MiB copy limit
        await sendToDeadLetter(producer, { reason: "too big", source: "mqtt:y", key, value: big });
      } finally {
        await producer.close();
      }
      const got: Array<{ headers: Record<string, string>; size: number }> = [];
      const reader = bus().consumer({
        groupId: `g-dl-${kind}`,
        topics: [deadLetterTopic],
        fromBeginning: true,
      });
      await reader.run(async (batch) => {
        for (const r of batch.records)
          if (r.key?.toString() === key)
            got.push({ headers: r.headers, size: r.value?.length ?? 0 });
      });
      try {
        await waitFor(() => got.length >= 2, 20_000, "both dead letters");
        expect(got[0]!.headers).toMatchObject({ reason: "bad json", source: "mqtt:x" });
        expect(got[0]!.size).toBe(1);
        expect(got[1]!.headers).toMatchObject({
          reason: "too big",
          reduced: "true",
          "original-size": String(MAX_MESSAGE_BYTES + 1024),
        });
        expect(got[1]!.size).toBe(PREFIX_BYTES);
      } finally {
        await reader.stop();
      }
    });

    test("a batch over the broker's limit is refused for good, as too large", async () => {
      const producer = bus().producer({ retries: 0 });
      await producer.connect();
      try {
        const big = Buffer.alloc(MAX_MESSAGE_BYTES + 1024, 7);
        const err = await producer.send(freshTopic("big"), [{ key: "k", value: big }]).then(
          () => null,
          (e) => e,
        );
        expect(err).not.toBeNull();
        expect(isRejection(err)).toBe(true);
        expect(isTooLarge(err)).toBe(true);
      } finally {
        await producer.close();
      }
    });
  });
}

describe("mixed group", () => {
  test("a kafkajs member (TCP) and an in-process member share one group's partitions", async () => {
    const topic = freshTopic("mixed");
    const groupId = `g-${topic}`;
    const producer = buses["in-process"].producer();
    const tcp = collecting(buses.kafkajs, groupId, topic);
    const local = collecting(buses["in-process"], groupId, topic);
    await Promise.all([tcp.started, local.started]);
    let n = 0;
    const put = () =>
      producer.send(
        topic,
        Array.from({ length: 20 }, (_, i) => ({ key: `d${i}`, value: String(n++) })),
      );
    try {
      await waitFor(
        async () => {
          await put();
          return tcp.got.length > 0 && local.got.length > 0;
        },
        30_000,
        "both members consuming",
      );
      await waitFor(
        () => new Set([...tcp.got, ...local.got].map((r) => r.value)).size === n,
        20_000,
        "all",
      );
      const last = (m: typeof tcp) => new Set(m.got.slice(-5).map((r) => r.partition));
      expect([...last(tcp)].some((p) => last(local).has(p))).toBe(false);
      // the in-process member leaves: the kafkajs member takes both partitions, from the commits
      await local.consumer.stop();
      const before = tcp.got.length;
      await put();
      await waitFor(
        () => new Set(tcp.got.slice(before).map((r) => r.partition)).size === 2,
        30_000,
        "the kafkajs member on both partitions",
      );
      await waitFor(
        () => new Set([...tcp.got, ...local.got].map((r) => r.value)).size === n,
        20_000,
        "all",
      );
      // committed offsets are shared: nothing the in-process member committed came again
      const seen = [...tcp.got, ...local.got].map((r) => `${r.partition}@${r.offset}`);
      expect(seen.length - new Set(seen).size).toBeLessThanOrEqual(20);
    } finally {
      await tcp.consumer.stop();
    }
  });
});
