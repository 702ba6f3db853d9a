/**
 * A chart reaching back past the raw window: the raw rows are pruned, and the series reads the
 * hourly roll-ups there with the same min / mean / max the raw rows gave.
 */
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../core/log/index.ts";
import { openStore } from "../store/index.ts";
import { roomRows } from "../store/rooms.ts";
import { seriesOf } from "../store/series.ts";
import { keepForever, Lifecycle } from "./index.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

test("a room's series past the raw window comes from the roll-ups, equal to the raw aggregates", async () => {
  const dir = mkdtempSync(join(tmpdir(), "iot-series-rollups-"));
  const store = openStore(join(dir, "iot.db"));
  try {
    const t0 = 100 * DAY;
    const rooms = roomRows(store.db);
    // two days of readings every 10 min: temperature climbs 0.1 per reading
    for (let i = 0; i < 288; i++)
      rooms.insertReading({
        roomNo: 7,
        ts: t0 + i * 600_000,
        temperature: 20 + i / 10,
        humidity: 40 + (i % 6),
        srcTopic: "room",
        srcPartition: 0,
        srcOffset: i,
        srcEpoch: 0,
        srcTimestamp: 0,
      });
    const range = { since: t0, until: t0 + 2 * DAY - 1, bucketMs: 6 * HOUR };
    const before = seriesOf(store.db, { room: 7 }, range);
    const lifecycle = new Lifecycle({
      db: store.db,
      dataDir: dir,
      clock: () => t0 + 2 * DAY + DAY, // a day past the last reading, raw kept 1 day
      log: silentLogger,
      retention: { ...keepForever, readings: DAY },
      pauseMs: 0,
    });
    await lifecycle.runOnce();
    const left = store.sqlite.query("SELECT count(*) AS n FROM room_readings").get() as {
      n: number;
    };
    expect(left.n).toBe(0);
    const after = seriesOf(store.db, { room: 7 }, range);
    expect(after.t).toEqual(before.t);
    expect(after.n).toEqual(before.n);
    expect(after.temperature).toEqual(before.temperature);
    expect(after.humidity).toEqual(before.humidity);
    expect(before.t.length).toBe(8);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
