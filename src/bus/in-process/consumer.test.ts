/**
 * The in-process member reads in rounds: each partition's new records as one batch, then one
 * offset commit for the whole round — on the real embedded broker, counting the coordinator's
 * commit calls and the records' bytes in `iot_kafka_bytes_out_total`.
 */
import { afterAll, expect, test } from "bun:test";
import { useKafkaBroker } from "../../../test/support/kafka.ts";
import { waitFor } from "../../../test/support/wait.ts";
import type { GroupConsumer } from "../types.ts";
import { inProcessBus } from "./index.ts";

const env = useKafkaBroker("iot-in-process-consumer-");
const consumers: GroupConsumer[] = [];
afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
});

/** every commit the coordinator is asked for (the real call goes on) */
function countCommits() {
  const groups = env.broker.context.groups;
  const commits: number[] = [];
  const synced: boolean[] = [];
  const real = groups.commitOffsets.bind(groups);
  groups.commitOffsets = (req, opts) => {
    commits.push(req.offsets.length);
    synced.push(opts?.sync !== false);
    return real(req, opts);
  };
  return { commits, synced, restore: () => void (groups.commitOffsets = real) };
}

const records = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${(from + i) % 8}`, value: `v${from + i}` }));

test("a round's batches of both partitions are committed together, in one commit", async () => {
  const topic = "rounds-commit";
  const bus = inProcessBus(env.broker.context, { lingerMs: 10 });
  const producer = bus.producer();
  const batches: Array<{ partition: number; n: number }> = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const consumer = bus.consumer({ groupId: "g-rounds", topics: [topic], fromBeginning: true });
  consumers.push(consumer);
  const { commits, synced, restore } = countCommits();
  try {
    await consumer.run(async (b) => {
      batches.push({ partition: b.partition, n: b.records.length });
      if (batches.length === 1) await held; // more records arrive while the first batch is handled
    });
    await producer.send(topic, records(2));
    await waitFor(() => batches.length === 1, 10_000, "the first batch");
    await producer.send(topic, records(100, 2));
    release();
    await waitFor(
      () => batches.reduce((n, b) => n + b.n, 0) === 102,
      10_000,
      "all 102 records handled",
    );
    expect(new Set(batches.map((b) => b.partition))).toEqual(new Set([0, 1]));
    // per batch, the old member committed each partition on its own
    expect(commits.length).toBeLessThan(batches.length);
    expect(Math.max(...commits)).toBe(2);
    // written, not fsynced: a power cut only makes the records handled again (consumer.ts)
    expect(synced).not.toContain(true);
  } finally {
    restore();
  }
});

test("a steady stream comes in rounds at most every lingerMs, not one per record", async () => {
  const topic = "rounds-steady";
  const lingerMs = 50;
  const bus = inProcessBus(env.broker.context, { lingerMs });
  const producer = bus.producer();
  let batches = 0;
  let handled = 0;
  const consumer = bus.consumer({ groupId: "g-steady", topics: [topic], fromBeginning: true });
  consumers.push(consumer);
  await consumer.run(async (b) => {
    batches++;
    handled += b.records.length;
  });
  await producer.send(topic, records(1)); // the member has joined once this is handled
  await waitFor(() => handled === 1, 10_000, "the first record");
  const before = batches;
  const t0 = performance.now();
  for (let i = 0; i < 150; i++) {
    await producer.send(topic, records(1, i));
    await Bun.sleep(2);
  }
  await waitFor(() => handled === 151, 10_000, "the stream handled");
  const elapsed = performance.now() - t0;
  // two partitions: at most two batches a round, a round at most every lingerMs
  expect(batches - before).toBeLessThanOrEqual(2 * (Math.ceil(elapsed / lingerMs) + 2));
  expect(batches - before).toBeLessThan(150);
});

test("what the member reads counts in iot_kafka_bytes_out_total, as a Fetch over TCP does", async () => {
  const topic = "bytes-out";
  const bus = inProcessBus(env.broker.context);
  const producer = bus.producer();
  const counter = env.broker.context.metrics.counter(
    "iot_kafka_bytes_out_total",
    "record bytes fetched",
  );
  const before = counter.get();
  let handled = 0;
  const consumer = bus.consumer({ groupId: "g-bytes", topics: [topic], fromBeginning: true });
  consumers.push(consumer);
  await consumer.run(async (b) => void (handled += b.records.length));
  await producer.send(
    topic,
    records(20).map((r) => ({ ...r, value: r.value.padEnd(1000, "x") })),
  );
  await waitFor(() => handled === 20, 10_000, "the records handled");
  // 20 values of 1,000 bytes, in their batches' framing
  expect(counter.get() - before).toBeGreaterThan(20_000);
  expect(env.broker.context.metrics.render()).toContain("iot_kafka_bytes_out_total");
});

test("a stop ends the pause between rounds: it does not wait out the linger", async () => {
  const topic = "stop-in-pause";
  const bus = inProcessBus(env.broker.context, { lingerMs: 120_000 });
  const producer = bus.producer();
  let handled = 0;
  const consumer = bus.consumer({ groupId: "g-stop-pause", topics: [topic], fromBeginning: true });
  await consumer.run(async (b) => void (handled += b.records.length));
  await producer.send(topic, records(1));
  await waitFor(() => handled === 1, 10_000, "the first round");
  // the member now pauses two minutes before its next round
  const stopped = await Promise.race([
    consumer.stop().then(() => "stopped"),
    Bun.sleep(30_000).then(() => "still pausing"),
  ]);
  expect(stopped).toBe("stopped");
});
