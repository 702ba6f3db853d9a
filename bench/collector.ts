/**
 * bench/collector: the seeds' own stack against iot's collector. wrk (Debian) posts the room
 * sensor JSON to `POST /office_status` of (a) the seeds' Flask collector (bench/peers/
 * flask_collector.py: Flask's threaded server, kafka-python's KafkaProducer) and (b) `iot serve`'s
 * Hono collector; both produce to topic `room` of the same embedded Kafka broker, that of the
 * one `iot serve` running. Requests/s and latency percentiles, and the records that reached Kafka.
 *
 *   bun bench/collector.ts [--quick]
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { freePort } from "../test/support/net.ts";
import {
  debianPython,
  requirePythonModules,
  requireTools,
  root,
  startServe,
  track,
  writeResult,
  type Row,
  tempDir,
} from "./lib.ts";
import { sampleProcess } from "./proc.ts";
import { fmt, fmtRatio, ratio } from "./stats.ts";
import { wrk, type WrkResult } from "./wrk.ts";

const quick = process.argv.includes("--quick");
const IOT = "iot serve (Hono, in-process produce acks=-1, batched)";
const seconds = quick ? 3 : 15;
const connections = 32;
const threads = 2;
const dir = tempDir("iot-bench-collector-");

requireTools({ wrk: "wrk" });
requirePythonModules({ flask: "python3-flask", kafka: "python3-kafka" });

/** Records in topic `room` so far (sum of the partitions' high watermarks). */
async function roomRecords(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets("room").catch(() => []);
    return offsets.reduce((n, p) => n + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

type Measured = WrkResult & { serverCpuPercent: number; stored: number };

async function measure(url: string, pids: number[], kafka: Kafka): Promise<Measured> {
  await wrk({ url, script: "office_status.lua", seconds: 2, connections, threads }); // warm-up
  await Bun.sleep(1000);
  const before = await roomRecords(kafka);
  const cpu = pids.map((pid) => sampleProcess(pid));
  const r = await wrk({ url, script: "office_status.lua", seconds, connections, threads });
  const serverCpuPercent = cpu.reduce((sum, s) => sum + s.stop().cpuPercent, 0);
  await Bun.sleep(2000); // the Flask producer sends in the background after its 200
  return { ...r, serverCpuPercent, stored: (await roomRecords(kafka)) - before };
}

try {
  const serve = await startServe(join(dir, "data"), "all");
  const kafka = new Kafka({ brokers: [serve.kafka], logLevel: logLevel.NOTHING });
  const results: Record<string, Measured> = {};
  try {
    const port = await freePort();
    const flask = Bun.spawn(
      [debianPython, join(root, "bench/peers/flask_collector.py"), String(port), serve.kafka],
      { stdout: "ignore", stderr: "ignore" },
    );
    const untrack = track(flask);
    try {
      await waitReady(`http://127.0.0.1:${port}/office_status`);
      results["Flask + kafka-python (seed design)"] = await measure(
        `http://127.0.0.1:${port}`,
        [flask.pid, serve.proc.pid],
        kafka,
      );
    } finally {
      flask.kill("SIGTERM");
      await flask.exited;
      untrack();
    }
    results[IOT] = await measure(`http://127.0.0.1:${serve.ports.http}`, [serve.proc.pid], kafka);
  } finally {
    await serve.stop();
  }

  const flaskR = results["Flask + kafka-python (seed design)"]!;
  const iotR = results[IOT]!;
  const rows: Row[] = Object.entries(results).map(([name, r]) => ({
    collector: name,
    requests: r.requests.toLocaleString("en-US"),
    "req/s": fmt(r.requestsPerSecond),
    "p50 ms": fmt(r.p50Ms),
    "p99 ms": fmt(r.p99Ms),
    errors: r.errors,
    "records in Kafka¹": r.stored.toLocaleString("en-US"),
    "server CPU %": fmt(r.serverCpuPercent),
    "req/s ÷ Flask": fmtRatio(ratio(r.requestsPerSecond, flaskR.requestsPerSecond)),
  }));
  writeResult({
    name: "collector",
    title:
      `The seeds' collector: wrk, ${threads} threads, ${connections} connections, ${seconds} s each, ` +
      "POST /office_status → Kafka topic `room` of the same embedded broker",
    quick,
    tables: [{ caption: "The same wrk load on each collector, one at a time", rows }],
    notes: [
      "¹ records added to topic `room` during the run; a few more than wrk counts, which leaves " +
        "out the requests still in flight when it stops.",
    ],
    limits:
      "Flask's development server starts a thread per connection under Python's GIL and returns " +
      "200 before kafka-python has sent the record (acks=1, in the background); iot answers only " +
      "once its record is durable in the embedded broker's log (acks=-1 semantics, fsync); concurrent " +
      "requests share one in-process produce (linger ≤ 2 ms), so they share the fsync. Server CPU includes the `iot serve` process that hosts the broker " +
      "and consumers in both runs; wrk shares the 2 cores.",
    headline: [
      {
        measure: "`POST /office_status` → Kafka, requests/s (p99)",
        iot: `${fmt(iotR.requestsPerSecond)} (${fmt(iotR.p99Ms)} ms)`,
        yardstick: `seeds' Flask + kafka-python ${fmt(flaskR.requestsPerSecond)} (${fmt(flaskR.p99Ms)} ms)`,
        ratio: fmtRatio(ratio(iotR.requestsPerSecond, flaskR.requestsPerSecond)),
      },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The Flask app answers a real POST (its producer has bootstrapped). */
async function waitReady(url: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ room_no: 1, status: { humidity: 10, temperature: 30 } }),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await Bun.sleep(200);
  }
  throw new Error(`${url} not answering after 30 s`);
}
