/**
 * topic-recreation: offsets given again. Readings over MQTT 5 QoS 1 into `iot serve`; once they
 * are stored, a Kafka client (kafkajs admin) deletes `iot.telemetry` and more readings follow —
 * the bridge's next produce creates the topic again, from offset 0, where rows already exist.
 * Then the server is stopped and each `iot.telemetry` log is cut in the middle of a batch (what
 * a power loss leaves of an unsynced tail; the records cut were already stored), restarted, and
 * more readings follow at the freed offsets, with the consumers' committed offset past the end.
 * Every acknowledged reading must be stored exactly once.
 */
import { readdirSync, readFileSync, statSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { freePorts, removeDir, sleep, startServe, tempDir, type Serve } from "./lib.ts";
import { PublisherPool, type Message } from "./publishers.ts";
import { result } from "./result.ts";
import { countStored, readReadings, waitForAllStored } from "./store.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";

const name = "topic-recreation";

export const topicRecreation: Scenario = {
  name,
  description:
    "`iot.telemetry` deleted by a Kafka client between two MQTT QoS 1 loads, then its logs cut mid-batch while the server is down: new readings at offsets that already have rows are stored; every acknowledged reading once",
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const t0 = Date.now();
    const loadS = quick ? 3 : 15;
    const publishers = 4;
    const rate = 50;
    const dir = tempDir(name);
    const dataDir = join(dir, "data");
    const ports = await freePorts();
    const prefix = `chaos-recreate-${Date.now().toString(36)}`;
    const sent = new Map<string, Message>();
    const acked = new Map<string, Message>();
    const notes = [
      `${publishers} mqtt.js publishers (MQTT 5, QoS 1) at ${rate} msg/s each, ${loadS} s per phase: before the deletion, after it, after the cut`,
    ];
    let serve: Serve = await startServe({ dataDir, ports, logDir: dir });
    const admin = new Kafka({
      brokers: [`127.0.0.1:${ports.kafka}`],
      clientId: "chaos-deleter",
      logLevel: logLevel.NOTHING,
    }).admin();

    /** One load phase from its own devices (msg_ids restart per pool), until all stored. */
    const phase = async (label: string) => {
      const pool = new PublisherPool({
        url: `mqtt://127.0.0.1:${ports.mqtt}`,
        prefix: `${prefix}-${label}`,
        publishers,
        rate,
        window: 20,
      });
      try {
        await pool.start();
        await sleep(loadS * 1000);
        await pool.stop(30_000);
      } finally {
        await pool.close();
      }
      for (const [id, m] of pool.sent) sent.set(id, m);
      for (const [id, m] of pool.acked) acked.set(id, m);
      const complete = await waitForAllStored(dataDir, prefix, sent, acked, 60_000, 1_000);
      const c = countStored(sent, acked, readReadings(dataDir, prefix));
      log(`${name}: ${label}: ${pool.acked.size} acknowledged; ${c.lost} lost so far`);
      if (!complete) notes.push(`after ${label}: not every acknowledged reading stored in 60 s`);
      return pool.acked.size;
    };

    try {
      const first = await phase("before");
      await admin.connect();
      await admin.deleteTopics({ topics: ["iot.telemetry"], timeout: 5000 });
      await admin.disconnect();
      notes.push(`iot.telemetry deleted (kafkajs admin) after ${first} stored readings`);
      const second = await phase("recreated");
      notes.push(
        `${second} readings after the deletion; ${countReused(readReadings(dataDir, prefix).rows)} stored readings now share their (partition, offset) with another`,
      );

      await serve.stop();
      const cut = cutTails(join(dataDir, "kafka"));
      notes.push(
        `server stopped; ${cut.map((c) => `partition ${c.partition}: ${c.bytes} bytes cut (offsets from ${c.from} on)`).join(", ")}`,
      );
      serve = await startServe({ dataDir, ports, logDir: dir });
      const serveLog = join(
        dir,
        readdirSync(dir)
          .filter((f) => f.startsWith("serve-"))
          .sort()
          .at(-1)!,
      );
      const third = await phase("after-cut");
      const resets = readFileSync(serveLog, "utf8")
        .split("\n")
        .filter((l) => l.includes("consumer group offset reset") && l.includes("iot.telemetry"));
      notes.push(
        `${third} readings after the cut; ${resets.length} group offsets past the log end reset, e.g. ${resets[0]?.replace(/^\S+ \S+\s+/, "") ?? "none"}`,
      );
      notes.push(
        `at the end ${countReused(readReadings(dataDir, prefix).rows)} stored readings share their (partition, offset) with another`,
      );
      await serve.stop();
      const counts = countStored(sent, acked, readReadings(dataDir, prefix));
      return result(name, counts, t0, notes, cut.length > 0);
    } finally {
      await admin.disconnect().catch(() => {});
      await serve.stop();
      removeDir(dir);
    }
  },
};

/** Stored readings whose (partition, offset) another reading also has. */
function countReused(rows: Array<{ partition: number | null; offset: number | null }>): number {
  const seen = new Map<string, number>();
  for (const r of rows)
    seen.set(`${r.partition}@${r.offset}`, (seen.get(`${r.partition}@${r.offset}`) ?? 0) + 1);
  return [...seen.values()].filter((n) => n > 1).reduce((a, n) => a + n, 0);
}

/** Cuts each non-empty iot.telemetry log 20 bytes into the batch at its middle. */
function cutTails(kafkaDir: string) {
  const cuts: Array<{ partition: number; bytes: number; from: number }> = [];
  for (const d of readdirSync(kafkaDir).filter((d) => d.startsWith("iot.telemetry-"))) {
    const segments = readdirSync(join(kafkaDir, d))
      .filter((f) => f.endsWith(".log"))
      .sort();
    const file = join(kafkaDir, d, segments.at(-1)!);
    const size = statSync(file).size;
    if (size === 0) continue;
    const bytes = readFileSync(file);
    const starts: Array<[number, number]> = []; // [position, base offset]
    for (let pos = 0; pos + 12 <= size; pos += 12 + bytes.readInt32BE(pos + 8)) {
      starts.push([pos, Number(bytes.readBigInt64BE(pos))]);
    }
    const [pos, from] = starts[Math.floor(starts.length / 2)]!;
    truncateSync(file, pos + 20);
    cuts.push({
      partition: Number(d.slice("iot.telemetry-".length)),
      bytes: size - pos - 20,
      from,
    });
  }
  return cuts;
}
