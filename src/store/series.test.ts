import { describe, expect, test } from "bun:test";
import { openStore } from "./db.ts";
import { readingRows } from "./readings.ts";
import { roomRows } from "./rooms.ts";
import { rollUpBatch } from "./rollups.ts";
import { bucketFor, seriesOf } from "./series.ts";

let offset = 0;
const src = () => ({
  srcTopic: "room",
  srcPartition: 0,
  srcOffset: offset++,
  srcEpoch: 0,
  srcTimestamp: 0,
});

const DAY = 86_400_000;

describe("bucketFor", () => {
  test("every picker range fits in 1000 buckets with a nice size", () => {
    for (const [span, size] of [
      [3600_000, 5_000],
      [6 * 3600_000, 30_000],
      [DAY, 120_000],
      [7 * DAY, 900_000],
      [30 * DAY, 3600_000],
    ] as const) {
      expect(bucketFor(span, 1000)).toBe(size);
      expect(span / bucketFor(span, 1000)).toBeLessThanOrEqual(1000);
    }
  });

  test("never below a second, whole days past the list", () => {
    expect(bucketFor(10, 1000)).toBe(1000);
    expect(bucketFor(1000 * DAY, 100)).toBe(10 * DAY);
  });
});

describe("seriesOf", () => {
  test("min, mean and max per bucket, buckets aligned to their size, readings at a boundary in the later one", () => {
    const { db } = openStore(":memory:");
    const rooms = roomRows(db);
    const add = (roomNo: number, ts: number, temperature: number | null, humidity: number) =>
      rooms.insertReading({ roomNo, ts, temperature, humidity, ...src() });
    // bucket 60 000 ms: [60000, 120000) and [120000, 180000)
    add(1, 60_000, 20, 40);
    add(1, 90_000, 22, 50);
    add(1, 119_999, 27, 60);
    add(1, 120_000, 10, 30); // exactly on the boundary: the second bucket
    add(1, 179_000, null, 35); // no temperature: humidity only
    add(2, 90_000, 99, 99); // another room: not counted
    const s = seriesOf(db, { room: 1 }, { since: 70_000, until: 200_000, bucketMs: 60_000 });
    expect(s.since).toBe(60_000); // rounded down to the bucket's start
    expect(s.t).toEqual([60_000, 120_000]);
    expect(s.n).toEqual([3, 2]);
    expect(s.temperature).toEqual({ min: [20, 10], mean: [23, 10], max: [27, 10] });
    expect(s.humidity).toEqual({ min: [40, 30], mean: [50, 32.5], max: [60, 35] });
  });

  test("until is the last millisecond counted", () => {
    const { db } = openStore(":memory:");
    const rooms = roomRows(db);
    rooms.insertReading({ roomNo: 1, ts: 5_000, temperature: 1, humidity: 1, ...src() });
    rooms.insertReading({ roomNo: 1, ts: 5_001, temperature: 3, humidity: 1, ...src() });
    const s = seriesOf(db, { room: 1 }, { since: 0, until: 5_000, bucketMs: 10_000 });
    expect(s.temperature.max).toEqual([1]);
  });

  test("a device's readings, by device id", () => {
    const { db } = openStore(":memory:");
    const rows = readingRows(db);
    for (const [deviceId, ts, t] of [
      ["pi-1", 1_000, 20],
      ["pi-1", 2_000, 21.123],
      ["pi-2", 1_500, 50],
    ] as const)
      rows.insert({ deviceId, ts, temperature: t, humidity: null, msgId: null, ...src() });
    const s = seriesOf(db, { device: "pi-1" }, { since: 0, until: 10_000, bucketMs: 10_000 });
    expect(s.t).toEqual([0]);
    expect(s.temperature).toEqual({ min: [20], mean: [20.56], max: [21.12] });
    expect(s.humidity).toEqual({ min: [null], mean: [null], max: [null] });
  });

  test("30 days of readings every 5 minutes come back as at most 1000 points per series", () => {
    const { db, sqlite } = openStore(":memory:");
    const rooms = roomRows(db);
    const until = Date.UTC(2026, 10, 30);
    const since = until - 30 * DAY;
    sqlite.transaction(() => {
      for (let ts = since; ts <= until; ts += 300_000)
        rooms.insertReading({ roomNo: 3, ts, temperature: 21, humidity: 40, ...src() });
    })();
    const s = seriesOf(db, { room: 3 }, { since, until, bucketMs: bucketFor(until - since, 1000) });
    expect(s.t.length).toBeGreaterThan(700);
    expect(s.t.length).toBeLessThanOrEqual(1000);
    expect(s.temperature.mean.length).toBe(s.t.length);
    expect(s.n.reduce((a, b) => a + b, 0)).toBe(30 * 288 + 1);
  });

  describe("buckets of whole hours", () => {
    const HOUR = 3_600_000;
    const t0 = Date.UTC(2026, 10, 1);
    /** 48 hours of room 1 every 10 min (temperature rising, humidity falling), all rolled up */
    const setup = () => {
      const store = openStore(":memory:");
      const rooms = roomRows(store.db);
      const add = (ts: number, temperature: number, humidity: number) =>
        rooms.insertReading({ roomNo: 1, ts, temperature, humidity, ...src() });
      for (let i = 0; i < 48 * 6; i++) add(t0 + i * 600_000, 20 + i / 10, 60 - i / 20);
      while (rollUpBatch(store.db, "rooms", 100) > 0);
      return { ...store, add };
    };
    const hourOf = (s: ReturnType<typeof seriesOf>, t: number) => {
      const i = s.t.indexOf(t);
      return {
        n: s.n[i],
        temperature: [s.temperature.min[i], s.temperature.mean[i], s.temperature.max[i]],
        humidity: [s.humidity.min[i], s.humidity.mean[i], s.humidity.max[i]],
      };
    };

    test("read from the roll-ups: min, mean and max as the raw rows give them", () => {
      const { db, sqlite } = setup();
      const range = { since: t0, until: t0 + 48 * HOUR - 1, bucketMs: HOUR };
      const s = seriesOf(db, { room: 1 }, range);
      expect(s.t.length).toBe(48);
      // hour 5: readings i = 30…35
      const v = (i: number) => [20 + i / 10, 60 - i / 20];
      expect(hourOf(s, t0 + 5 * HOUR)).toEqual({
        n: 6,
        temperature: [v(30)[0]!, Math.round(((v(30)[0]! + v(35)[0]!) / 2) * 100) / 100, v(35)[0]!],
        humidity: [v(35)[1]!, Math.round(((v(30)[1]! + v(35)[1]!) / 2) * 100) / 100, v(30)[1]!],
      });
      // the answer comes from the roll-up rows, not from the raw ones
      sqlite.run("UPDATE rollups SET value_max = 99 WHERE metric = 'temperature' AND hour = ?", [
        t0 + 5 * HOUR,
      ]);
      expect(seriesOf(db, { room: 1 }, range).temperature.max[5]).toBe(99);
    });

    test("the live edge from the raw rows: readings after the last roll-up count exactly", () => {
      const { db, add } = setup();
      const edge = t0 + 48 * HOUR; // a new hour, not rolled up
      add(edge + 60_000, 30, 40);
      add(edge + 120_000, 34, 42);
      // and a late reading in an hour already rolled up: that hour is read from the raw rows
      add(t0 + 40 * HOUR + 1000, 50, 10);
      const s = seriesOf(db, { room: 1 }, { since: t0, until: edge + HOUR, bucketMs: HOUR });
      expect(hourOf(s, edge)).toEqual({ n: 2, temperature: [30, 32, 34], humidity: [40, 41, 42] });
      expect(hourOf(s, t0 + 40 * HOUR).n).toBe(7);
      expect(hourOf(s, t0 + 40 * HOUR).temperature[2]).toBe(50);
      expect(hourOf(s, t0 + 40 * HOUR).humidity[0]).toBe(10);
    });

    test("a bucket of several hours merges its hours' roll-ups", () => {
      const { db } = setup();
      const s = seriesOf(db, { room: 1 }, { since: t0, until: t0 + 48 * HOUR - 1, bucketMs: DAY });
      expect(s.t).toEqual([t0, t0 + DAY]);
      expect(s.n).toEqual([144, 144]);
      expect(s.temperature.min[1]).toBe(20 + 144 / 10);
      expect(s.temperature.max[0]).toBe(20 + 143 / 10);
    });
  });
});
