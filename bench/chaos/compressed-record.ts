/**
 * compressed-record: the seed's own gzip producer (kafka-python) puts a record on `temp_test`
 * that decompresses to 20 MiB while devices publish MQTT 5 QoS 1 telemetry before, during and
 * after it. Every PUBACKed reading must be stored exactly once, each poison record must be in
 * `iot.dead-letter` in reduced form, and /healthz must be `ok` at the end.
 */
import { join } from "node:path";
import { readTopic } from "../../test/bridge/read-topic.ts";
import { python } from "../../test/support/run.ts";
import { freePorts, removeDir, sleep, startServe, tempDir, until, type Serve } from "./lib.ts";
import { PublisherPool } from "./publishers.ts";
import { result } from "./result.ts";
import { countStored, readReadings, waitForAllStored } from "./store.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";

const name = "compressed-record";
const MiB = 1 << 20;
const poisonBytes = 20 * MiB;

// The seed's Pi producer (gzip), sending one record of zeros that compresses to ~20 KiB.
const poisonProducer = `
import sys
from kafka import KafkaProducer
p = KafkaProducer(bootstrap_servers=sys.argv[1], compression_type='gzip', acks=1,
                  max_request_size=64 * 1024 * 1024, buffer_memory=128 * 1024 * 1024)
p.send('temp_test', b'\\0' * int(sys.argv[2]), headers=[('msg_id', sys.argv[3].encode())]).get(timeout=30)
p.flush()
p.close()
`;

export const compressedRecord: Scenario = {
  name,
  description:
    "a gzip record on temp_test decompressing to 20 MiB amid MQTT 5 QoS 1 telemetry: every PUBACKed reading is stored exactly once, the poison is dead-lettered in reduced form, /healthz is ok after",
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const t0 = Date.now();
    const durationS = quick ? 8 : 40;
    const poisonAtS = quick ? [3] : [8, 20, 32];
    const publishers = 2;
    const rate = 50;
    const dir = tempDir(name);
    const dataDir = join(dir, "data");
    const ports = await freePorts();
    const notes = [
      `${publishers} mqtt.js publishers (MQTT 5, QoS 1) at ${rate} msg/s each for ${durationS} s; a ${poisonBytes / MiB} MiB gzip record (kafka-python) on temp_test at ${poisonAtS.join(", ")} s`,
    ];
    const serve: Serve = await startServe({ dataDir, ports, logDir: dir });
    const http = `http://127.0.0.1:${ports.http}`;
    const kafka = `127.0.0.1:${ports.kafka}`;
    const prefix = `chaos-poison-${Date.now().toString(36)}`;
    const pool = new PublisherPool({
      url: `mqtt://127.0.0.1:${ports.mqtt}`,
      prefix,
      publishers,
      rate,
      window: 20,
    });
    const states = new Map<string, number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        try {
          const body = (await (await fetch(`${http}/healthz`)).json()) as { status: string };
          states.set(body.status, (states.get(body.status) ?? 0) + 1);
        } catch {
          states.set("unreachable", (states.get("unreachable") ?? 0) + 1);
        }
        await sleep(500);
      }
    })();
    try {
      await pool.start();
      const loadStart = Date.now();
      const poisons: string[] = [];
      for (const at of poisonAtS) {
        await sleep(Math.max(0, loadStart + at * 1000 - Date.now()));
        const id = `${prefix}-poison-${poisons.length}`;
        const r = await python(poisonProducer, [kafka, String(poisonBytes), id]);
        if (r.code !== 0) throw new Error(`kafka-python could not produce: ${r.stderr.trim()}`);
        poisons.push(id);
        log(`${name}: poison ${id} produced at ${at} s`);
      }
      await sleep(Math.max(0, loadStart + durationS * 1000 - Date.now()));
      await pool.stop(30_000);
      log(`${name}: load done, ${pool.sent.size} sent, ${pool.acked.size} acknowledged`);
      if (pool.pending > 0) notes.push(`${pool.pending} messages never PUBACKed within 30 s`);
      const complete = await waitForAllStored(dataDir, prefix, pool.sent, pool.acked, 60_000);
      if (!complete) notes.push("not every acknowledged message was stored within 60 s");

      const letters = (await readTopic(kafka, "iot.dead-letter", poisons.length, 20_000)).filter(
        (l) => poisons.includes(l.headers["original.msg_id"] ?? ""),
      );
      const reduced = letters.filter(
        (l) =>
          l.headers.reduced === "true" &&
          l.headers["original-size"] === String(poisonBytes) &&
          l.headers.topic === "temp_test" &&
          l.headers.offset !== undefined &&
          /^record too large/.test(l.headers.reason ?? "") &&
          l.value.length <= 1024,
      );
      const lettersOk = reduced.length === poisons.length && letters.length === poisons.length;
      notes.push(
        `${poisons.length} poison records; ${letters.length} in iot.dead-letter, ${reduced.length} in reduced form (value ${letters[0]?.value.length ?? 0} bytes; reason: ${letters[0]?.headers.reason ?? "none"})`,
      );
      const healthy = await until(
        async () => (await fetch(`${http}/healthz`)).status === 200,
        30_000,
      );
      watching = false;
      await watcher;
      notes.push(
        `/healthz during the run: ${[...states].map(([s, n]) => `${s} ×${n}`).join(", ")}; at the end: ${healthy ? "ok" : "not ok within 30 s"}`,
      );
      if (serve.proc.exitCode !== null) notes.push(`iot serve exited ${serve.proc.exitCode}`);
      await pool.close();
      await serve.stop();
      const counts = countStored(pool.sent, pool.acked, readReadings(dataDir, prefix));
      return result(name, counts, t0, notes, lettersOk && healthy);
    } finally {
      watching = false;
      await watcher;
      await pool.close();
      await serve.stop();
      removeDir(dir);
    }
  },
};
