import { afterEach, describe, expect, test } from "bun:test";
import {
  KafkaJSNonRetriableError,
  KafkaJSProtocolError,
  type Producer,
  type ProducerBatch,
} from "kafkajs";
import { tempDirs } from "../../test/support/temp.ts";
import { silentLogger } from "../core/log/index.ts";
import { wrapKafkajsProducer } from "../bus/index.ts";
import { KafkaWriter } from "./kafka-writer.ts";
import type { KafkaRecord } from "./mapping.ts";
import { Spool } from "./spool.ts";

const dirs = tempDirs("iot-writer-");
afterEach(() => dirs.cleanup());

const rec = (i: number, topic = "iot.telemetry"): KafkaRecord => ({
  topic,
  key: `k${i}`,
  value: Buffer.from(`v${i}`),
  headers: {},
});

/** A producer whose every sendBatch waits until the test settles it. */
function fakeProducer() {
  const calls: Array<{ batch: ProducerBatch; settle: (err?: Error) => void }> = [];
  let failing = false;
  const fake = {
    sendBatch: (batch: ProducerBatch) =>
      new Promise((resolve, reject) => {
        if (failing) return reject(new Error("connect ECONNREFUSED"));
        calls.push({ batch, settle: (err) => (err ? reject(err) : resolve([])) });
      }),
  } as unknown as Producer;
  const keys = (from = 0) =>
    calls
      .slice(from)
      .flatMap((c) => c.batch.topicMessages!.flatMap((t) => t.messages.map((m) => m.key)));
  return {
    producer: wrapKafkajsProducer(fake),
    calls,
    keys,
    setFailing: (f: boolean) => (failing = f),
  };
}

/** kafkajs's runtime constructor also takes the cause; its typings do not say so */
const NonRetriable = KafkaJSNonRetriableError as unknown as new (
  e: Error,
  o: { cause: Error },
) => Error;

const settled = (p: Promise<unknown>) =>
  Promise.race([p.then(() => true), Bun.sleep(30).then(() => false)]);

describe("KafkaWriter", () => {
  test("a burst shares one sendBatch, grouped by topic; acks wait for Kafka", async () => {
    const kafka = fakeProducer();
    const writer = new KafkaWriter(kafka.producer, new Spool(dirs.make(), 1 << 20), silentLogger);
    const acks = Array.from({ length: 500 }, (_, i) =>
      writer.write(rec(i, i % 2 ? "iot.image" : "iot.telemetry")),
    );
    await Bun.sleep(5);
    expect(kafka.calls).toHaveLength(1);
    const { batch } = kafka.calls[0]!;
    expect(batch.acks).toBe(-1);
    expect(batch.topicMessages!.map((t) => [t.topic, t.messages.length])).toEqual([
      ["iot.telemetry", 250],
      ["iot.image", 250],
    ]);
    expect(await settled(acks[0]!)).toBe(false); // no ack before Kafka's
    kafka.calls[0]!.settle();
    await Promise.all(acks);
    expect(writer.counts).toEqual({ sent: 500, spooled: 0, drained: 0, rejected: 0 });
    await writer.close();
  });

  test("while batches are in flight, newcomers gather into the next batch", async () => {
    const kafka = fakeProducer();
    const writer = new KafkaWriter(kafka.producer, new Spool(dirs.make(), 1 << 20), silentLogger, {
      maxInFlight: 1,
    });
    const first = writer.write(rec(0));
    await Bun.sleep(1);
    const rest = [1, 2, 3].map((i) => writer.write(rec(i)));
    await Bun.sleep(10);
    expect(kafka.calls).toHaveLength(1);
    kafka.calls[0]!.settle();
    await first;
    await Bun.sleep(5);
    expect(kafka.keys(1)).toEqual(["k1", "k2", "k3"]);
    kafka.calls[1]!.settle();
    await Promise.all(rest);
    await writer.close();
  });

  test("Kafka down: records are acked once spooled, then drained in arrival order", async () => {
    const kafka = fakeProducer();
    const spool = new Spool(dirs.make(), 1 << 20);
    const writer = new KafkaWriter(kafka.producer, spool, silentLogger, { retryAfterMs: 40 });
    const ok = writer.write(rec(0));
    await Bun.sleep(1);
    kafka.calls[0]!.settle();
    await ok;

    kafka.setFailing(true);
    await writer.write(rec(1)); // resolves: spooled after the failed send
    expect(writer.kafkaDown).toBe(true);
    await Promise.all([2, 3, 4].map((i) => writer.write(rec(i))));
    expect(spool.length).toBe(4);
    expect(writer.counts.spooled).toBe(4);

    kafka.setFailing(false);
    const late = writer.write(rec(5)); // behind the backlog, not ahead of it
    for (let i = 0; i < 100 && spool.length > 0; i++) {
      await Bun.sleep(10);
      for (const c of kafka.calls.slice(1)) c.settle();
    }
    await late;
    expect(spool.length).toBe(0);
    expect(kafka.keys(1)).toEqual(["k1", "k2", "k3", "k4", "k5"]);
    expect(writer.counts.drained).toBe(5);
    await writer.close();
  });

  test("a send past its deadline is acked from the spool; a late Kafka ack drops the copies", async () => {
    const kafka = fakeProducer();
    const spool = new Spool(dirs.make(), 1 << 20);
    const writer = new KafkaWriter(kafka.producer, spool, silentLogger, {
      sendTimeoutMs: 30,
      retryAfterMs: 10,
    });
    await Promise.all([writer.write(rec(1)), writer.write(rec(2))]); // acked after ~30 ms
    expect(spool.length).toBe(2);
    await writer.write(rec(3)); // behind the backlog
    await Bun.sleep(50);
    expect(kafka.calls).toHaveLength(1); // nothing drains while the first send is unsettled
    kafka.calls[0]!.settle(); // Kafka took k1, k2 after all
    for (let i = 0; i < 50 && kafka.calls.length < 2; i++) await Bun.sleep(5);
    kafka.calls[1]!.settle();
    await Bun.sleep(10);
    expect(kafka.keys()).toEqual(["k1", "k2", "k3"]); // not k1, k2 twice
    expect(spool.length).toBe(0);
    await writer.close();
  });

  test("records queued behind a send past its deadline are spooled with it, not at the next retry", async () => {
    const kafka = fakeProducer();
    const spool = new Spool(dirs.make(), 1 << 20);
    const writer = new KafkaWriter(kafka.producer, spool, silentLogger, {
      sendTimeoutMs: 30,
      retryAfterMs: 60_000, // the retry timer cannot be what spools them
    });
    const first = writer.write(rec(1));
    await Bun.sleep(1); // its send is in flight
    expect(kafka.calls).toHaveLength(1);
    const queued = [writer.write(rec(2)), writer.write(rec(3))]; // one send in flight: they wait
    await first;
    expect(await settled(Promise.all(queued))).toBe(true);
    expect(spool.length).toBe(3);
    expect(kafka.calls).toHaveLength(1);
    kafka.calls[0]!.settle(new Error("connection closed"));
    await writer.close();
  });

  test("a send past its deadline that then fails is drained from the spool", async () => {
    const kafka = fakeProducer();
    const spool = new Spool(dirs.make(), 1 << 20);
    const writer = new KafkaWriter(kafka.producer, spool, silentLogger, {
      sendTimeoutMs: 30,
      retryAfterMs: 10,
    });
    await writer.write(rec(1));
    kafka.calls[0]!.settle(new Error("connection closed"));
    for (let i = 0; i < 50 && kafka.calls.length < 2; i++) await Bun.sleep(5);
    kafka.calls[1]!.settle();
    await Bun.sleep(10);
    expect(kafka.keys()).toEqual(["k1", "k1"]); // the failed attempt, then the drain
    expect(spool.length).toBe(0);
    await writer.close();
  });

  test("batches stay under maxBatchBytes; a bigger record goes alone", async () => {
    const kafka = fakeProducer();
    const writer = new KafkaWriter(kafka.producer, new Spool(dirs.make(), 1 << 20), silentLogger, {
      maxBatchBytes: 1000,
      maxInFlight: 8,
    });
    const big = (i: number): KafkaRecord => ({
      ...rec(i),
      value: Buffer.alloc(i === 3 ? 5000 : 300),
    });
    const acks = [0, 1, 2, 3, 4, 5].map((i) => writer.write(big(i)));
    await Bun.sleep(5);
    for (const c of kafka.calls) c.settle();
    await Promise.all(acks);
    const sizes = kafka.calls.map((c) => c.batch.topicMessages![0]!.messages.map((m) => m.key));
    expect(sizes).toEqual([["k0", "k1"], ["k2"], ["k3"], ["k4", "k5"]]);
    await writer.close();
  });

  test("headers count toward maxBatchBytes (user properties can outweigh the payload)", async () => {
    const kafka = fakeProducer();
    const writer = new KafkaWriter(kafka.producer, new Spool(dirs.make(), 1 << 20), silentLogger, {
      maxBatchBytes: 1000,
      maxInFlight: 8,
    });
    const heavy = (i: number): KafkaRecord => ({ ...rec(i), headers: { note: "x".repeat(400) } });
    const acks = [0, 1, 2, 3].map((i) => writer.write(heavy(i)));
    await Bun.sleep(5);
    for (const c of kafka.calls) c.settle();
    await Promise.all(acks);
    const keys = kafka.calls.map((c) => c.batch.topicMessages![0]!.messages.map((m) => m.key));
    expect(keys).toEqual([["k0"], ["k1"], ["k2"], ["k3"]]); // ~512 bytes each: one per batch
    await writer.close();
  });

  test("a record Kafka refuses for good is dropped and counted; the rest of its batch goes on", async () => {
    const sent: Array<string | null> = [];
    const producer = {
      sendBatch: async (batch: ProducerBatch) => {
        const keys = batch.topicMessages!.flatMap((t) => t.messages.map((m) => String(m.key)));
        if (keys.includes("k2")) {
          const cause = new KafkaJSProtocolError({
            message: "message too large",
            type: "MESSAGE_TOO_LARGE",
            code: 10,
            retriable: false,
          } as never);
          throw keys.length > 1 ? cause : new NonRetriable(cause, { cause }); // both shapes occur
        }
        sent.push(...keys);
        return [];
      },
    } as unknown as Producer;
    const spool = new Spool(dirs.make(), 1 << 20);
    const writer = new KafkaWriter(wrapKafkajsProducer(producer), spool, silentLogger);
    await Promise.all([1, 2, 3].map((i) => writer.write(rec(i))));
    expect(sent).toEqual(["k1", "k3"]);
    expect(writer.counts).toMatchObject({ sent: 2, rejected: 1, spooled: 0 });
    expect(writer.kafkaReachable).toBe(true);
    expect(spool.length).toBe(0);
    await writer.close();
  });

  test("no acknowledgement when the record is durable nowhere", async () => {
    const kafka = fakeProducer();
    kafka.setFailing(true);
    const spool = new Spool(dirs.make(), 1 << 20);
    spool.close(); // appends now fail
    const writer = new KafkaWriter(kafka.producer, spool, silentLogger);
    await expect(writer.write(rec(1))).rejects.toThrow();
    await writer.close();
  });
});
