/**
 * slow-clients: during an MQTT QoS 1 load, dashboard SSE clients that never read their sockets
 * and a kafkajs consumer (own group) that sleeps on every batch. `iot serve`'s RSS must stay
 * bounded, and every acknowledged reading must still be stored once.
 */
import { Kafka, logLevel } from "kafkajs";
import { join } from "node:path";
import { freePorts, removeDir, rssMb, sleep, spawnTracked, startServe, tempDir } from "./lib.ts";
import { PublisherPool } from "./publishers.ts";
import { result } from "./result.ts";
import { countStored, readReadings, waitForAllStored } from "./store.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";

const name = "slow-clients";
/** RSS may grow at most this much over the run (from the sample after warm-up) … */
const maxGrowthMb = 64;
/** … and at most this much across its last third (flat: no steady leak) */
const maxLastThirdMb = 16;

export const slowClients: Scenario = {
  name,
  description: `SSE dashboard clients that never read and a kafkajs consumer that sleeps per batch, during an MQTT QoS 1 load: \`iot serve\`'s RSS grows < ${maxGrowthMb} MB and < ${maxLastThirdMb} MB over the last third; every acknowledged reading is stored once`,
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const t0 = Date.now();
    const durationS = quick ? 20 : 90;
    const sseClients = 10;
    const dir = tempDir(name);
    const dataDir = join(dir, "data");
    const serve = await startServe({ dataDir, ports: await freePorts(), logDir: dir });
    const { http, mqtt, kafka: kafkaPort } = serve.ports;
    const prefix = `chaos-slow-${Date.now().toString(36)}`;
    const pool = new PublisherPool({
      url: `mqtt://127.0.0.1:${mqtt}`,
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
      await pool.start();
      await sleep(5000); // warm-up: JIT, SQLite cache, first renders
      const loadEnd = Date.now() + durationS * 1000;
      while (Date.now() < loadEnd) {
        samples.push(rssMb(serve.proc.pid));
        await sleep(1000);
      }
      const sendQ = await socketQueues(http);
      await pool.stop(30_000);
      const complete = await waitForAllStored(dataDir, prefix, pool.sent, pool.acked, 60_000);
      await consumer.disconnect();
      stalled.kill("SIGKILL");
      await pool.close();
      await serve.stop();
      const counts = countStored(pool.sent, pool.acked, readReadings(dataDir, prefix));
      const base = samples[0]!;
      const peak = Math.max(...samples);
      const third = samples.slice(Math.floor((samples.length * 2) / 3));
      const lastThird = median(third.slice(-5)) - median(third.slice(0, 5));
      const bounded = peak - base < maxGrowthMb && lastThird < maxLastThirdMb;
      const every = Math.max(1, Math.round(samples.length / 12));
      const notes = [
        `8 mqtt.js publishers at 25 msg/s each for ${durationS} s; ${sseClients} SSE clients on /events?view=overview that never read; a kafkajs consumer (own group) sleeping 2 s per batch`,
        `RSS after warm-up ${base.toFixed(1)} MB, peak ${peak.toFixed(1)} MB (+${(peak - base).toFixed(1)}, bound ${maxGrowthMb}), change over the last third ${lastThird.toFixed(1)} MB (bound ${maxLastThirdMb})`,
        `RSS samples (MB, every ${every} s): ${samples
          .filter((_, i) => i % every === 0)
          .map((x) => x.toFixed(0))
          .join(", ")}`,
        `bytes queued in the kernel toward the stalled SSE clients at the end: ${sendQ.join(", ") || "none found"}`,
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
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
