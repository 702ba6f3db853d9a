/**
 * bench/kafka-broker: the embedded Kafka-API broker's produce/consume throughput with kcat
 * (librdkafka) and kafkajs, 100-byte and 10 KB messages, and acks=-1 produce latency — measured
 * in one run beside the disk's own sequential write rate (dd … conv=fdatasync).
 *
 *   bun bench/kafka-broker.ts [--quick]
 *
 * The broker runs as `iot serve --role brokers` in its own process with its defaults
 * (fsync=always, group commit). Prints Markdown tables and writes bench/results/kafka-broker.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { ddWriteMBps, percentile, startServe, timed, writeResult, type Row } from "./lib.ts";
import { fmt, fmtRatio, ratio } from "./stats.ts";

const quick = process.argv.includes("--quick");
const scale = quick ? 0.1 : 1;
const dir = mkdtempSync(join(tmpdir(), "iot-bench-kafka-"));
const rows: Row[] = [];
let latency: Row = {};

function lineFile(name: string, count: number, size: number): string {
  const path = join(dir, name);
  const line = Buffer.alloc(size, "x");
  line[size - 1] = 0x0a;
  const chunk = Buffer.concat(Array.from({ length: Math.min(count, 1000) }, () => line));
  const parts: Buffer[] = [];
  for (let left = count; left > 0; left -= 1000)
    parts.push(left >= 1000 ? chunk : chunk.subarray(0, left * size));
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

try {
  const diskMBps = await ddWriteMBps(dir, quick ? 256 : 1024);
  rows.push({ test: "disk: dd bs=1M conv=fdatasync", messages: 0, "msgs/s": 0, "MB/s": diskMBps });

  const serve = await startServe(join(dir, "data"), "brokers");
  try {
    for (const [size, count] of [
      [100, Math.round(1_000_000 * scale)],
      [10_240, Math.round(30_000 * scale)],
    ] as const) {
      const topic = `kcat-${size}`;
      const file = lineFile(`${topic}.txt`, count, size);
      const p = await timed([
        "kcat",
        "-b",
        serve.kafka,
        "-P",
        "-t",
        topic,
        "-l",
        file,
        "-X",
        "linger.ms=10",
      ]);
      rows.push({
        test: `kcat produce ${size} B (acks=-1)`,
        messages: count,
        "msgs/s": count / p.seconds,
        "MB/s": (count * size) / p.seconds / 1e6,
      });
      const c = await timed([
        "kcat",
        "-b",
        serve.kafka,
        "-C",
        "-t",
        topic,
        "-o",
        "beginning",
        "-e",
        "-q",
      ]);
      rows.push({
        test: `kcat consume ${size} B`,
        messages: count,
        "msgs/s": count / c.seconds,
        "MB/s": (count * size) / c.seconds / 1e6,
      });
    }

    const kafka = new Kafka({
      clientId: "bench",
      brokers: [serve.kafka],
      logLevel: logLevel.NOTHING,
    });
    for (const [size, count, perSend] of [
      [100, Math.round(200_000 * scale), 1000],
      [10_240, Math.round(20_000 * scale), 50],
    ] as const) {
      const topic = `kafkajs-${size}`;
      const value = Buffer.alloc(size, "y");
      const producer = kafka.producer();
      await producer.connect();
      const t0 = performance.now();
      let sent = 0;
      const worker = async () => {
        while (sent < count) {
          const n = Math.min(perSend, count - sent);
          sent += n;
          await producer.send({
            topic,
            acks: -1,
            compression: CompressionTypes.None,
            messages: Array.from({ length: n }, () => ({ value })),
          });
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      const ps = (performance.now() - t0) / 1000;
      await producer.disconnect();
      rows.push({
        test: `kafkajs produce ${size} B (acks=-1)`,
        messages: count,
        "msgs/s": count / ps,
        "MB/s": (count * size) / ps / 1e6,
      });

      const consumer = kafka.consumer({ groupId: `bench-${size}`, maxBytes: 50 << 20 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let got = 0;
      const c0 = performance.now();
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachBatch: async ({ batch }) => {
            got += batch.messages.length;
            if (got >= count) resolve();
          },
        });
      });
      const cs = (performance.now() - c0) / 1000;
      await consumer.disconnect();
      rows.push({
        test: `kafkajs consume ${size} B`,
        messages: count,
        "msgs/s": count / cs,
        "MB/s": (count * size) / cs / 1e6,
      });
    }

    const producer = kafka.producer();
    await producer.connect();
    const latencies: number[] = [];
    for (let i = 0; i < (quick ? 300 : 3000); i++) {
      const t0 = performance.now();
      await producer.send({
        topic: "latency",
        acks: -1,
        messages: [{ value: Buffer.alloc(100, "z") }],
      });
      latencies.push(performance.now() - t0);
    }
    await producer.disconnect();
    latencies.sort((a, b) => a - b);
    latency = {
      test: "kafkajs produce 100 B, acks=-1, one in flight",
      sends: latencies.length,
      "p50 ms": fmt(percentile(latencies, 50)),
      "p99 ms": fmt(percentile(latencies, 99)),
    };
  } finally {
    await serve.stop();
  }

  const disk = rows[0]!["MB/s"] as number;
  const find = (test: string) => rows.find((r) => r.test === test)!;
  const kcat100 = find("kcat produce 100 B (acks=-1)");
  const kcat10k = find("kcat produce 10240 B (acks=-1)");
  writeResult({
    name: "kafka-broker",
    title:
      "The embedded Kafka-API broker (`iot serve --role brokers`, fsync always, group commit): " +
      "kcat and kafkajs produce and consume, 100 B and 10 KB records, beside the disk's own write rate",
    quick,
    tables: [
      {
        caption: "Throughput (the disk's dd rate is the yardstick for produce MB/s)",
        rows: rows.map((r) => ({
          test: r.test!,
          messages: fmt(r.messages as number),
          "msgs/s": r["msgs/s"] ? fmt(r["msgs/s"] as number) : "—",
          "MB/s": fmt(r["MB/s"] as number),
          "MB/s ÷ disk": / produce/.test(String(r.test))
            ? fmtRatio(ratio(r["MB/s"] as number, disk))
            : "—",
        })),
      },
      { caption: "Produce latency", rows: [latency] },
    ],
    limits:
      "Small records: the client's encoding and the broker's per-request work (one JavaScript " +
      "thread; kcat on the other core). Large records: the disk, every acks=-1 produce waiting for " +
      "fdatasync (shared by concurrent producers). Consume reads the stored batches back as they are.",
    headline: [
      {
        measure: "Kafka produce, kcat 100 B, acks=-1",
        iot: `${fmt(kcat100["msgs/s"] as number)} msgs/s`,
        yardstick: "—",
        ratio: "—",
      },
      {
        measure: "Kafka produce, kcat 10 KB, acks=-1, MB/s",
        iot: fmt(kcat10k["MB/s"] as number),
        yardstick: `disk, dd conv=fdatasync: ${fmt(disk)}`,
        ratio: fmtRatio(ratio(kcat10k["MB/s"] as number, disk)),
      },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
