/**
 * bench/collector: the seeds' own stack against iot's collector. wrk (Debian) posts the room
 * sensor JSON to `POST /office_status` of (a) the seeds' Flask collector (bench/peers/
 * flask_collector.py: Flask's threaded server, kafka-python's KafkaProducer) and (b) `iot serve`'s
 * Hono collector; both produce to topic `room` of the same embedded Kafka broker, that of the
 * one `iot serve` running. Requests/s and latency percentiles, and the records that reached Kafka;
 * then the latency at a fixed 1,000 requests/s (bench/paced-http.ts: open loop, from each
 * request's due time).
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
import { pacedHttp, type PacedResult } from "./paced-http.ts";

const quick = process.argv.includes("--quick");
const IOT = "iot serve (Hono, in-process produce acks=-1, batched)";
const seconds = quick ? 3 : 15;
const connections = 32;
/** the latency row: a steady load both collectors carry */
const paced = { perSecond: 1_000, seconds: quick ? 3 : 10 };
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

type Measured = WrkResult & { serverCpuPercent: number; stored: number; paced: PacedResult };

/** the seeds' room sensor POST, rooms 1..4 in turn (as bench/peers/office_status.lua) */
const roomStatus = (n: number) => ({
  method: "POST",
  path: "/office_status",
  contentType: "application/json",
  body: `{"room_no":${(n % 4) + 1},"status":{"humidity":${40 + (n % 20)},"temperature":${20 + (n % 10)}}}`,
});

async function measure(url: string, pids: number[], kafka: Kafka): Promise<Measured> {
  await wrk({ url, script: "office_status.lua", seconds: 2, connections, threads }); // warm-up
  await Bun.sleep(1000);
  const before = await roomRecords(kafka);
  const cpu = pids.map((pid) => sampleProcess(pid));
  const r = await wrk({ url, script: "office_status.lua", seconds, connections, threads });
  const serverCpuPercent = cpu.reduce((sum, s) => sum + s.stop().cpuPercent, 0);
  await Bun.sleep(2000); // the Flask producer sends in the background after its 200
  const stored = (await roomRecords(kafka)) - before;
  const { hostname, port } = new URL(url);
  const atRate = await pacedHttp({
    host: hostname,
    port: Number(port),
    ...paced,
    connections,
    request: roomStatus,
  });
  return { ...r, serverCpuPercent, stored, paced: atRate };
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
  const pacedRows: Row[] = Object.entries(results).map(([name, r]) => ({
    collector: name,
    "req/s offered": fmt(paced.perSecond),
    "req/s answered": fmt(r.paced.perSecond),
    errors: r.paced.errors,
    "p50 ms": fmt(r.paced.p50Ms),
    "p90 ms": fmt(r.paced.p90Ms),
    "p99 ms": fmt(r.paced.p99Ms),
    "max ms": fmt(r.paced.maxMs),
  }));
  writeResult({
    name: "collector",
    title:
      `The seeds' collector: wrk, ${threads} threads, ${connections} connections, ${seconds} s each, ` +
      "POST /office_status → Kafka topic `room` of the same embedded broker",
    quick,
    tables: [
      { caption: "The same wrk load on each collector, one at a time", rows },
      {
        caption: `At a fixed ${fmt(paced.perSecond)} requests/s for ${paced.seconds} s (open loop, ${connections} connections)`,
        rows: pacedRows,
      },
    ],
    notes: [
      "¹ records added to topic `room` during the run; a few more than wrk counts, which leaves " +
        "out the requests still in flight when it stops.",
      "The fixed-rate table: bench/paced-http.ts sends request i at start + i / rate on an idle " +
        "keep-alive connection and counts its latency from that due time, so a stall shows in " +
        "the percentiles rather than slowing the load (wrk2's correction; wrk2 is not in Debian).",
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
      {
        measure: `\`POST /office_status\` p99 at ${fmt(paced.perSecond)} req/s`,
        iot: `${fmt(iotR.paced.p99Ms)} ms`,
        yardstick: `seeds' Flask + kafka-python ${fmt(flaskR.paced.p99Ms)} ms`,
        ratio: fmtRatio(ratio(iotR.paced.p99Ms, flaskR.paced.p99Ms)),
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
