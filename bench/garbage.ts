/**
 * bench/garbage: the JavaScript garbage one reading leaves on its way in — what feeds the GC,
 * the `JSCWarmUp` thread (it pre-faults fresh heap blocks) and `mi-scavenger` (mimalloc giving
 * freed pages back) — per stage, one record per send as at 1,000 readings/s from one device.
 * Each stage runs in its own process with `BUN_JSC_logGC=1`: warmed up, then N calls between two
 * marks, and the GC log says what was allocated (bench/gc-log.ts). Bytes, not time: the figure
 * holds on a busy machine, so an A/B of a change is two runs of this.
 *
 *   bun bench/garbage.ts [--quick] [stage …]
 *
 * With no stage named it writes bench/results/garbage.json (`npm run bench -- garbage`).
 */
import { join } from "node:path";
import { startBridge } from "../src/bridge/bridge.ts";
import { defaultRules, mapMessage } from "../src/bridge/mapping.ts";
import { inProcessBus } from "../src/bus/in-process/index.ts";
import { msgIdGenerator } from "../src/contracts/msg-id.ts";
import { topics, seedPartitions } from "../src/core/kafka/topics.ts";
import { silentLogger } from "../src/core/log/index.ts";
import { startKafkaBroker } from "../src/kafka/broker/index.ts";
import { MetricsRegistry } from "../src/metrics/index.ts";
import { allocatedBetween } from "./gc-log.ts";
import { tempDir, writeResult, type Row } from "./lib.ts";

const quick = process.argv.includes("--quick");
const calls = quick ? 1_000 : 5_000;
const payload = Buffer.from(`{"ts":${Date.now()},"temperature":21}`);
const mqttTopic = "iot/bench-0/telemetry";

/** Each stage: what one reading costs there, made ready in the child process. */
const stages: Record<string, () => Promise<() => unknown>> = {
  // the loop and an await alone: subtracted from the others
  nothing: async () => () => {},
  "bridge mapping (mapMessage)": async () => {
    const newMsgId = msgIdGenerator();
    return () => mapMessage(defaultRules, mqttTopic, payload, Date.now(), { newMsgId });
  },
  "in-process send of one record (fsync included)": async () => {
    const bus = inProcessBus((await embeddedKafka()).context);
    const producer = bus.producer();
    const record = {
      key: "bench-0",
      value: payload,
      headers: { mqtt_topic: mqttTopic, received_at: "1", device_id: "bench-0", msg_id: "x-1" },
    };
    return () => producer.send(topics.telemetry, [record]);
  },
  "bridge, MQTT message to durable record": async () => {
    const dir = tempDir("iot-bench-garbage-");
    const bus = inProcessBus((await embeddedKafka(dir)).context);
    const metrics = new MetricsRegistry();
    const bridge = await startBridge({ kafka: bus, dataDir: dir, log: silentLogger, metrics });
    return () => bridge.handle(mqttTopic, payload);
  },
};

/** The embedded broker with the product's topics (`iot serve` creates them all at start). */
async function embeddedKafka(dir = tempDir("iot-bench-garbage-")) {
  const broker = await startKafkaBroker({
    host: "127.0.0.1",
    port: 0,
    dataDir: join(dir, "kafka"),
  });
  for (const t of Object.values(topics)) broker.logs.createTopic(t, seedPartitions);
  return broker;
}

const child = process.env.IOT_BENCH_GARBAGE_STAGE;
if (child) {
  const call = await stages[child]!();
  for (let i = 0; i < 2_000; i++) await call(); // past the JIT's tiers and first-use caches
  Bun.gc(true);
  process.stderr.write("GARBAGE-BEGIN\n");
  for (let i = 0; i < calls; i++) await call();
  process.stderr.write("GARBAGE-END\n");
  Bun.gc(true);
  process.exit(0);
}

async function measure(stage: string): Promise<number> {
  const proc = Bun.spawn([process.execPath, import.meta.path, ...process.argv.slice(2)], {
    env: { ...process.env, IOT_BENCH_GARBAGE_STAGE: stage, BUN_JSC_logGC: "1" },
    stdout: "ignore",
    stderr: "pipe",
  });
  const [log, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`stage '${stage}' exited ${code}:\n${log.slice(-2000)}`);
  return allocatedBetween(log, "GARBAGE-BEGIN", "GARBAGE-END") / calls;
}

const asked = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const base = await measure("nothing");
console.log(
  `JS heap garbage per reading (${calls} calls each; the loop's own ${base.toFixed(0)} B subtracted)`,
);
const rows: Row[] = [];
for (const stage of Object.keys(stages).filter((s) => s !== "nothing")) {
  if (asked.length && !asked.some((a) => stage.includes(a))) continue;
  const bytes = Math.max(0, (await measure(stage)) - base);
  console.log(`  ${stage.padEnd(48)} ${bytes.toFixed(0).padStart(6)} B`);
  rows.push({ stage, "garbage per reading (B)": Math.round(bytes) });
}
if (asked.length === 0)
  writeResult({
    name: "garbage",
    title: "JS heap garbage per reading, per ingest stage (one record per send)",
    quick,
    tables: [{ caption: "Garbage per reading (GC log, warmed up)", rows }],
    limits:
      "what each reading leaves for the GC: it paces the eden collections, JSCWarmUp's block pre-faulting and mi-scavenger's page purging at a steady load",
    headline: [],
  });
