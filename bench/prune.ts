/**
 * bench/prune: does the data lifecycle stall ingest? Fills a real SQLite file (the schema, all
 * indexes) with N reading rows all past the 30-day raw window, then runs a writer like the
 * readings sink — a batch of rows in one transaction every 20 ms, in the same process and event
 * loop, as in `iot serve` — and measures each batch's latency from its planned start to its
 * commit (waiting behind a lifecycle transaction counts). Three phases: the writer alone; while
 * the roll-up of the N rows runs; while the prune of the N rows (and the incremental vacuum
 * after it) runs. Prints p50/p99/max per phase. Not a test: run by hand.
 *
 *   bun bench/prune.ts [rows=10000000] [--dir DIR] [--keep]
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../src/core/log/index.ts";
import { DAY_MS, Lifecycle } from "../src/lifecycle/index.ts";
import { measureInChild } from "../src/lifecycle/measure.ts";
import { openStore } from "../src/store/index.ts";
import { summarize } from "./stats.ts";

const args = process.argv.slice(2);
const rows = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000_000);
const dirArg = args.indexOf("--dir");
const dir = dirArg >= 0 ? args[dirArg + 1]! : mkdtempSync(join(tmpdir(), "iot-bench-prune-"));
const keep = args.includes("--keep");
const DEVICES = 50;
const WRITER_BATCH = 50; // rows per writer transaction
const WRITER_EVERY_MS = 20; // → 2500 rows/s, 400× what 50 sensors every 8 s send

const path = join(dir, "iot.db");
const store = openStore(path);
const now = Date.now();
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

// Fill: 50 devices, one row each per step, spread over the 60 days before the raw window.
{
  const started = performance.now();
  const insert = store.sqlite.prepare(
    `INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset, msg_id)
     VALUES (?, ?, ?, ?, 'iot.telemetry', 0, ?, ?)`,
  );
  const oldest = now - 90 * DAY_MS;
  const step = (60 * DAY_MS) / (rows / DEVICES);
  const CHUNK = 200_000;
  for (let done = 0; done < rows;) {
    const n = Math.min(CHUNK, rows - done);
    store.sqlite.transaction(() => {
      for (let i = done; i < done + n; i++) {
        const d = i % DEVICES;
        const ts = Math.floor(oldest + Math.floor(i / DEVICES) * step);
        insert.run(`dev-${d}`, ts, 15 + (i % 100) / 10, 40 + (i % 50), i, `m${i}`);
      }
    })();
    done += n;
    if (done % 2_000_000 === 0 || done === rows)
      process.stderr.write(
        `filled ${done} rows (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
      );
  }
  store.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
  process.stderr.write(`database ${mb(statSync(path).size)}\n`);
}

/** The writer: a batch every WRITER_EVERY_MS until `until` resolves; each batch's latency. */
async function writer(until: Promise<unknown>): Promise<number[]> {
  const insert = store.sqlite.prepare(
    `INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset, msg_id)
     VALUES (?, ?, 21.5, 45, 'iot.telemetry', 1, ?, ?)`,
  );
  const latencies: number[] = [];
  let done = false;
  void until.then(() => (done = true));
  // each batch is due WRITER_EVERY_MS after the previous one was due, or at the previous one's
  // end if that came later: a writer slower than its schedule (a busy machine) builds no
  // backlog, while a batch held up behind a lifecycle transaction counts the time it waited
  let planned = performance.now();
  while (!done) {
    const wait = planned - performance.now();
    await Bun.sleep(Math.max(0, wait)); // always yield: the lifecycle's turn comes between batches
    store.sqlite.transaction(() => {
      for (let i = 0; i < WRITER_BATCH; i++) {
        const n = offset++;
        insert.run(`dev-${n % DEVICES}`, Date.now(), n, `w${n}`);
      }
    })();
    const end = performance.now();
    latencies.push(end - planned);
    planned = Math.max(planned + WRITER_EVERY_MS, end);
  }
  return latencies;
}
let offset = 0;

const lifecycle = (retention: number) =>
  new Lifecycle({
    db: store.db,
    dataDir: dir,
    clock: () => now,
    log: silentLogger,
    measure: () => measureInChild(path), // as iot serve does: the walk of every page elsewhere
    retention: {
      readings: retention,
      rollups: 0,
      images: 0,
      imagesMaxBytes: 0,
      alerts: 0,
      presence: 0,
      bins: 0,
    },
  });

const report: Array<[string, ReturnType<typeof summarize>, number]> = [];
async function phase(name: string, work: () => Promise<unknown>) {
  const started = performance.now();
  const job = work();
  const latencies = await writer(job);
  await job;
  report.push([name, summarize(latencies), (performance.now() - started) / 1000]);
  process.stderr.write(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

try {
  await phase("writer alone", () => Bun.sleep(20_000));
  // readings kept forever: this pass only rolls up the N rows
  await phase("during the roll-up", () => lifecycle(0).runOnce());
  const before = statSync(path).size;
  await phase("during the prune + vacuum", () => lifecycle(30 * DAY_MS).runOnce());
  store.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
  const left = (store.sqlite.query("SELECT count(*) AS n FROM readings").get() as { n: number }).n;
  console.log(
    `\nbench/prune: ${rows} rows past the raw window; writer: ${WRITER_BATCH} rows every ${WRITER_EVERY_MS} ms, same event loop`,
  );
  console.log("phase                        batches   p50 ms   p99 ms   max ms   phase s");
  for (const [name, s, secs] of report)
    console.log(
      `${name.padEnd(28)} ${String(s.count).padStart(7)} ${s.p50.toFixed(2).padStart(8)} ${s.p99.toFixed(2).padStart(8)} ${s.max.toFixed(2).padStart(8)} ${secs.toFixed(1).padStart(9)}`,
    );
  console.log(
    `database file ${mb(before)} before the prune, ${mb(statSync(path).size)} after; ${left} rows left (the writer's)`,
  );
} finally {
  store.close();
  if (!keep && dirArg < 0) rmSync(dir, { recursive: true, force: true });
}
