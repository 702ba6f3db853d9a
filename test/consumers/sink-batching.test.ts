/**
 * The readings sink on the in-process bus, the real embedded broker and a real SQLite file: a
 * fetched batch is one transaction; a poison record in it is dead-lettered alone while the others
 * are stored; a batch stored but not committed (the commit fails, as a crash would leave it) is
 * delivered again and stores nothing twice.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { useKafkaBroker } from "../support/kafka.ts";
import { waitFor } from "../support/wait.ts";
import { inProcessBus, type ConsumedBatch } from "../../src/bus/index.ts";
import { topics } from "../../src/core/kafka/topics.ts";
import { silentLogger } from "../../src/core/log/index.ts";
import { EventBus } from "../../src/events/index.ts";
import { MetricsRegistry } from "../../src/metrics/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { readingsSink } from "../../src/consumers/readings.ts";
import { runSink, type RunningSink } from "../../src/consumers/run-sink.ts";
import { engineOf } from "../support/sqlite-engine.ts";

const env = useKafkaBroker("iot-sink-batching-");
const running: RunningSink[] = [];
const stores: Store[] = [];
afterAll(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  stores.splice(0).forEach((s) => s.close());
});

const reading = (device: string, i: number) => ({
  key: device,
  value: JSON.stringify({ msg_id: `${device}-${i}`, ts: 1_800_000_000_000 + i, temperature: 20 }),
});
const count = (s: Store, device: string) =>
  (
    s.sqlite.query("SELECT count(*) AS n FROM readings WHERE device_id = ?").get(device) as {
      n: number;
    }
  ).n;

/** the readings sink on its own store, counting its transactions and the records it was handed */
async function start(name: string, topic: string) {
  const store = openStore(join(env.dirs.make(), "iot.db"));
  stores.push(store);
  let transactions = 0;
  const engine = engineOf(store.db);
  const real = engine.transaction.bind(engine);
  engine.transaction = ((fn: Parameters<typeof real>[0]) => {
    transactions++;
    return real(fn);
  }) as typeof real;
  const sink = readingsSink(engine, new EventBus());
  const handed: number[] = [];
  const partitions: number[] = [];
  const handle = sink.handle.bind(sink);
  sink.handle = (records, tx) => {
    handed.push(...records.map((r) => r.offset));
    partitions.push(...records.map((r) => r.partition));
    return handle(records, tx);
  };
  // an hour between heartbeats: a wake-up lost while a round awaits leaves records unread
  const bus = inProcessBus(env.broker.context, { maxWaitMs: 3_600_000 });
  const metrics = new MetricsRegistry();
  running.push(
    await runSink(
      { ...sink, name, topics: [topic] },
      { kafka: bus, deadLetters: bus.producer(), log: silentLogger, metrics },
    ),
  );
  return {
    store,
    handed,
    partitions,
    metrics,
    transactions: () => transactions,
    reader: bus,
    send: (records: ReturnType<typeof reading>[]) => bus.producer().send(topic, records),
  };
}

describe("the readings sink's batches (in-process bus)", () => {
  test("records fetched together are stored in one transaction, both partitions' at once", async () => {
    const s = await start("batching-one", "telemetry-one");
    // eight devices: both partitions, appended at once
    await s.send(Array.from({ length: 200 }, (_, i) => reading(`one-tx-${i % 8}`, i)));
    const stored = () =>
      (
        s.store.sqlite
          .query("SELECT count(*) AS n FROM readings WHERE device_id LIKE 'one-tx-%'")
          .get() as { n: number }
      ).n;
    await waitFor(() => stored() === 200, 20_000, "200 readings stored");
    expect(new Set(s.partitions)).toEqual(new Set([0, 1]));
    expect(s.transactions()).toBe(1);
    expect(s.handed).toHaveLength(200);
  });

  test("a poison record in a batch is dead-lettered alone; the others are stored", async () => {
    const s = await start("batching-poison", "telemetry-poison");
    const letters: ConsumedBatch["records"] = [];
    const reader = s.reader.consumer({
      groupId: "poison-letters",
      topics: [topics.deadLetter],
      fromBeginning: true,
    });
    await reader.run(async (b) => void letters.push(...b.records));
    try {
      const batch = Array.from({ length: 10 }, (_, i) => reading("poison", i));
      batch[4] = { key: "poison", value: "{not json" };
      await s.send(batch);
      await waitFor(() => count(s.store, "poison") === 9, 20_000, "the 9 good readings");
      await waitFor(
        () => letters.some((l) => l.key?.toString() === "poison"),
        20_000,
        "the dead letter",
      );
      const mine = letters.filter((l) => l.key?.toString() === "poison");
      expect(mine).toHaveLength(1);
      expect(mine[0]!.value!.toString()).toBe("{not json");
      expect(mine[0]!.headers.reason).toBeTruthy();
      expect(s.transactions()).toBe(1);
    } finally {
      await reader.stop();
    }
  });

  test("a batch stored but not committed comes again and stores nothing twice", async () => {
    const groups = env.broker.context.groups;
    const real = groups.commitOffsets.bind(groups);
    let refused = 0;
    // the store's transaction is done, the commit is not: what a crash between them leaves
    groups.commitOffsets = async (req) => {
      if (req.groupId === "iot-batching-redeliver" && refused === 0) {
        refused++;
        throw new Error("the process died before its commit");
      }
      return real(req);
    };
    try {
      const s = await start("batching-redeliver", "telemetry-again");
      await s.send(Array.from({ length: 50 }, (_, i) => reading("again", i)));
      await waitFor(() => s.handed.length >= 100, 20_000, "the batch handed over twice");
      expect(refused).toBe(1);
      expect(new Set(s.handed.map((o, i) => `${s.partitions[i]}@${o}`)).size).toBe(50);
      expect(count(s.store, "again")).toBe(50);
    } finally {
      groups.commitOffsets = real;
    }
  });
});
