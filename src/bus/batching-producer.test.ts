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

/** an inner producer whose sends wait until the test settles them, one by one */
function gated() {
  const calls: Array<{ values: string[]; resolve: () => void; reject: (e: unknown) => void }> = [];
  const producer: RecordProducer = {
    send: (topic, records) => producer.sendTopics([{ topic, records }]),
    sendTopics: (batches) =>
      new Promise<void>((resolve, reject) => {
        const values = batches.flatMap((b) => b.records.map((r) => String(r.value)));
        calls.push({ values, resolve, reject });
      }),
    connect: async () => {},
    close: async () => {},
  };
  return { producer, calls };
}

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

test("while a send waits for its fsync the next batch gathers, and leaves the moment it returns (no timer)", async () => {
  const { producer, calls } = gated();
  const batching = batchingProducer(producer);
  const first = batching.send("t", [{ key: "a", value: "1" }]);
  await nextTurn();
  expect(calls.map((c) => c.values)).toEqual([["1"]]);
  // the first is still waiting for its fsync: these gather, over several turns
  const second = batching.send("t", [{ key: "a", value: "2" }]);
  await nextTurn();
  const third = batching.send("t", [{ key: "b", value: "3" }]);
  await nextTurn();
  expect(calls.map((c) => c.values)).toEqual([["1"]]);
  calls[0]!.resolve();
  await first;
  await Promise.resolve();
  expect(calls.map((c) => c.values)).toEqual([["1"], ["2", "3"]]);
  calls[1]!.resolve();
  await Promise.all([second, third]);
});

test("a failed combined send fails exactly the requests of that batch", async () => {
  const { producer, calls } = gated();
  const batching = batchingProducer(producer);
  const outcome = (p: Promise<void>) =>
    p.then(
      () => "ok",
      (e: Error) => e.message,
    );
  const a = [outcome(batching.send("t", [{ key: "a", value: "a1" }]))];
  await nextTurn();
  const b = ["b1", "b2"].map((v) => outcome(batching.send("t", [{ key: "b", value: v }])));
  await nextTurn();
  calls[0]!.resolve();
  await a[0];
  const c = [outcome(batching.send("t", [{ key: "c", value: "c1" }]))];
  await nextTurn();
  calls[1]!.reject(new Error("broker went away"));
  await b[1];
  await nextTurn();
  calls[2]!.resolve();
  expect(calls.map((x) => x.values)).toEqual([["a1"], ["b1", "b2"], ["c1"]]);
  expect(await Promise.all([...a, ...b, ...c])).toEqual([
    "ok",
    "broker went away",
    "broker went away",
    "ok",
  ]);
});
