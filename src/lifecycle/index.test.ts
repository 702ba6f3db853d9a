import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { silentLogger } from "../core/log/index.ts";
import { MetricsRegistry } from "../metrics/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { HOUR_MS } from "../store/rollups.ts";
import { DAY_MS, keepForever, Lifecycle, type Retention } from "./index.ts";

const dirs = tempDirs("iot-lifecycle-");
afterAll(() => dirs.cleanup());

const T0 = Date.UTC(2026, 0, 1, 10); // an hour's start: a roll-up's age counts from its hour
let offset = 0;
const src = () => ({ t: "test", p: 0, o: offset++ });

function insertReading(s: Store, device: string, ts: number, temperature: number | null) {
  const { t, p, o } = src();
  s.sqlite.run(
    "INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [device, ts, temperature, temperature === null ? null : temperature / 2, t, p, o],
  );
}

function seedEveryKind(s: Store, dataDir: string) {
  insertReading(s, "d1", T0, 21);
  const { t, p } = src();
  s.sqlite.run(
    "INSERT INTO room_readings (room_no, ts, temperature, humidity, src_topic, src_partition, src_offset) VALUES (1, ?, 20, 40, ?, ?, ?)",
    [T0, t, p, offset++],
  );
  s.sqlite.run(
    "INSERT INTO bins (bin_count, bin_level, full, m_time, ts, src_topic, src_partition, src_offset) VALUES (3, '40', 0, '2026-01-01 10:00:00', ?, ?, ?, ?)",
    [T0, t, p, offset++],
  );
  s.sqlite.run(
    "INSERT INTO entrance_events (name, record_type, ts, src_topic, src_partition, src_offset) VALUES ('jane', 'in', ?, ?, ?, ?)",
    [T0, t, p, offset++],
  );
  // cleared at T0 (raised long before); an open and an acknowledged one older still
  s.sqlite.run(
    "INSERT INTO alerts (kind, subject, message, state, created_at, cleared_at) VALUES ('bin', '3', 'full', 'cleared', ?, ?)",
    [T0 - 50 * DAY_MS, T0],
  );
  s.sqlite.run(
    "INSERT INTO alerts (kind, subject, message, state, created_at) VALUES ('bin', '4', 'full', 'open', ?), ('bin', '5', 'full', 'acknowledged', ?)",
    [T0 - 900 * DAY_MS, T0 - 900 * DAY_MS],
  );
  const dir = join(dataDir, "images", "cam");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "a.jpg");
  writeFileSync(path, Buffer.alloc(1000, 1));
  s.sqlite.run(
    "INSERT INTO images (device_id, ts, path, bytes, src_topic, src_partition, src_offset) VALUES ('cam', ?, ?, 1000, ?, ?, ?)",
    [T0, path, t, p, offset++],
  );
  return { imagePath: path };
}

const count = (s: Store, sql: string) => (s.sqlite.query(sql).get() as { n: number }).n;

function lifecycle(s: Store, dataDir: string, clock: () => number, retention: Partial<Retention>) {
  return new Lifecycle({
    db: s.db,
    dataDir,
    clock,
    log: silentLogger,
    retention: { ...keepForever, ...retention },
    batchRows: 3,
    pauseMs: 0,
  });
}

describe("retention with a fake clock", () => {
  test("each kind is kept one ms before its age and removed at it; open alerts stay", async () => {
    const dataDir = dirs.make();
    const s = openStore(join(dataDir, "iot.db"));
    const { imagePath } = seedEveryKind(s, dataDir);
    const retention: Retention = {
      images: 14 * DAY_MS,
      readings: 30 * DAY_MS,
      alerts: 180 * DAY_MS,
      bins: 300 * DAY_MS,
      presence: 365 * DAY_MS,
      rollups: 730 * DAY_MS,
      imagesMaxBytes: 0,
    };
    const present: Record<string, () => boolean> = {
      images: () => count(s, "SELECT count(*) AS n FROM images") === 1 && existsSync(imagePath),
      readings: () =>
        count(s, "SELECT count(*) AS n FROM readings") +
          count(s, "SELECT count(*) AS n FROM room_readings") ===
        2,
      alerts: () => count(s, "SELECT count(*) AS n FROM alerts WHERE state = 'cleared'") === 1,
      bins: () => count(s, "SELECT count(*) AS n FROM bins") === 1,
      presence: () => count(s, "SELECT count(*) AS n FROM entrance_events") === 1,
      rollups: () => count(s, "SELECT count(*) AS n FROM rollups") === 4, // 2 series × 2 metrics
    };
    let now = T0;
    const lc = lifecycle(s, dataDir, () => now, retention);
    const order = Object.keys(present) as Array<keyof typeof present>;
    for (const [i, kind] of order.entries()) {
      const age = retention[kind as keyof Retention];
      now = T0 + age - 1;
      await lc.runOnce();
      for (const k of order.slice(i)) expect([k, present[k]!()]).toEqual([k, true]);
      now = T0 + age;
      await lc.runOnce();
      expect([kind, present[kind]!()]).toEqual([kind, false]);
      for (const k of order.slice(i + 1)) expect([k, present[k]!()]).toEqual([k, true]);
    }
    // if whole table vanished the assertions above would pass too: these are still there
    expect(count(s, "SELECT count(*) AS n FROM alerts")).toBe(2);
    expect(
      s.sqlite.query("SELECT state FROM alerts ORDER BY state").all() as Array<{ state: string }>,
    ).toEqual([{ state: "acknowledged" }, { state: "open" }]);
    s.close();
  });

  test("rows out of time order go too: the oldest ids first, then the rest through the index", async () => {
    const dataDir = dirs.make();
    const s = openStore(join(dataDir, "iot.db"));
    const now = T0 + 30 * DAY_MS;
    insertReading(s, "ahead", now, 1); // the first id is young: the id-order pass stops at once
    for (let i = 0; i < 10; i++) insertReading(s, `d${i % 2}`, T0 - i, 2);
    insertReading(s, "d0", now - 30 * DAY_MS + 1, 3); // one ms young enough
    await lifecycle(s, dataDir, () => now, { readings: 30 * DAY_MS }).runOnce();
    expect(
      s.sqlite.query("SELECT device_id AS d, temperature AS t FROM readings ORDER BY id").all(),
    ).toEqual([
      { d: "ahead", t: 1 },
      { d: "d0", t: 3 },
    ]);
    s.close();
  });

  test("images over the size cap go oldest first, file and row together", async () => {
    const dataDir = dirs.make();
    const s = openStore(join(dataDir, "iot.db"));
    const dir = join(dataDir, "images", "cam");
    mkdirSync(dir, { recursive: true });
    const paths: string[] = [];
    for (let i = 0; i < 10; i++) {
      const path = join(dir, `${i}.jpg`);
      writeFileSync(path, Buffer.alloc(1000, i));
      paths.push(path);
      // inserted out of time order: the oldest by time go, not the first inserted
      const ts = T0 + ((i * 7) % 10) * 1000;
      s.sqlite.run(
        "INSERT INTO images (device_id, ts, path, bytes, src_topic, src_partition, src_offset) VALUES ('cam', ?, ?, 1000, 't', 0, ?)",
        [ts, path, offset++],
      );
    }
    await lifecycle(s, dataDir, () => T0, { imagesMaxBytes: 4500 }).runOnce();
    const left = s.sqlite.query("SELECT ts, path FROM images ORDER BY ts").all() as Array<{
      ts: number;
      path: string;
    }>;
    expect(left.map((r) => r.ts - T0)).toEqual([6000, 7000, 8000, 9000]);
    for (const p of paths) expect(existsSync(p)).toBe(left.some((r) => r.path === p));
    s.close();
  });
});

describe("roll-ups", () => {
  test("equal the raw aggregates, count each row once (a pass stopped half-way too), and outlive the raw rows", async () => {
    const dataDir = dirs.make();
    const s = openStore(join(dataDir, "iot.db"));
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 40;
    for (let i = 0; i < 600; i++) {
      const device = `d${i % 3}`;
      const ts = T0 + Math.floor(rand() * 5 * HOUR_MS) / 40;
      insertReading(s, device, Math.floor(ts), i % 17 === 0 ? null : Math.round(rand() * 10) / 10);
    }
    const raw = () =>
      rounded(
        s.sqlite
          .query(
            `SELECT device_id AS series, ts - ts % 3600000 AS hour, count(temperature) AS count,
             sum(temperature) AS sum, min(temperature) AS min, max(temperature) AS max
           FROM readings WHERE temperature IS NOT NULL GROUP BY device_id, hour ORDER BY series, hour`,
          )
          .all(),
      );
    // sums added in batches differ from one sum in their last bits: compared to 1e-9
    const rounded = (rows: unknown[]) =>
      (rows as Array<{ sum: number }>).map((r) => ({ ...r, sum: Math.round(r.sum * 1e9) / 1e9 }));
    const rolled = () =>
      rounded(
        s.sqlite
          .query(
            `SELECT series, hour, value_count AS count, value_sum AS sum, value_min AS min, value_max AS max
             FROM rollups WHERE kind = 'readings' AND metric = 'temperature' ORDER BY series, hour`,
          )
          .all(),
      );
    let now = T0 + 10 * HOUR_MS;
    // a pass stopped after a few of its batches of 3 rows (stop() waits for the one under way)
    const halfway = lifecycle(s, dataDir, () => now, { readings: 30 * DAY_MS });
    const stopped = halfway.runOnce();
    await Bun.sleep(1);
    await halfway.stop();
    expect(await stopped).toBeUndefined();
    const part = count(s, "SELECT value AS n FROM lifecycle_state WHERE key = 'rollup:readings'");
    expect(part).toBeGreaterThan(0);
    expect(part).toBeLessThan(600);
    // the next pass takes up where it stopped: every row counted once, none twice
    const lc = lifecycle(s, dataDir, () => now, { readings: 30 * DAY_MS });
    await lc.runOnce();
    const expected = raw();
    expect(expected.length).toBeGreaterThan(10);
    expect(rolled()).toEqual(expected);
    await lc.runOnce(); // nothing new: nothing changes
    expect(rolled()).toEqual(expected);

    const { readSeries } = await import("../store/rollups.ts");
    const q = {
      kind: "readings" as const,
      series: "d1",
      metric: "temperature" as const,
      since: T0 - DAY_MS,
      until: T0 + DAY_MS,
    };
    const hourly = readSeries(s.db, { ...q, bucketMs: HOUR_MS });
    const daily = readSeries(s.db, { ...q, bucketMs: DAY_MS });
    expect(hourly.length).toBe(5);
    expect(daily.length).toBe(1);

    // past the raw window: the raw rows go, the series reads the same from the roll-ups
    now = T0 + 30 * DAY_MS + 5 * HOUR_MS;
    await lc.runOnce();
    expect(count(s, "SELECT count(*) AS n FROM readings")).toBe(0);
    expect(rolled()).toEqual(expected);
    // the same values (a sum in another order may differ in its last bit)
    const same = (a: typeof hourly, b: typeof hourly) => {
      expect(a.map(({ mean, ...p }) => p)).toEqual(b.map(({ mean, ...p }) => p));
      a.forEach((p, i) => expect(p.mean).toBeCloseTo(b[i]!.mean, 9));
    };
    same(readSeries(s.db, { ...q, bucketMs: HOUR_MS }), hourly);
    same(readSeries(s.db, { ...q, bucketMs: DAY_MS }), daily);

    // a late reading for an hour already pruned is merged into its roll-up, not lost
    insertReading(s, "d1", T0 + 10, 99);
    await lc.runOnce();
    const [first] = readSeries(s.db, { ...q, bucketMs: HOUR_MS });
    expect(first!.count).toBe(hourly[0]!.count + 1);
    expect(first!.max).toBe(99);
    expect(count(s, "SELECT count(*) AS n FROM readings")).toBe(0);
    s.close();
  });

  test("a series reads raw rows inside the window and roll-ups past it, in one bucket", async () => {
    const dataDir = dirs.make();
    const s = openStore(join(dataDir, "iot.db"));
    // two readings per hour over 48 hours
    for (let h = 0; h < 48; h++) {
      insertReading(s, "d", T0 + h * HOUR_MS + 1, h);
      insertReading(s, "d", T0 + h * HOUR_MS + 2, h + 1);
    }
    // the first 24 hours pruned
    const lc = lifecycle(s, dataDir, () => T0 + 24 * HOUR_MS + 30 * DAY_MS, {
      readings: 30 * DAY_MS,
    });
    await lc.runOnce();
    expect(count(s, "SELECT count(*) AS n FROM readings")).toBe(48);
    const { readSeries } = await import("../store/rollups.ts");
    const points = readSeries(s.db, {
      kind: "readings",
      series: "d",
      metric: "temperature",
      since: T0,
      until: T0 + 2 * DAY_MS,
      bucketMs: DAY_MS,
    });
    // T0 is 10:00: the 48 hours fall in 3 calendar days, the middle one half roll-ups, half raw
    expect(points.map((p) => p.t)).toEqual([
      T0 - 10 * HOUR_MS,
      T0 + 14 * HOUR_MS,
      T0 + 38 * HOUR_MS,
    ]);
    expect(points.map((p) => p.count)).toEqual([28, 48, 20]);
    // every value counted once: 96 values, 0..48
    expect(points.reduce((n, p) => n + p.count, 0)).toBe(96);
    expect(points[1]!.min).toBe(14);
    expect(points[1]!.max).toBe(38);
    expect(points[1]!.mean).toBe(26);
    s.close();
  });
});

describe("space given back", () => {
  test("the database file shrinks after a prune (stat), and /metrics shows disk use per kind", async () => {
    const dataDir = dirs.make();
    const path = join(dataDir, "iot.db");
    const s = openStore(path);
    const insert = s.sqlite.prepare(
      "INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset) VALUES (?, ?, ?, ?, 't', 0, ?)",
    );
    s.sqlite.transaction(() => {
      for (let i = 0; i < 100_000; i++) insert.run(`d${i % 5}`, T0 + i * 1000, 20, 50, i);
    })();
    s.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
    const before = statSync(path).size;
    expect(before).toBeGreaterThan(5_000_000);
    const metrics = new MetricsRegistry();
    const lc = new Lifecycle({
      db: s.db,
      dataDir,
      clock: () => T0 + 100_000 * 1000 + 30 * DAY_MS,
      log: silentLogger,
      metrics,
      retention: { ...keepForever, readings: 30 * DAY_MS },
      pauseMs: 0,
    });
    const report = await lc.runOnce();
    expect(report!.pruned.readings).toBe(100_000);
    s.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
    const after = statSync(path).size;
    expect(after).toBeLessThan(before / 4);
    expect(report!.vacuumedBytes).toBeGreaterThan(before / 2);
    const text = metrics.render();
    expect(text).toContain('iot_store_rows{kind="readings"} 0');
    expect(text).toMatch(/iot_store_rows\{kind="rollups"\} [1-9]/);
    expect(text).toMatch(/iot_store_bytes\{kind="rollups",where="db"\} [1-9]/);
    expect(text).toContain('iot_store_bytes{kind="images",where="files"} 0');
    expect(text).toContain('iot_lifecycle_pruned_rows_total{kind="readings"} 100000');
    s.close();
  }, 60_000);
});

describe("onStep (bench/prune.ts --trace)", () => {
  test("is told every step: its kind of work, size, items done and a duration", async () => {
    const dataDir = dirs.make();
    const s = openStore(join(dataDir, "iot.db"));
    for (let i = 0; i < 7; i++) insertReading(s, "d1", T0 + i * 1000, 20 + i);
    const steps: Array<{ work: string; size: number; n: number; ms: number }> = [];
    const lc = new Lifecycle({
      db: s.db,
      dataDir,
      clock: () => T0 + 40 * DAY_MS,
      log: silentLogger,
      retention: { ...keepForever, readings: 30 * DAY_MS },
      batchRows: 3,
      pauseMs: 0,
      onStep: (work, size, n, ms) => steps.push({ work, size, n, ms }),
    });
    await lc.runOnce();
    const done = (work: string) =>
      steps.filter((x) => x.work === work).reduce((a, x) => a + x.n, 0);
    expect(done("rollup")).toBe(7); // seven rows rolled up
    expect(steps.some((x) => x.work === "ids")).toBe(true);
    // rows steps at most batchRows; vacuum steps are sized in pages
    const rowSteps = steps.filter((x) => x.work !== "vacuum");
    expect(rowSteps.every((x) => x.size >= 1 && x.size <= 3 && x.ms >= 0)).toBe(true);
    expect(count(s, "SELECT count(*) AS n FROM readings")).toBe(0);
    s.close();
  });
});
