import { expect, test } from "bun:test";
import { useKafkaBroker } from "../../test/support/kafka.ts";
import { batchingProducer } from "./batching-producer.ts";
import { inProcessBus, isTooLarge, type RecordProducer, type TopicRecords } from "./index.ts";

const kafka = useKafkaBroker("iot-batching-", { maxMessageBytes: 64 * 1024 });

/** the in-process producer, noting which values were durable when its send resolved */
function noting() {
  const inner = inProcessBus(kafka.broker.context).producer();
  const durable = new Set<string>();
  const calls: number[] = [];
  const producer: RecordProducer = {
    ...inner,
    async sendTopics(batches: readonly TopicRecords[]) {
      calls.push(batches.reduce((n, b) => n + b.records.length, 0));
      await inner.sendTopics(batches);
      for (const b of batches) for (const r of b.records) durable.add(String(r.value));
    },
  };
  return { producer, durable, calls };
}

test("concurrent sends share a few produces; each is answered only once its record is durable", async () => {
  const { producer, durable, calls } = noting();
  const batching = batchingProducer(producer);
  const early: string[] = [];
  await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      batching.send("batched", [{ key: `k${i % 10}`, value: `v${i}` }]).then(() => {
        if (!durable.has(`v${i}`)) early.push(`v${i}`);
      }),
    ),
  );
  expect(early).toEqual([]);
  expect(batching.sends).toBe(calls.length);
  expect(calls.length).toBeLessThanOrEqual(10);
  expect(calls.reduce((a, b) => a + b, 0)).toBe(300);
  const logs = [0, 1].map((p) => kafka.broker.logs.partition("batched", p)!.highWatermark);
  expect(logs[0]! + logs[1]!).toBe(300);
  await batching.close();
});

test("a record Kafka refuses fails its own request only", async () => {
  const { producer, durable } = noting();
  const batching = batchingProducer(producer);
  const results = await Promise.allSettled(
    Array.from({ length: 20 }, (_, i) =>
      batching.send("batched-bad", [
        { key: "k", value: i === 7 ? Buffer.alloc(100 * 1024, 65) : `ok${i}` },
      ]),
    ),
  );
  const failed = results.flatMap((r, i) => (r.status === "rejected" ? [[i, r.reason]] : []));
  expect(failed.map(([i]) => i)).toEqual([7]);
  expect(isTooLarge(failed[0]![1])).toBe(true);
  expect([...durable].filter((v) => v.startsWith("ok")).length).toBe(19);
  await batching.close();
});
