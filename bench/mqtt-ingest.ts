/**
 * bench/mqtt-ingest: MQTT publish → subscriber throughput and latency, QoS 0 and QoS 1, the
 * same load on three brokers in one run:
 *
 * - iot's embedded broker alone: bench/peers/mqtt-broker-alone.ts starts src/mqtt's broker the
 *   way `iot serve` does, without the publish hook (`iot serve` has no switch to turn the bridge
 *   off), so nothing goes to Kafka;
 * - the full `iot serve`: each PUBLISH goes through the bridge into the embedded Kafka broker
 *   (a QoS 1 PUBACK and the delivery wait for Kafka's ack), and the consumers store readings;
 * - Debian's Mosquitto (no queue or in-flight limits), the yardstick.
 *
 *   bun bench/mqtt-ingest.ts [--quick]
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../test/support/net.ts";
import { root, startServe, writeResult, type Row, tempDir } from "./lib.ts";
import { spawnListener, startMosquitto } from "./mosquitto.ts";
import { runLoad, type LoadResult } from "./mqtt-load.ts";
import { sampleProcess } from "./proc.ts";
import { fmt, fmtRatio, ratio } from "./stats.ts";

const quick = process.argv.includes("--quick");
const publishers = 4;
const window = 100;
const counts = { 0: quick ? 10_000 : 100_000, 1: quick ? 5_000 : 50_000 } as const;
/** the latency run: a load every broker carries without queueing */
const paced = { perSecond: 2_000, seconds: quick ? 2 : 5 };
const dir = tempDir("iot-bench-ingest-");

interface Broker {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function brokerAlone(): Promise<Broker> {
  const port = await freePort();
  const { pid, stop } = await spawnListener(
    [process.execPath, join(root, "bench/peers/mqtt-broker-alone.ts"), String(port)],
    port,
  );
  return { url: `mqtt://127.0.0.1:${port}`, pid, stop };
}

async function fullServe(): Promise<Broker> {
  const serve = await startServe(join(dir, "data"), "all");
  return { url: `mqtt://127.0.0.1:${serve.ports.mqtt}`, pid: serve.proc.pid, stop: serve.stop };
}

async function mosquitto(): Promise<Broker> {
  const m = await startMosquitto(dir);
  return { url: m.url, pid: m.pid, stop: m.stop };
}

/** `cpuPercent`: the broker's; `clientsCpuPercent`: this process's (the mqtt.js publishers and subscriber) */
type Measured = LoadResult & { cpuPercent: number; clientsCpuPercent: number; paced: LoadResult };
const results: Record<string, Partial<Record<0 | 1, Measured>>> = {};
const brokers = {
  "iot broker alone": brokerAlone,
  "iot serve (bridged to Kafka)": fullServe,
  Mosquitto: mosquitto,
};

try {
  for (const [name, start] of Object.entries(brokers)) {
    const broker = await start();
    results[name] = {};
    try {
      for (const qos of [0, 1] as const) {
        const load = { url: broker.url, qos, publishers, window };
        await runLoad({ ...load, count: 2_000, idleMs: 1000 }); // warm-up
        const cpu = sampleProcess(broker.pid);
        const clientsCpu = sampleProcess(process.pid);
        const r = await runLoad({ ...load, count: counts[qos] });
        const cpuPercent = cpu.stop().cpuPercent;
        const clientsCpuPercent = clientsCpu.stop().cpuPercent;
        const atRate = await runLoad({
          ...load,
          count: paced.perSecond * paced.seconds,
          perSecond: paced.perSecond,
        });
        results[name][qos] = { ...r, cpuPercent, clientsCpuPercent, paced: atRate };
        console.log(name, `QoS ${qos}`, JSON.stringify(results[name][qos]));
      }
    } finally {
      await broker.stop();
    }
  }

  const rows: Row[] = [];
  for (const qos of [0, 1] as const) {
    const m = results.Mosquitto![qos]!;
    for (const name of Object.keys(brokers)) {
      const r = results[name]![qos]!;
      rows.push({
        broker: name,
        QoS: qos,
        received: `${r.received.toLocaleString("en-US")} / ${r.sent.toLocaleString("en-US")}`,
        "msgs/s": fmt(r.msgsPerSecond),
        "broker CPU %": fmt(r.cpuPercent),
        "load generator CPU %": fmt(r.clientsCpuPercent),
        "p99 ms at full speed": fmt(r.p99Ms),
        [`p50 ms at ${fmt(paced.perSecond)}/s`]: fmt(r.paced.p50Ms),
        [`p99 ms at ${fmt(paced.perSecond)}/s`]: fmt(r.paced.p99Ms),
        "msgs/s ÷ Mosquitto":
          name === "Mosquitto" ? "1×" : fmtRatio(ratio(r.msgsPerSecond, m.msgsPerSecond)),
        [`p99 at ${fmt(paced.perSecond)}/s ÷ Mosquitto`]:
          name === "Mosquitto" ? "1×" : fmtRatio(ratio(r.paced.p99Ms, m.paced.p99Ms)),
      });
    }
  }
  const serve = results["iot serve (bridged to Kafka)"]!;
  const alone = results["iot broker alone"]!;
  const mosq = results.Mosquitto!;
  writeResult({
    name: "mqtt-ingest",
    title:
      `MQTT ingest: ${publishers} mqtt.js publishers (${window} in flight each) and one subscriber, ` +
      `${counts[0].toLocaleString("en-US")} QoS 0 / ${counts[1].toLocaleString("en-US")} QoS 1 messages, ` +
      "as fast as they can (throughput first publish → last delivery), then paced at " +
      `${fmt(paced.perSecond)} msgs/s for ${paced.seconds} s (latency publish → delivery without queueing)`,
    quick,
    tables: [{ caption: "Same load on each broker, one at a time", rows }],
    notes: [
      "“iot broker alone” is bench/peers/mqtt-broker-alone.ts: src/mqtt's `startMqttBroker` with " +
        "the options `iot serve` gives it on loopback but no publish hook (serve has no switch to " +
        "turn the bridge off), so nothing goes to Kafka. Mosquitto: `max_queued_messages 0`, " +
        "`max_inflight_messages 0`, no persistence.",
    ],
    limits:
      "The load generator is one Bun process (mqtt.js, JSON payloads) sharing the cores with the broker " +
      "(its CPU is the “load generator CPU %” column: 100 = one core), so Mosquitto (C, one thread) is " +
      "held back by the clients rather than by itself; aedes is " +
      "JavaScript on one thread, and in `iot serve` every publish also waits for the bridge's Kafka " +
      "produce (acks=-1, fsync) and shares the process with the consumers writing SQLite. Latency at " +
      "full speed is mostly time queued behind the window; the paced run shows the path itself.",
    headline: [0, 1].map((q) => {
      const qos = q as 0 | 1;
      return {
        measure: `MQTT QoS ${qos} publish → subscriber, msgs/s (p99 at ${fmt(paced.perSecond)}/s)`,
        iot: `${fmt(alone[qos]!.msgsPerSecond)} alone (${fmt(alone[qos]!.paced.p99Ms)} ms); ${fmt(serve[qos]!.msgsPerSecond)} bridged (${fmt(serve[qos]!.paced.p99Ms)} ms)`,
        yardstick: `Mosquitto ${fmt(mosq[qos]!.msgsPerSecond)} (${fmt(mosq[qos]!.paced.p99Ms)} ms)`,
        ratio: `${fmtRatio(ratio(alone[qos]!.msgsPerSecond, mosq[qos]!.msgsPerSecond))} / ${fmtRatio(ratio(serve[qos]!.msgsPerSecond, mosq[qos]!.msgsPerSecond))}`,
      };
    }),
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
