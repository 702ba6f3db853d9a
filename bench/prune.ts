/**
 * bench/prune: does the data lifecycle stall ingest? Fills a real SQLite file (the schema, all
 * indexes) with N reading rows all past the 30-day raw window, then runs a writer like the
 * readings sink — a batch of rows in one transaction every 20 ms, in the same process, event
 * loop and connection, as in `iot serve` — and measures each batch's latency from its planned
 * start to its commit (waiting behind a lifecycle step counts). A lifecycle pass rolls the N rows
 * up, a second prunes them and gives the space back (incremental vacuum); the latencies are
 * told apart by the stage the pass was in. Yardstick: the same writer alone.
 *
 * A/B on copies of the same file, back to back: A = the lifecycle as it was (1,000-row steps
 * whatever they cost; SQLite's checkpoints inside the commits on the shared connection), B = as
 * `iot serve` runs it (steps sized to ~5 ms; checkpoints in a worker thread, which a pass pauses
 * and asks for one checkpoint in the pause after each step instead). Both use the
 * current roll-up and prune statements. Writes bench/results/prune.json.
 *
 *   bun bench/prune.ts [rows=10000000] [--quick] [--only A|B] [--dir DIR] [--keep]
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../src/core/log/index.ts";
import { DAY_MS, keepForever, Lifecycle, type PassReport } from "../src/lifecycle/index.ts";
import { measureInChild } from "../src/lifecycle/measure.ts";
import { Checkpointer } from "../src/store/checkpointer.ts";
import { openStore, type Store } from "../src/store/index.ts";
import { writeResult, type Row } from "./lib.ts";
import { summarize } from "./stats.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const rows = Number(args.find((a) => /^\d+$/.test(a)) ?? (quick ? 200_000 : 10_000_000));
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = opt("--dir") ?? mkdtempSync(join(tmpdir(), "iot-bench-prune-"));
const keep = args.includes("--keep");
const only = opt("--only");
// --trace: each lifecycle step over 10 ms and each writer batch over 20 ms, with times and WAL size
const trace = args.includes("--trace");
const t0 = performance.now();
const tlog = (line: string) =>
  trace && process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(3)} ${line}\n`);
const DEVICES = 50;
const WRITER_BATCH = 50; // rows per writer transaction
const WRITER_EVERY_MS = 20; // → 2500 rows/s, 400× what 50 sensors every 8 s send
const ALONE_MS = quick ? 5_000 : 20_000;
const now = Date.now();
const MB = 1024 * 1024;
const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;
const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

const configs = [
  {
    name: "A",
    label: "A: 1,000-row steps, checkpoints in the commits",
    lifecycle: { batchRows: 1000, stepMs: Number.MAX_SAFE_INTEGER, vacuumPages: 256 },
    worker: false,
  },
  {
    name: "B",
    label: "B: ~5 ms steps, checkpoints in a worker between the steps",
    lifecycle: {},
    worker: true,
  },
].filter((c) => !only || c.name === only);

// Fill once: 50 devices, one row each per step, spread over the 60 days before the raw window.
const template = join(dir, "template.db");
{
  const store = openStore(template);
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
  store.close();
  process.stderr.write(`database ${mb(size(template))}\n`);
}

type Stage = "writer alone" | "roll-up" | "prune" | "vacuum" | "measure";

/** One configuration on a fresh copy of the filled file. */
async function run(config: (typeof configs)[number]) {
  const cdir = join(dir, config.name);
  rmSync(cdir, { recursive: true, force: true });
  mkdirSync(cdir, { recursive: true });
  const path = join(cdir, "iot.db");
  copyFileSync(template, path);
  const store: Store = openStore(path);
  const checkpoints = config.worker ? Checkpointer.start(store.sqlite, path) : undefined;
  let stage: Stage = "writer alone";
  const stageStart = new Map<Stage, number>();
  const stageEnd = new Map<Stage, number>();
  const enter = (s: Stage) => {
    stageEnd.set(stage, performance.now());
    stage = s;
    stageStart.set(s, performance.now());
    process.stderr.write(`${config.name}: ${s}\n`);
  };
  stageStart.set(stage, performance.now());
  const latencies = new Map<Stage, number[]>();
  let walMax = 0;
  // the checkpoints the lifecycle asked for between its steps: how many, and the time they took
  const asked = { n: 0, ms: 0, walFrames: 0 };
  let offset = 0;
  const insert = store.sqlite.prepare(
    `INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset, msg_id)
     VALUES (?, ?, 21.5, 45, 'iot.telemetry', 1, ?, ?)`,
  );

  /** The writer: a batch every WRITER_EVERY_MS until `until` resolves. */
  async function writer(until: Promise<unknown>) {
    let done = false;
    void until.then(() => (done = true));
    // each batch is due WRITER_EVERY_MS after the previous one was due, or at the previous one's
    // end if that came later: a writer slower than its schedule (a busy machine) builds no
    // backlog, while a batch held up behind a lifecycle step counts the time it waited
    let planned = performance.now();
    while (!done) {
      const wait = planned - performance.now();
      await Bun.sleep(Math.max(0, wait)); // always yield: the lifecycle's turn comes between batches
      const at = stage;
      store.sqlite.transaction(() => {
        for (let i = 0; i < WRITER_BATCH; i++) {
          const n = offset++;
          insert.run(`dev-${n % DEVICES}`, Date.now(), n, `w${n}`);
        }
      })();
      const end = performance.now();
      let list = latencies.get(at);
      if (!list) latencies.set(at, (list = []));
      list.push(end - planned);
      if (end - planned > 20)
        tlog(`writer ${(end - planned).toFixed(1)} ms (${at}) wal ${mb(size(`${path}-wal`))}`);
      walMax = Math.max(walMax, size(`${path}-wal`));
      planned = Math.max(planned + WRITER_EVERY_MS, end);
    }
  }

  const lifecycle = (retention: number) =>
    new Lifecycle({
      db: store.db,
      dataDir: cdir,
      clock: () => now,
      log: silentLogger,
      // as iot serve does: the walk of every page in a child process (the second pass only)
      measure: retention ? () => measureInChild(path) : () => Promise.resolve(undefined as never),
      checkpoints,
      onStage: enter,
      onStep: (work, n, done, ms) => {
        if (work === "checkpoint") {
          asked.n++;
          asked.ms += ms;
          asked.walFrames = Math.max(asked.walFrames, n);
        }
        if (ms > 10) tlog(`step ${work} size ${n} did ${done} ${ms.toFixed(1)} ms`);
      },
      ...config.lifecycle,
      retention: { ...keepForever, readings: retention },
    });

  await writer(Bun.sleep(ALONE_MS));
  // readings kept forever: this pass only rolls up the N rows (its prune and vacuum find nothing)
  let rolled: PassReport | undefined;
  await writer(
    lifecycle(0)
      .runOnce()
      .then((r) => (rolled = r)),
  );
  const rollUpSecs = ((stageEnd.get("roll-up") ?? 0) - (stageStart.get("roll-up") ?? 0)) / 1000;
  // the second pass's roll-up takes only the writer's rows of meanwhile: not in this row
  const rollUp = { lat: latencies.get("roll-up") ?? [], secs: rollUpSecs };
  latencies.delete("roll-up");
  latencies.delete("vacuum");
  latencies.delete("measure");
  store.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
  const before = size(path);
  let pruned: PassReport | undefined;
  await writer(
    lifecycle(30 * DAY_MS)
      .runOnce()
      .then((r) => (pruned = r)),
  );
  stageEnd.set("measure", performance.now());
  await checkpoints?.stop();
  store.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
  const after = size(path);
  const left = (store.sqlite.query("SELECT count(*) AS n FROM readings").get() as { n: number }).n;
  store.close();
  if (asked.n)
    process.stderr.write(
      `${config.name}: ${asked.n} checkpoints between steps, ${(asked.ms / 1000).toFixed(1)} s waited, WAL at most ${asked.walFrames} frames\n`,
    );
  if (!keep) rmSync(cdir, { recursive: true, force: true });

  const secs = (s: Stage) => ((stageEnd.get(s) ?? 0) - (stageStart.get(s) ?? 0)) / 1000;
  const out: Row[] = [];
  const row = (s: Stage, lat: number[], stageSecs: number, rate: string) => {
    const q = summarize(lat);
    out.push({
      config: config.label,
      stage: s,
      batches: q.count,
      "p50 ms": q.p50,
      "p99 ms": q.p99,
      "max ms": q.max,
      "stage s": stageSecs,
      "rows/s": rate,
    });
    return q;
  };
  const perSec = (n: number, s: number) => (s > 0 ? Math.round(n / s).toLocaleString("en-US") : "");
  const alone = row("writer alone", latencies.get("writer alone") ?? [], ALONE_MS / 1000, "");
  const up = row("roll-up", rollUp.lat, rollUp.secs, perSec(rolled?.rolledUp ?? 0, rollUp.secs));
  const pr = row(
    "prune",
    latencies.get("prune") ?? [],
    secs("prune"),
    perSec(pruned?.pruned.readings ?? 0, secs("prune")),
  );
  const va = row("vacuum", latencies.get("vacuum") ?? [], secs("vacuum"), "");
  row("measure", latencies.get("measure") ?? [], secs("measure"), "");
  return {
    config,
    rows: out,
    alone,
    stages: { "roll-up": up, prune: pr, vacuum: va },
    size: {
      before,
      after,
      walMax,
      walInPass: asked.walFrames * 4096,
      left,
      pruned: pruned?.pruned.readings ?? 0,
    },
  };
}

try {
  const load = loadavg()[0]!.toFixed(2);
  const results = [];
  for (const c of configs) results.push(await run(c));
  const fmt = (n: number) => n.toFixed(n < 10 ? 1 : 0);
  const b = results.find((r) => r.config.name === "B") ?? results[0]!;
  const worst = Object.values(b.stages).reduce((w, s) => (s.p99 > w.p99 ? s : w));
  const worstStage = Object.entries(b.stages).find(([, s]) => s === worst)![0];
  writeResult({
    name: "prune",
    title: `Data lifecycle vs ingest: a writer's batch latency (${WRITER_BATCH} rows every ${WRITER_EVERY_MS} ms, same event loop and SQLite connection as the sinks) while ${rows.toLocaleString("en-US")} readings past the 30-day window are rolled up, pruned and vacuumed; yardstick: the writer alone`,
    quick,
    tables: [
      {
        caption: `Writer batch latency per lifecycle stage (${rows.toLocaleString("en-US")} rows; load average ${load} at the start)`,
        rows: results.flatMap((r) => r.rows),
      },
      {
        caption: "The database file",
        rows: results.map((r) => ({
          config: r.config.label,
          "before the prune": mb(r.size.before),
          "after (vacuumed, checkpointed)": mb(r.size.after),
          "WAL file at most": mb(r.size.walMax),
          // the WAL's length at the checkpoints asked for between steps (B): what a pass left in it
          "WAL in use at most during the passes": r.size.walInPass ? mb(r.size.walInPass) : "",
          "rows pruned": r.size.pruned,
          "rows left (the writer's)": r.size.left,
        })),
      },
    ],
    limits:
      "Every lifecycle step is a synchronous SQLite transaction on the connection and event loop the sinks use, so a writer batch due during a step waits for it: steps are sized to ~5 ms with a 5 ms pause after each, which bounds the wait but also halves the lifecycle's share of the time. A checkpoint copies the WAL into the file and fsyncs it; on the shared connection it stalls every writer for as long (A), in a worker thread it does not (B); during a pass the worker checkpoints only in the pauses between steps (beside a step it made the step many times slower), which lengthens the pass by the checkpoints' time. The disk-use measure runs in a child process and only competes for CPU and disk.",
    headline: [
      {
        measure: `ingest p99 (max) during the roll-up, prune and vacuum of ${rows.toLocaleString("en-US")} rows`,
        iot: `${fmt(worst.p99)} ms (${fmt(worst.max)} ms), worst stage: ${worstStage}`,
        yardstick: `writer alone ${fmt(b.alone.p99)} ms (${fmt(b.alone.max)} ms)`,
        ratio: `${(worst.p99 / b.alone.p99).toFixed(2)}×`,
      },
    ],
  });
} finally {
  if (!keep && !opt("--dir")) rmSync(dir, { recursive: true, force: true });
}
