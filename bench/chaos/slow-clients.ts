/**
 * slow-clients: during an MQTT QoS 1 load, dashboard SSE clients that never read their sockets
 * and a kafkajs consumer (own group) that sleeps on every batch. `iot serve`'s RSS must stay
 * bounded, and every acknowledged reading must still be stored once.
 */
import { Kafka, logLevel } from "kafkajs";
import mqtt from "mqtt";
import { join } from "node:path";
import { freePorts, removeDir, rssMb, sleep, spawnTracked, startServe, tempDir } from "./lib.ts";
import { PublisherPool } from "./publishers.ts";
import { result } from "./result.ts";
import { countStored, readReadings, waitForAllStored } from "./store.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";

const name = "slow-clients";
/** RSS may grow at most this much over the run (from the sample after warm-up) … */
const maxGrowthMb = 64;
/** … and its floor (the lowest sample, after GC) may rise at most this much from the middle
 * third of the run to the last (flat: no steady leak under the GC sawtooth) */
const maxFloorRiseMb = 16;
/** devices with a reading, so the overview page (up to 100 of them) is a sizeable event */
const fleet = 100;

export const slowClients: Scenario = {
  name,
  description: `SSE dashboard clients that never read and a kafkajs consumer that sleeps per batch, during an MQTT QoS 1 load: \`iot serve\`'s RSS grows < ${maxGrowthMb} MB and < ${maxFloorRiseMb} MB in its last third; every acknowledged reading is stored once`,
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const t0 = Date.now();
    const durationS = quick ? 20 : 80;
    const sseClients = 10;
    const dir = tempDir(name);
    const dataDir = join(dir, "data");
    const serve = await startServe({ dataDir, ports: await freePorts(), logDir: dir });
    const { http, mqtt: mqttPort, kafka: kafkaPort } = serve.ports;
    const prefix = `chaos-slow-${Date.now().toString(36)}`;
    const pool = new PublisherPool({
      url: `mqtt://127.0.0.1:${mqttPort}`,
      prefix,
      publishers: 8,
      rate: 25,
      window: 10,
    });
    // bash holds the sockets open and never reads one byte of the responses
    const connects = Array.from(
      { length: sseClients },
      (_, i) =>
        `exec ${i + 3}<>/dev/tcp/127.0.0.1/${http}; printf 'GET /events?view=overview HTTP/1.1\\r\\nHost: x\\r\\nAccept: text/event-stream\\r\\n\\r\\n' >&${i + 3}`,
    );
    const stalled = spawnTracked(
      ["bash", "-c", `${connects.join("; ")}; exec sleep 100000`],
      join(dir, "sse.log"),
    );
    const kafka = new Kafka({
      clientId: "chaos-slow",
      brokers: [`127.0.0.1:${kafkaPort}`],
      logLevel: logLevel.NOTHING,
    });
    // small fetches: the consumer falls behind the load instead of catching up in big batches
    const consumer = kafka.consumer({
      groupId: `chaos-slow-${Date.now()}`,
      maxBytesPerPartition: 16 << 10,
      maxBytes: 32 << 10,
    });
    let slowRecords = 0;
    let slowBatches = 0;
    const samples: number[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: "iot.telemetry", fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch, heartbeat }) => {
          slowBatches++;
          slowRecords += batch.messages.length;
          await sleep(2000);
          await heartbeat();
        },
      });
      await publishFleet(`mqtt://127.0.0.1:${mqttPort}`, `chaos-fleet-${Date.now().toString(36)}`);
      await pool.start();
      await sleep(5000); // warm-up: JIT, SQLite cache, first renders
      const loadEnd = Date.now() + durationS * 1000;
      const queued: number[] = [];
      while (Date.now() < loadEnd) {
        samples.push(rssMb(serve.proc.pid));
        if (samples.length % 10 === 0) queued.push(Math.max(0, ...(await socketQueues(http))));
        await sleep(1000);
      }
      await pool.stop(30_000);
      const complete = await waitForAllStored(dataDir, prefix, pool.sent, pool.acked, 60_000);
      await consumer.disconnect();
      stalled.kill("SIGKILL");
      await pool.close();
      await serve.stop();
      const counts = countStored(pool.sent, pool.acked, readReadings(dataDir, prefix));
      const base = samples[0]!;
      const peak = Math.max(...samples);
      const cut = (a: number, b: number) =>
        samples.slice(Math.floor((samples.length * a) / 3), Math.floor((samples.length * b) / 3));
      const floorRise = Math.min(...cut(2, 3)) - Math.min(...cut(1, 2));
      const bounded = peak - base < maxGrowthMb && floorRise < maxFloorRiseMb;
      const every = Math.max(1, Math.round(samples.length / 12));
      const notes = [
        `8 mqtt.js publishers at 25 msg/s each for ${durationS} s (after one reading from each of ${fleet} other devices, so the overview event is large); ${sseClients} SSE clients on /events?view=overview that never read; a kafkajs consumer (own group) sleeping 2 s per batch`,
        `RSS after warm-up ${base.toFixed(1)} MB, peak ${peak.toFixed(1)} MB (+${(peak - base).toFixed(1)}, bound ${maxGrowthMb}); lowest sample of the middle third ${Math.min(...cut(1, 2)).toFixed(1)} MB, of the last third ${Math.min(...cut(2, 3)).toFixed(1)} MB (rise ${floorRise.toFixed(1)}, bound ${maxFloorRiseMb})`,
        `RSS samples (MB, every ${every} s): ${samples
          .filter((_, i) => i % every === 0)
          .map((x) => x.toFixed(0))
          .join(", ")}`,
        `largest Send-Q toward a stalled SSE client, every 10 s (bytes): ${queued.join(", ")}; once it stops growing the kernel buffers are full and the server holds the rest`,
        `the slow consumer took ${slowRecords} records in ${slowBatches} batches while ${pool.acked.size} were acknowledged`,
      ];
      if (!complete) notes.push("not every acknowledged message was stored within 60 s");
      return result(name, counts, t0, notes, bounded);
    } finally {
      stalled.kill("SIGKILL");
      await consumer.disconnect().catch(() => {});
      await pool.close();
      await serve.stop();
      removeDir(dir);
    }
  },
};

async function publishFleet(url: string, prefix: string): Promise<void> {
  const c = await mqtt.connectAsync(url, { clientId: prefix });
  await Promise.all(
    Array.from({ length: fleet }, (_, i) =>
      c.publishAsync(`iot/${prefix}-${i}/telemetry`, JSON.stringify({ temperature: 20 }), {
        qos: 1,
      }),
    ),
  );
  await c.endAsync();
}

/** Send-Q of the server's established connections on `port` (from `ss`), largest first. */
async function socketQueues(port: number): Promise<number[]> {
  const p = Bun.spawn(["ss", "-tnH", "state", "established", `( sport = :${port} )`], {
    stdout: "pipe",
    stderr: "ignore",
  });
  const out = await new Response(p.stdout).text();
  await p.exited;
  return out
    .trim()
    .split("\n")
    .map((l) => Number(l.trim().split(/\s+/)[1]))
    .filter((n) => n > 0)
    .sort((a, b) => b - a);
}
