/**
 * bench/footprint: what `iot` costs to run. Builds the binaries (`npm run build`) and reports
 * their sizes; the compiled x64 binary's start-up time to /healthz ready (median of 5, a fresh
 * data dir each); RSS and CPU of `iot serve` idle and at 1,000 readings/s over MQTT QoS 1 (30 s
 * once the load has run a minute — what a server costs at that rate — and the load's first 30 s,
 * which add the JIT's compiling), with Debian's Mosquitto under the same publish load as the
 * yardstick; and `iot device`'s idle RSS (by bench/device-rss.ts, after this script's serve has
 * stopped).
 *
 *   bun bench/footprint.ts [--quick] [--only idle|load] [--keep-fill]
 *
 * `--only idle` / `--only load` measures just that (serve from the compiled binary when built,
 * else from source; no build, start-up or device figures, no result file) and prints it beside
 * Mosquitto under the same load: an A/B of a change in a minute. At 1,000/s it also prints the
 * readings sink's batches (= its SQLite transactions) per second.
 *
 * `--only start` times the start-ups alone (a fresh data dir, and one holding 10 M readings —
 * 1 M with --quick) and prints their medians beside the 300 ms target.
 *
 * `--keep-fill` keeps the data dir of the large start-up (10 M readings, ~1.6 GB, ~90 s to fill)
 * in $TMPDIR/iot-bench-footprint-<rows> and reuses it in the next run with the flag; delete it
 * by hand when done.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  resultsDir,
  root,
  startServe as startIotServe,
  track,
  writeResult,
  type Row,
  tempDir,
} from "./lib.ts";
import { startMosquitto } from "./mosquitto.ts";
import { publishSteadily } from "./mqtt-load.ts";
import { openStore } from "../src/store/index.ts";
import { sampleProcess, type ProcUsage } from "./proc.ts";
import { fmt, fmtRatio, mb, median, ratio } from "./stats.ts";

const quick = process.argv.includes("--quick");
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
if (only !== undefined && only !== "idle" && only !== "load" && only !== "start") {
  console.error("--only takes idle, load or start");
  process.exit(2);
}
const idleSeconds = quick ? 5 : 30;
const loadSeconds = quick ? 5 : 30;
/** how long the load runs before its steady window is sampled (see steadyLoad) */
const warmSeconds = quick ? 10 : 60;
const startups = quick ? 3 : 5;
/** the readings in the data dir of the "large" start-up (--quick: fewer, same code path) */
const largeRows = quick ? 1_000_000 : 10_000_000;
const startTargetMs = 300;
/** where `--keep-fill` keeps the large data dir between runs */
const keptFill = process.argv.includes("--keep-fill")
  ? join(tmpdir(), `iot-bench-footprint-${largeRows}`)
  : undefined;
const dir = tempDir("iot-bench-footprint-");
const binary = join(root, "dist/iot-linux-x64");
const notes: string[] = [];

/** `npm run build`; returns the binaries' sizes in MB (absent ones left out). */
async function build(): Promise<Record<string, number>> {
  const p = Bun.spawn([process.execPath, join(root, "scripts/build.ts")], {
    cwd: root,
    stdout: "ignore",
    stderr: "pipe",
  });
  const untrack = track(p);
  const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
  untrack();
  if (code !== 0) notes.push(`npm run build failed (${code}): ${err.trim().slice(0, 300)}`);
  const sizes: Record<string, number> = {};
  for (const t of ["linux-x64", "linux-arm64"]) {
    const f = join(root, "dist", `iot-${t}`);
    if (existsSync(f)) sizes[t] = mb(statSync(f).size);
  }
  return sizes;
}

/** `iot serve` (the compiled binary, else from source), all roles, in `dir/name` (fresh if new). */
const startServe = (name: string) => startServeIn(join(dir, name));
const startServeIn = (dataDir: string) =>
  startIotServe(dataDir, "all", [], { binary: existsSync(binary) ? binary : undefined });

/**
 * A data dir whose database holds `rows` readings of 50 devices over the last 20 days (inside the
 * default 30-day retention, so nothing is pruned), written by SQLite itself in 1 M-row statements.
 */
function fillReadings(into: string, rows: number): number {
  const started = performance.now();
  mkdirSync(into, { recursive: true });
  const store = openStore(join(into, "iot.db"));
  const devices = 50;
  const oldest = Date.now() - 20 * 86_400_000;
  const step = Math.max(1, Math.floor((19 * 86_400_000) / (rows / devices)));
  const insert = store.sqlite.prepare(
    `INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset, msg_id)
     WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
     SELECT 'dev-' || (i % ${devices}), ?3 + (i / ${devices}) * ?4, 15 + (i % 100) / 10.0,
            40 + (i % 50), 'iot.telemetry', 0, i, 'm' || i FROM n`,
  );
  for (let done = 0; done < rows; done += 1_000_000)
    insert.run(done, Math.min(rows, done + 1_000_000), oldest, step);
  store.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
  store.close();
  return (performance.now() - started) / 1000;
}

/** RssAnon / RssFile of `pid` now, MB: file-backed pages are mostly the executable's code. */
function rssSplit(pid: number): { anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { anon: kb("RssAnon") / 1024, file: kb("RssFile") / 1024 };
}

/**
 * QoS 1 readings at a steady `perSecond`, sampling `pid`: over the load's first `seconds`, and
 * over `seconds` more once it has run `warmSeconds` (0: the first window is the only one). A
 * server runs for days at its rate: the steady window is its cost, the first one adds the JIT's
 * one-off compiling of the readings' path (~3 % of a core for the first half minute here).
 */
async function steadyLoad(
  url: string,
  pid: number,
  perSecond: number,
  seconds: number,
  warmSeconds = 0,
): Promise<{ first: ProcUsage; steady: ProcUsage }> {
  const load = publishSteadily(url, `footprint-${pid}`, perSecond, warmSeconds + seconds);
  const firstSample = sampleProcess(pid);
  await Promise.race([load, Bun.sleep(seconds * 1000)]);
  const first = firstSample.stop();
  if (warmSeconds <= 0) {
    await load;
    return { first, steady: first };
  }
  await Promise.race([load, Bun.sleep((warmSeconds - seconds) * 1000)]);
  const steadySample = sampleProcess(pid);
  await load;
  return { first, steady: steadySample.stop() };
}

/** a counter's value in `iot serve`'s /metrics (0 when absent) */
async function metric(httpPort: number, series: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${httpPort}/metrics`).then((r) => r.text());
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** `--only idle|load`: that figure of `iot serve` beside Mosquitto's, printed. */
async function measureOnly(what: "idle" | "load"): Promise<void> {
  const serve = await startServe("run");
  const batches = `iot_sink_batches_total{sink="readings"}`;
  const stored = `iot_sink_records_total{outcome="ok",sink="readings"}`;
  let records = NaN;
  let iot: ProcUsage;
  let iotFirst: ProcUsage | undefined;
  let perSecond = NaN;
  let split = { anon: NaN, file: NaN };
  try {
    await Bun.sleep(2000); // let start-up work settle
    if (what === "idle") {
      const s = sampleProcess(serve.proc.pid);
      await Bun.sleep(idleSeconds * 1000);
      iot = s.stop();
    } else {
      const before = await metric(serve.ports.http, batches);
      const storedBefore = await metric(serve.ports.http, stored);
      const loadStart = performance.now();
      ({ first: iotFirst, steady: iot } = await steadyLoad(
        `mqtt://127.0.0.1:${serve.ports.mqtt}`,
        serve.proc.pid,
        1000,
        loadSeconds,
        warmSeconds,
      ));
      const loadSecondsTaken = (performance.now() - loadStart) / 1000;
      perSecond = ((await metric(serve.ports.http, batches)) - before) / loadSecondsTaken;
      records = (await metric(serve.ports.http, stored)) - storedBefore;
    }
    split = rssSplit(serve.proc.pid);
  } finally {
    await serve.stop();
  }
  const mosq = await startMosquitto(dir);
  let m: ProcUsage;
  try {
    if (what === "idle") {
      const s = sampleProcess(mosq.pid);
      await Bun.sleep(Math.min(idleSeconds, 5) * 1000);
      m = s.stop();
    } else m = (await steadyLoad(mosq.url, mosq.pid, 1000, Math.min(loadSeconds, 10))).steady;
  } finally {
    await mosq.stop();
  }
  const load = (await Bun.file("/proc/loadavg").text()).split(" ")[0];
  console.log(
    `${what === "idle" ? "idle" : "1,000 readings/s, MQTT QoS 1 → SQLite"} (${existsSync(binary) ? "binary" : "from source"}, load ${load}):\n` +
      `  iot serve  CPU ${fmt(iot.cpuPercent)} % of a core` +
      (iotFirst
        ? ` (after ${warmSeconds} s; ${fmt(iotFirst.cpuPercent)} % over the first ${loadSeconds} s)`
        : "") +
      `, RSS mean ${fmt(iot.rssMeanMB)} MB (peak ${fmt(iot.rssMaxMB)}; ` +
      `at the end anonymous ${fmt(split.anon)} + file-backed ${fmt(split.file)} MB)` +
      (what === "load"
        ? `, readings sink ${fmt(perSecond)} batches (transactions)/s for ${fmt(records)} readings`
        : "") +
      `\n  Mosquitto  CPU ${fmt(m.cpuPercent)} % of a core, RSS mean ${fmt(m.rssMeanMB)} MB`,
  );
}

/** Start-ups to /healthz ready: `startups` on fresh data dirs, then as many on the large one. */
async function measureStarts() {
  const startMs: number[] = [];
  for (let i = 0; i < startups; i++) {
    const s = await startServe(`start-${i}`);
    startMs.push(s.readyMs);
    await s.stop();
  }
  const largeDir = keptFill ?? join(dir, "large");
  const reused = keptFill !== undefined && existsSync(join(keptFill, "iot.db"));
  const fillSeconds = reused ? NaN : fillReadings(largeDir, largeRows);
  const largeMs: number[] = [];
  for (let i = 0; i < startups; i++) {
    const s = await startServeIn(largeDir);
    largeMs.push(s.readyMs);
    await s.stop();
  }
  if (!keptFill) rmSync(largeDir, { recursive: true, force: true });
  return { startMs, largeMs, reused, largeDir, fillSeconds };
}

if (only === "start") {
  try {
    const r = await measureStarts();
    const load = (await Bun.file("/proc/loadavg").text()).split(" ")[0];
    const list = (xs: number[]) => xs.map((x) => fmt(x)).join(", ");
    console.log(
      `start-up to /healthz ready (${existsSync(binary) ? "binary" : "from source"}, load ${load}; target ≤ ${startTargetMs} ms):\n` +
        `  fresh data dir         median ${fmt(median(r.startMs))} ms (${list(r.startMs)})\n` +
        `  ${largeRows / 1_000_000} M readings          median ${fmt(median(r.largeMs))} ms (${list(r.largeMs)}; ` +
        `${r.reused ? `reused ${r.largeDir}` : `filled in ${fmt(r.fillSeconds)} s`})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

if (only !== undefined) {
  try {
    await measureOnly(only as "idle" | "load");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

/** `iot device`'s steady RSS, measured by bench/device-rss.ts (its own serve and device). */
async function deviceRss(): Promise<{ value: string; detail: string }> {
  const p = Bun.spawn(
    [process.execPath, join(root, "bench/device-rss.ts"), ...(quick ? ["--quick"] : [])],
    { cwd: root, stdout: "ignore", stderr: "pipe" },
  );
  const untrack = track(p);
  const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
  untrack();
  if (code !== 0) return { value: "failed", detail: `bench/device-rss.ts: ${err.trim()}` };
  return summarizeDeviceRss(readFileSync(join(resultsDir, "device-rss.json"), "utf8"));
}

try {
  const sizes = await build();
  if (!existsSync(binary)) notes.push("no compiled binary: serve ran from source");

  const { startMs, largeMs, reused, largeDir, fillSeconds } = await measureStarts();

  const serve = await startServe("run");
  let idle: ProcUsage;
  let idleSplit = { anon: NaN, file: NaN };
  let loadSplit = { anon: NaN, file: NaN };
  let loaded: ProcUsage;
  let loadedFirst: ProcUsage;
  let device: { value: string; detail: string };
  try {
    await Bun.sleep(2000); // let start-up work settle
    const idleSample = sampleProcess(serve.proc.pid);
    await Bun.sleep(idleSeconds * 1000);
    idle = idleSample.stop();
    idleSplit = rssSplit(serve.proc.pid);
    ({ first: loadedFirst, steady: loaded } = await steadyLoad(
      `mqtt://127.0.0.1:${serve.ports.mqtt}`,
      serve.proc.pid,
      1000,
      loadSeconds,
      warmSeconds,
    ));
    loadSplit = rssSplit(serve.proc.pid);
  } finally {
    await serve.stop();
  }
  device = await deviceRss();

  const mosq = await startMosquitto(dir);
  let mosqIdle: ProcUsage;
  let mosqLoaded: ProcUsage;
  try {
    const s = sampleProcess(mosq.pid);
    await Bun.sleep(Math.min(idleSeconds, 5) * 1000);
    mosqIdle = s.stop();
    mosqLoaded = (await steadyLoad(mosq.url, mosq.pid, 1000, Math.min(loadSeconds, 10))).steady;
  } finally {
    await mosq.stop();
  }

  const usageRow = (what: string, u: ProcUsage, m: ProcUsage): Row => ({
    "iot serve": what,
    "RSS mean MB": fmt(u.rssMeanMB),
    "RSS peak MB": fmt(u.rssMaxMB),
    "CPU % of one core": fmt(u.cpuPercent),
    "Mosquitto RSS MB": fmt(m.rssMeanMB),
    "Mosquitto CPU %": fmt(m.cpuPercent),
  });
  const startMedian = median(startMs);
  const largeMedian = median(largeMs);
  const rowsLabel = `${largeRows / 1_000_000} M`;
  const bunMB = mb(statSync(process.execPath).size);
  writeResult({
    name: "footprint",
    title:
      `Footprint: the binaries, start-up to /healthz, \`iot serve\` idle (${idleSeconds} s) and at ` +
      `1,000 MQTT QoS 1 readings/s (${loadSeconds} s after ${warmSeconds} s of it, and its first ${loadSeconds} s; broker, bridge, Kafka, consumers, SQLite), ` +
      "`iot device` idle",
    quick,
    tables: [
      {
        caption:
          "Memory and CPU of the one `iot serve` process (Mosquitto alone under the same load)",
        rows: [
          usageRow("idle", idle, mosqIdle),
          usageRow(
            `1,000 readings/s, MQTT QoS 1 → SQLite (${loadSeconds} s after ${warmSeconds} s of it)`,
            loaded,
            mosqLoaded,
          ),
          usageRow(
            `the same load's first ${loadSeconds} s (the JIT compiling)`,
            loadedFirst,
            mosqLoaded,
          ),
        ],
      },
      {
        caption: "The binaries and start-up",
        rows: [
          ...Object.entries(sizes).map(([t, size]) => ({
            measure: `binary size, dist/iot-${t}`,
            value: `${fmt(size)} MB`,
          })),
          { measure: "yardstick: the Bun executable these embed", value: `${fmt(bunMB)} MB` },
          {
            measure: `start-up to /healthz ready, fresh data dir (median of ${startups}; target ≤ ${startTargetMs} ms)`,
            value: `${fmt(startMedian)} ms (${startMs.map((x) => fmt(x)).join(", ")})`,
          },
          {
            measure: `start-up to /healthz ready, data dir with ${rowsLabel} readings (median of ${startups}; target ≤ ${startTargetMs} ms)`,
            value: `${fmt(largeMedian)} ms (${largeMs.map((x) => fmt(x)).join(", ")}; ${reused ? `data dir reused from ${largeDir}` : `filled in ${fmt(fillSeconds)} s`})`,
          },
          {
            measure: "`iot serve` idle RSS: anonymous / file-backed (the executable's pages)",
            value: `${fmt(idleSplit.anon)} / ${fmt(idleSplit.file)} MB`,
          },
          {
            measure: "`iot serve` RSS at the end of the 1,000 readings/s: anonymous / file-backed",
            value: `${fmt(loadSplit.anon)} / ${fmt(loadSplit.file)} MB`,
          },
          { measure: "`iot device` idle RSS", value: device.value },
        ],
      },
    ],
    notes: [device.detail, ...notes],
    limits:
      "RSS is mostly Bun's runtime: the file-backed part is the executable's own pages (JavaScriptCore, " +
      "SQLite, the HTTP server and the bundled code), the anonymous part the JavaScript heap and " +
      "SQLite's caches; the binaries' size is mostly the Bun runtime they embed (the Bun executable " +
      "alone is the yardstick). At 1,000 readings/s (measured apart, once warm): MQTT in and the " +
      "PUBACKs ~5 % of a core (the bridge left out); the bridge's produce and its ~54 fdatasyncs a " +
      "second, made on the event loop's thread; the readings consumer's ~98 rounds a second (fetch, " +
      "JSON parse and insert of ~10 rows, the SQLite commit, the offsets); the allocator's and the " +
      "JIT's own threads ~2 %. A longer --consumer-linger-ms trades publish → stored latency for " +
      "fewer rounds. " +
      "Start-up counts until /healthz reports every component up, which includes creating the " +
      "database (fresh dir) and the consumer groups' first join through the embedded broker.",
    headline: [
      {
        measure: "`iot serve` RSS idle / at 1,000 readings/s; CPU at 1,000/s",
        iot: `${fmt(idle.rssMeanMB)} / ${fmt(loaded.rssMeanMB)} MB; ${fmt(loaded.cpuPercent)} % of a core (first ${loadSeconds} s: ${fmt(loadedFirst.cpuPercent)} %)`,
        yardstick: `Mosquitto alone: ${fmt(mosqLoaded.rssMeanMB)} MB, ${fmt(mosqLoaded.cpuPercent)} %`,
        ratio: fmtRatio(ratio(loaded.rssMeanMB, mosqLoaded.rssMeanMB)) + " RSS",
      },
      {
        measure: `start-up to /healthz: fresh data dir / ${rowsLabel} readings`,
        iot: `${fmt(startMedian)} / ${fmt(largeMedian)} ms`,
        yardstick: `target ≤ ${startTargetMs} ms`,
        ratio: fmtRatio(ratio(Math.max(startMedian, largeMedian), startTargetMs)),
      },
      {
        measure: "binary size x64 / arm64; start-up to /healthz",
        iot: `${fmt(sizes["linux-x64"])} / ${fmt(sizes["linux-arm64"])} MB; ${fmt(startMedian)} ms`,
        yardstick: `the Bun runtime alone: ${fmt(bunMB)} MB`,
        ratio: fmtRatio(ratio(sizes["linux-x64"] ?? NaN, bunMB)),
      },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

type DeviceRssRow = Record<string, string | number>;

/** bench/device-rss.ts's rows as one figure (the compiled agent with its camera) and a detail. */
function summarizeDeviceRss(json: string): { value: string; detail: string } {
  try {
    const rows = (JSON.parse(json) as { rows: DeviceRssRow[] }).rows;
    const val = (r: DeviceRssRow, k: string) => fmt(Number(r[k]));
    const main = rows.find((r) => r.variant === "compiled, camera sim") ?? rows[0]!;
    return {
      value: `${val(main, "VmRSS MB (median)")} MB`,
      detail: rows
        .map(
          (r) =>
            `${r.variant}: ${val(r, "VmRSS MB (median)")} MB (anon ${val(r, "RssAnon MB")}, file ${val(r, "RssFile MB")})`,
        )
        .join("; "),
    };
  } catch (e) {
    return { value: "failed", detail: `bench/device-rss.ts output unreadable: ${String(e)}` };
  }
}
