import { expect, test } from "bun:test";
import { openStore } from "./db.ts";
import { historyPage } from "./history.ts";

function store() {
  const s = openStore(":memory:");
  const add = s.sqlite.prepare(
    "INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset) VALUES (?, ?, ?, ?, 't', 0, ?)",
  );
  let offset = 0;
  // pi-1: one reading every 20 s for 3 minutes from t=0; pi-2: two readings
  for (let t = 0; t < 180_000; t += 20_000) add.run("pi-1", t, t / 10_000, 50, offset++);
  add.run("pi-2", 30_000, 10, null, offset++);
  add.run("pi-2", 90_000, 20, null, offset++);
  return s;
}

test("raw: oldest first, since inclusive, until exclusive, since=0 counts", () => {
  const { db } = store();
  const page = historyPage(db, {
    kind: "readings",
    bucket: "raw",
    since: 0,
    until: 40_000,
    limit: 100,
  });
  expect(page.rows.map((r) => [r.device_id, r.ts])).toEqual([
    ["pi-1", 0],
    ["pi-1", 20_000],
    ["pi-2", 30_000],
  ]);
  expect(page.next).toBeUndefined();
});

test("raw paging: every row once, in order, across pages", () => {
  const { db } = store();
  const seen: unknown[] = [];
  let after;
  for (let i = 0; i < 10; i++) {
    const page = historyPage(db, { kind: "readings", bucket: "raw", after, limit: 4 });
    seen.push(...page.rows.map((r) => r.id));
    if (!page.next) break;
    after = page.next;
  }
  expect(seen).toEqual([1, 2, 10, 3, 4, 5, 11, 6, 7, 8, 9]);
});

test("buckets: count and min/mean/max per device and minute, in SQL", () => {
  const { db } = store();
  const page = historyPage(db, {
    kind: "readings",
    bucket: "1m",
    limit: 100,
    filter: { device_id: "pi-1" },
  });
  expect(page.rows).toEqual([
    {
      bucket: 0,
      device_id: "pi-1",
      count: 3,
      temperature_min: 0,
      temperature_mean: 2,
      temperature_max: 4,
      humidity_min: 50,
      humidity_mean: 50,
      humidity_max: 50,
    },
    expect.objectContaining({ bucket: 60_000, count: 3, temperature_min: 6, temperature_max: 10 }),
    expect.objectContaining({ bucket: 120_000, count: 3, temperature_mean: 14 }),
  ]);
});

test("bucket paging: by (bucket, key), each group once", () => {
  const { db } = store();
  const all = historyPage(db, { kind: "readings", bucket: "1m", limit: 100 }).rows;
  expect(all.map((r) => [r.bucket, r.device_id])).toEqual([
    [0, "pi-1"],
    [0, "pi-2"],
    [60_000, "pi-1"],
    [60_000, "pi-2"],
    [120_000, "pi-1"],
  ]);
  const paged: unknown[] = [];
  let after;
  for (let i = 0; i < 10; i++) {
    const page = historyPage(db, { kind: "readings", bucket: "1m", after, limit: 2 });
    paged.push(...page.rows);
    if (!page.next) break;
    after = page.next;
  }
  expect(paged).toEqual(all);
});

test("bins: FULL is no level, and counted", () => {
  const s = openStore(":memory:");
  const add = s.sqlite.prepare(
    "INSERT INTO bins (bin_count, bin_level, full, m_time, ts, src_topic, src_partition, src_offset) VALUES (3, ?, ?, '', ?, 't', 0, ?)",
  );
  add.run("40", 0, 1000, 1);
  add.run("80.5", 0, 2000, 2);
  add.run("FULL", 1, 3000, 3);
  const [row] = historyPage(s.db, { kind: "bins", bucket: "1h", limit: 10 }).rows;
  expect(row).toMatchObject({
    bin_count: 3,
    count: 3,
    bin_level_min: 40,
    bin_level_max: 80.5,
    full_count: 1,
  });
});
