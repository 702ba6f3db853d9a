import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { openStore } from "./db.ts";
import { pruneGroupBatch } from "./prune.ts";
import { HOUR_MS, readSeries, rollUpBatch } from "./rollups.ts";

const dirs = tempDirs("iot-rollups-");
afterAll(() => dirs.cleanup());

test("a batch rolls up only rows up to its last id: rows after it, merged later, count once", () => {
  const s = openStore(join(dirs.make(), "iot.db"));
  const H = Date.UTC(2026, 0, 1, 10);
  const insert = s.sqlite.prepare(
    "INSERT INTO readings (device_id, ts, temperature, src_topic, src_partition, src_offset) VALUES ('d', ?, ?, 't', 0, ?)",
  );
  for (let i = 1; i <= 6; i++) insert.run(H + i, i, i);
  expect(rollUpBatch(s.db, "readings", 3)).toBe(3);
  // the prune cuts into the hour (only the 3 rows rolled up go), then the rest is rolled up
  expect(pruneGroupBatch(s.db, "readings", "d", H + 10, 100)).toBe(3);
  expect(rollUpBatch(s.db, "readings", 3)).toBe(3);
  expect(rollUpBatch(s.db, "readings", 3)).toBe(0);
  const q = { kind: "readings", series: "d", metric: "temperature" } as const;
  expect(readSeries(s.db, { ...q, since: H, until: H + HOUR_MS, bucketMs: HOUR_MS })).toEqual([
    { t: H, count: 6, min: 1, mean: 3.5, max: 6 },
  ]);
  s.close();
});

test("readSeries refuses a bucket that is not a positive integer of ms", () => {
  const s = openStore(join(dirs.make(), "iot.db"));
  const q = { kind: "rooms", series: "1", metric: "humidity", since: 0, until: 1 } as const;
  expect(() => readSeries(s.db, { ...q, bucketMs: 0 })).toThrow(RangeError);
  expect(() => readSeries(s.db, { ...q, bucketMs: 1.5 })).toThrow(RangeError);
  expect(readSeries(s.db, { ...q, bucketMs: 1000 })).toEqual([]);
  s.close();
});
