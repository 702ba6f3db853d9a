/**
 * bench/pg-store: the store on PostgreSQL (`--database-url`) beside SQLite, in one run.
 *
 * 1. Ingest: MQTT QoS 1 publishers → brokers → bridge → Kafka → readings sink → store, sustained
 *    readings/s stored (first publish → last row stored, counted in the store itself):
 *    one `iot serve` on SQLite (the yardstick), then a fleet on PostgreSQL — one `--role brokers`
 *    and one, then two `--role consumers` processes (each with a data dir of its own).
 * 2. Reads on N rows (10 M; --quick 200 k) of readings, 100 devices over 30 days, filled straight
 *    into each store (multi-row INSERT … generate_series on PostgreSQL, prepared inserts in big
 *    transactions on SQLite) and rolled up hourly as the lifecycle would have: the Overview's reads
 *    and a device's 30-day chart (`/api/series`'s read), through the store engine's read ops —
 *    the same calls on both engines, timed from the bench process.
 *
 * PostgreSQL: Debian's, a cluster of its own in a temp dir, with its durable defaults (fsync on,
 * synchronous_commit on): test/support/postgres.ts `durable: true`.
 *
 *   bun bench/pg-store.ts [--quick] [--ingest-only | --reads-only] [rows=10000000]
 *
 * --ingest-only / --reads-only: one part alone, its figures printed and no result file.
 */
import { Database } from "bun:sqlite";
import { SQL } from "bun";
import { join } from "node:path";
import { loadavg } from "node:os";
import mqtt from "mqtt";
import { startPostgres, type PostgresCluster } from "../test/support/postgres.ts";
import { openStore } from "../src/store/index.ts";
import { sqliteEngine, type StoreEngine } from "../src/store/engine/index.ts";
import { openPostgresEngine } from "../src/store/engine/open-postgres.ts";
import { bucketFor } from "../src/store/series.ts";
import { overview } from "../src/http/dashboard/views/overview.tsx";
import { Health } from "../src/health/index.ts";
import { startServe, tempDir, writeResult, type Row } from "./lib.ts";
import { fmt, fmtRatio, rate, ratio, summarize } from "./stats.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const readsOnly = args.includes("--reads-only");
const fillRows = Number(args.find((a) => /^\d+$/.test(a)) ?? (quick ? 200_000 : 10_000_000));
const ingestTotal = quick ? 10_000 : 100_000;
const publishers = 4;
const window = 500; // QoS 1 publishes in flight per publisher
const ingestDevices = 8; // keys spread over both partitions, so two consumers processes share
const readRounds = quick ? 30 : 200;
const DEVICES = 100;
const DAY = 86_400_000;
const dir = tempDir("iot-bench-pg-store-");
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** A store being written by `iot` processes: where to publish, how many readings it holds. */
interface IngestTarget {
  mqttUrl: string;
  stored(): Promise<number>;
  /** the readings each consumers process has stored so far (its /metrics) */
  handled(): Promise<number[]>;
  stop(): Promise<void>;
}

async function sinkHandled(httpPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const line = text
    .split("\n")
    .find(
      (l) =>
        l.startsWith("iot_sink_records_total{") &&
        l.includes('sink="readings"') &&
        l.includes('outcome="ok"'),
    );
  return line ? Number(line.split(" ").pop()) : 0;
}

async function sqliteServe(): Promise<IngestTarget> {
  const dataDir = join(dir, "sqlite-serve");
  const serve = await startServe(dataDir, "all");
  let db: Database | null = null;
  return {
    mqttUrl: `mqtt://127.0.0.1:${serve.ports.mqtt}`,
    stored: async () => {
      db ??= new Database(join(dataDir, "iot.db"), { readonly: true });
      return (db.query("SELECT count(*) AS n FROM readings").get() as { n: number }).n;
    },
    handled: async () => [await sinkHandled(serve.ports.http)],
    stop: async () => {
      db?.close();
      await serve.stop();
    },
  };
}

async function pgFleet(pg: PostgresCluster, consumers: number): Promise<IngestTarget> {
  const url = await pg.createDatabase(`ingest_${consumers}`);
  const flags = ["--database-url", url];
  const brokers = await startServe(join(dir, `pg${consumers}-brokers`), "brokers", flags);
  const members: Array<Awaited<ReturnType<typeof startServe>>> = [];
  const sql = new SQL(url, { max: 1 });
  try {
    for (let i = 0; i < consumers; i++)
      members.push(
        await startServe(join(dir, `pg${consumers}-consumers-${i}`), "consumers", flags, {
          brokers: brokers.ports,
        }),
      );
  } catch (e) {
    await Promise.all(members.map((m) => m.stop()));
    await brokers.stop();
    throw e;
  }
  return {
    mqttUrl: `mqtt://127.0.0.1:${brokers.ports.mqtt}`,
    stored: async () => {
      const [row] = await sql`SELECT count(*)::int AS n FROM readings`.catch(() => [{ n: 0 }]);
      return Number(row.n);
    },
    handled: () => Promise.all(members.map((m) => sinkHandled(m.ports.http))),
    stop: async () => {
      await sql.close();
      await Promise.all(members.map((m) => m.stop()));
      await brokers.stop();
    },
  };
}

async function waitUntil(what: string, ms: number, check: () => Promise<boolean>) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${ms / 1000} s`);
    await Bun.sleep(50);
  }
}

/** Publishes `count` readings over `ingestDevices` devices, `window` QoS 1 in flight per client. */
async function publish(
  url: string,
  count: number,
  tag: string,
): Promise<{ t0: number; ackedS: number }> {
  const clients = await Promise.all(
    Array.from({ length: publishers }, (_, i) =>
      mqtt.connectAsync(url, { clientId: `pg-bench-${tag}-${i}`, reconnectPeriod: 0 }),
    ),
  );
  const t0 = performance.now();
  let next = 0;
  try {
    await Promise.all(
      clients.map(async (c) => {
        const inflight = new Set<Promise<unknown>>();
        while (next < count) {
          const i = next++;
          const sent = c.publishAsync(
            `iot/${tag}-${i % ingestDevices}/telemetry`,
            JSON.stringify({ ts: Date.now(), temperature: 20 + (i % 10) }),
            { qos: 1 },
          );
          inflight.add(sent);
          void sent.finally(() => inflight.delete(sent));
          if (inflight.size >= window) await Promise.race(inflight);
        }
        await Promise.all(inflight);
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.endAsync()));
  }
  return { t0, ackedS: (performance.now() - t0) / 1000 };
}

interface IngestFigures {
  storedPerSecond: number;
  seconds: number;
  /** first publish → last PUBACK: the brokers' part (the rest is the consumers' and the store's) */
  ackedSeconds: number;
  perProcess: number[];
  load: string;
}

async function measureIngest(target: IngestTarget, consumers: number): Promise<IngestFigures> {
  // the whole path is up, and every consumers process holds partitions, before the clock starts
  await waitUntil("every consumers process storing", 90_000, async () => {
    await publish(target.mqttUrl, ingestDevices * 2, "probe");
    const handled = await target.handled();
    return handled.length === consumers && handled.every((n) => n > 0);
  });
  const before = await target.stored();
  const handledBefore = await target.handled();
  const { t0, ackedS } = await publish(target.mqttUrl, ingestTotal, "burst");
  await waitUntil("the burst stored", 600_000, async () => {
    return (await target.stored()) >= before + ingestTotal;
  });
  const seconds = (performance.now() - t0) / 1000;
  const handled = await target.handled();
  return {
    storedPerSecond: rate(ingestTotal, seconds),
    seconds,
    ackedSeconds: ackedS,
    perProcess: handled.map((n, i) => n - (handledBefore[i] ?? 0)),
    load: load(),
  };
}

// ---- reads on N rows ------------------------------------------------------------------------

const until = Date.now() - 60_000;
const since = until - 30 * DAY;
const perDevice = Math.ceil(fillRows / DEVICES);
const step = Math.floor((30 * DAY) / perDevice);
/**
 * The chart's bucket as the dashboard gets it: views/scripts/charts.js asks /api/series for the
 * range (`since`, 30 days here) and `buckets` (1,000 on a room's page), and the route picks
 * bucketFor(span, buckets) — whole hours, so both engines read the hourly roll-ups.
 */
const chartBucketMs = bucketFor(until - since, 1000);
if (chartBucketMs % 3_600_000 !== 0)
  throw new Error(`a 30-day chart's bucket is ${chartBucketMs} ms, not whole hours: no roll-ups`);

/** The hourly roll-ups the lifecycle would have written by now (same SQL on both engines). */
const rollupSql = (metric: "temperature" | "humidity", hourExpr: string) => `
  INSERT INTO rollups (kind, series, metric, hour, value_count, value_sum, value_min, value_max)
  SELECT 'readings', device_id, '${metric}', ${hourExpr}, count(${metric}), sum(${metric}),
    min(${metric}), max(${metric})
  FROM readings WHERE ${metric} IS NOT NULL GROUP BY device_id, ${hourExpr}`;

/** …and the lifecycle's mark of how far it rolled up (the reads trust roll-ups up to it) */
const rolledUpState = `INSERT INTO lifecycle_state (key, value)
  SELECT 'rollup:readings', max(id) FROM readings`;

async function fillSqlite(file: string): Promise<number> {
  const t0 = performance.now();
  const store = openStore(file);
  const insert = store.sqlite.prepare(
    `INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset, msg_id)
     VALUES (?, ?, ?, ?, 'iot.telemetry', 0, ?, ?)`,
  );
  const CHUNK = 200_000;
  for (let done = 0; done < fillRows;) {
    const n = Math.min(CHUNK, fillRows - done);
    store.sqlite.transaction(() => {
      for (let i = done; i < done + n; i++) {
        const k = Math.floor(i / DEVICES);
        insert.run(
          `dev-${i % DEVICES}`,
          since + k * step,
          15 + (i % 100) / 10,
          40 + (i % 50),
          i,
          `m${i}`,
        );
      }
    })();
    done += n;
  }
  store.sqlite.run(
    `INSERT INTO devices (id, kind, online, last_seen)
     SELECT device_id, 'device', 1, max(ts) FROM readings GROUP BY device_id`,
  );
  store.sqlite.run(rollupSql("temperature", "(ts / 3600000) * 3600000"));
  store.sqlite.run(rollupSql("humidity", "(ts / 3600000) * 3600000"));
  store.sqlite.run(rolledUpState);
  store.sqlite.run("ANALYZE");
  store.close();
  return (performance.now() - t0) / 1000;
}

async function fillPostgres(url: string): Promise<number> {
  const t0 = performance.now();
  // migrated by the engine's own open, then filled with the pool out of the way
  await (await openPostgresEngine(url, { pool: 1 })).close();
  const sql = new SQL(url, { max: 1 });
  try {
    const CHUNK = 1_000_000;
    for (let done = 0; done < fillRows; done += CHUNK) {
      const last = Math.min(done + CHUNK, fillRows) - 1;
      await sql.unsafe(`
        INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset, msg_id)
        SELECT 'dev-' || (i % ${DEVICES}), ${since}::bigint + (i / ${DEVICES}) * ${step}::bigint,
          15 + (i % 100) / 10.0, 40 + (i % 50), 'iot.telemetry', 0, i, 'm' || i
        FROM generate_series(${done}::bigint, ${last}::bigint) AS i`);
    }
    await sql.unsafe(`
      INSERT INTO devices (id, kind, online, last_seen)
      SELECT device_id, 'device', true, max(ts) FROM readings GROUP BY device_id`);
    await sql.unsafe(rollupSql("temperature", "(ts / 3600000) * 3600000"));
    await sql.unsafe(rollupSql("humidity", "(ts / 3600000) * 3600000"));
    await sql.unsafe(rolledUpState);
    await sql.unsafe("VACUUM ANALYZE");
  } finally {
    await sql.close();
  }
  return (performance.now() - t0) / 1000;
}

interface ReadFigures {
  overview: ReturnType<typeof summarize>;
  chart: ReturnType<typeof summarize>;
  /** readings in the chart (a check that both engines answered the same) */
  chartReadings: number;
  latestDevices: number;
}

/**
 * The Overview page (the dashboard's heaviest: devices with their message times, people, rooms
 * and rules, bins, open alerts, each device's newest reading, disk use): its own load and render,
 * as `iot serve` runs them for a page or a live update; and a device's 30-day chart, as the page
 * asks for it.
 */
async function measureReads(engine: StoreEngine): Promise<ReadFigures> {
  const chartRange = { since, until, bucketMs: chartBucketMs };
  const overviewMs: number[] = [];
  const chartMs: number[] = [];
  let chartReadings = 0;
  let latestDevices = 0;
  for (let round = -3; round < readRounds; round++) {
    let t = performance.now();
    const page = await overview.load(
      { store: engine, health: new Health(), videoSources: () => [] },
      {},
    );
    await String(overview.render(page, {}));
    if (round >= 0) overviewMs.push(performance.now() - t);
    latestDevices = page.latest.length;
    t = performance.now();
    const device = `dev-${(round + 3) % DEVICES}`;
    const s = await engine.read((q) => q.queries.series({ device }, chartRange));
    if (round >= 0) chartMs.push(performance.now() - t);
    chartReadings = s.n.reduce((a, b) => a + b, 0);
  }
  return {
    overview: summarize(overviewMs),
    chart: summarize(chartMs),
    chartReadings,
    latestDevices,
  };
}

/** The reads' figures, PostgreSQL's beside SQLite's (the yardstick), as the headline puts them. */
function printReads(pg: ReadFigures, lite: ReadFigures): void {
  const line = (what: string, p: ReturnType<typeof summarize>, l: ReturnType<typeof summarize>) =>
    `  ${what.padEnd(44)} PostgreSQL ${fmt(p.p50)} / ${fmt(p.p99)} ms` +
    `   SQLite ${fmt(l.p50)} / ${fmt(l.p99)} ms   p99 ${fmtRatio(ratio(p.p99, l.p99))}`;
  console.log(
    `reads on ${fillRows.toLocaleString("en-US")} readings, p50 / p99 (load ${load()}):\n` +
      line("Overview load and render", pg.overview, lite.overview) +
      "\n" +
      line(
        `30-day chart, ${fmt(chartBucketMs / 60_000)}-min buckets from roll-ups`,
        pg.chart,
        lite.chart,
      ),
  );
}

// ---- the run --------------------------------------------------------------------------------

const pg = await startPostgres({ durable: true });
try {
  console.log(`load average at start: ${load()}`);
  const ingest: Record<string, IngestFigures> = {};
  const runs: Array<[string, number, () => Promise<IngestTarget>]> = readsOnly
    ? []
    : [
        ["iot serve on SQLite", 1, sqliteServe],
        ["PostgreSQL, 1 consumers process", 1, () => pgFleet(pg, 1)],
        ["PostgreSQL, 2 consumers processes", 2, () => pgFleet(pg, 2)],
      ];
  for (const [name, consumers, start] of runs) {
    const target = await start();
    try {
      ingest[name] = await measureIngest(target, consumers);
      console.log(name, JSON.stringify(ingest[name]));
    } finally {
      await target.stop();
    }
  }

  // --ingest-only: the figures above, printed; no result file (as bench/pipeline's --external-only)
  if (args.includes("--ingest-only")) process.exit(0);
  const sqliteFile = join(dir, "reads.db");
  const sqliteFill = await fillSqlite(sqliteFile);
  console.log(`SQLite filled with ${fillRows} readings in ${sqliteFill.toFixed(0)} s`);
  const pgUrl = await pg.createDatabase("reads");
  const pgFill = await fillPostgres(pgUrl);
  console.log(`PostgreSQL filled with ${fillRows} readings in ${pgFill.toFixed(0)} s`);
  const reads: Record<string, ReadFigures & { fillSeconds: number; load: string }> = {};
  {
    const store = openStore(sqliteFile);
    const engine = sqliteEngine(store.db, store.close);
    try {
      reads.SQLite = { ...(await measureReads(engine)), fillSeconds: sqliteFill, load: load() };
    } finally {
      await engine.close();
    }
  }
  {
    const engine = await openPostgresEngine(pgUrl, { pool: 10 });
    try {
      reads.PostgreSQL = { ...(await measureReads(engine)), fillSeconds: pgFill, load: load() };
    } finally {
      await engine.close();
    }
  }
  for (const [name, r] of Object.entries(reads)) console.log(name, JSON.stringify(r));
  if (reads.SQLite!.chartReadings !== reads.PostgreSQL!.chartReadings)
    throw new Error(
      `the engines' charts differ: ${reads.SQLite!.chartReadings} vs ${reads.PostgreSQL!.chartReadings} readings`,
    );
  printReads(reads.PostgreSQL!, reads.SQLite!);
  if (readsOnly) process.exit(0);

  const lite = ingest["iot serve on SQLite"]!;
  const ingestRows: Row[] = Object.entries(ingest).map(([name, r]) => ({
    store: name,
    "stored/s": fmt(r.storedPerSecond),
    "÷ SQLite": fmtRatio(ratio(r.storedPerSecond, lite.storedPerSecond)),
    "last PUBACK s": fmt(r.ackedSeconds),
    "last stored s": fmt(r.seconds),
    "stored by each consumers process": r.perProcess
      .map((n) => n.toLocaleString("en-US"))
      .join(" + "),
    "load average (1, 5, 15 min)": r.load,
  }));
  const readRows: Row[] = Object.entries(reads).map(([name, r]) => ({
    store: name,
    "Overview reads p50 ms": fmt(r.overview.p50),
    "Overview reads p99 ms": fmt(r.overview.p99),
    "30-day chart p50 ms": fmt(r.chart.p50),
    "30-day chart p99 ms": fmt(r.chart.p99),
    "fill s": fmt(r.fillSeconds),
    "load average": r.load,
  }));
  const p1 = ingest["PostgreSQL, 1 consumers process"]!;
  const p2 = ingest["PostgreSQL, 2 consumers processes"]!;
  const rp = reads.PostgreSQL!;
  const rs = reads.SQLite!;
  const rowsLabel = fillRows.toLocaleString("en-US");
  writeResult({
    name: "pg-store",
    title:
      `The store on PostgreSQL beside SQLite: MQTT QoS 1 → stored readings/s (${ingestTotal.toLocaleString("en-US")} readings, ` +
      `${publishers} publishers × ${window} in flight, ${ingestDevices} devices), and the dashboard's heaviest reads ` +
      `on ${rowsLabel} readings (${DEVICES} devices, 30 days)`,
    quick,
    tables: [
      { caption: "Ingest: first publish → last reading stored", rows: ingestRows },
      {
        caption: `Reads on ${rowsLabel} readings, ${readRounds} rounds, through the store engine's read ops`,
        rows: readRows,
      },
    ],
    notes: [
      "PostgreSQL runs on the same machine (Debian's, its own cluster, fsync and synchronous_commit " +
        "on, default settings otherwise); the fleet is one `--role brokers` and one or two " +
        "`--role consumers` processes with `--database-url`, each with a data dir of its own. " +
        "The SQLite yardstick is one `iot serve` (every role in one process).",
      "The Overview page's own load and render (devices and their message times, people, rooms " +
        "and rules, bins, open alerts, each device's newest reading, disk use), as `iot serve` runs " +
        "them for a page or a live update. The chart: one device's 30 days at the page's bucket " +
        `(${fmt(bucketFor(30 * DAY, 1000) / 60_000)} min) — both engines answer whole hours from ` +
        "the hourly roll-ups up to the lifecycle's roll-up mark (all of the fill here) and the raw " +
        "rows after it. Timed in the bench process, without the HTTP round trip.",
    ],
    limits:
      "One machine for everything: PostgreSQL, the brokers, the consumers processes and the load " +
      "generator share its cores, so a second consumers process adds little here (on separate " +
      "machines it adds its own CPU); the partitions (2 by default) bound how many consumers " +
      "processes help. Fill times are not a product figure.",
    headline: [
      {
        measure: "MQTT QoS 1 → readings stored/s on PostgreSQL, 1 / 2 consumers processes",
        iot: `${fmt(p1.storedPerSecond)} / ${fmt(p2.storedPerSecond)}`,
        yardstick: `SQLite (one iot serve) ${fmt(lite.storedPerSecond)}`,
        ratio: `${fmtRatio(ratio(p1.storedPerSecond, lite.storedPerSecond))} / ${fmtRatio(ratio(p2.storedPerSecond, lite.storedPerSecond))}`,
      },
      {
        measure: `Overview reads / 30-day chart p99 on ${rowsLabel} rows, PostgreSQL`,
        iot: `${fmt(rp.overview.p99)} ms / ${fmt(rp.chart.p99)} ms`,
        yardstick: `SQLite ${fmt(rs.overview.p99)} ms / ${fmt(rs.chart.p99)} ms`,
        ratio: `${fmtRatio(ratio(rp.overview.p99, rs.overview.p99))} / ${fmtRatio(ratio(rp.chart.p99, rs.chart.p99))}`,
      },
    ],
  });
} finally {
  await pg.stop();
}
