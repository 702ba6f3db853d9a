/**
 * The readings table's keys: a reading is stored once — by its msg_id when it has one (every
 * bridged reading does), else by its Kafka record — and a commit of readings with msg_ids
 * writes no page of the source-key index (the pipeline's hottest commit: issue 17).
 */
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { walPages } from "../../test/support/wal-pages.ts";
import { tempDirs } from "../../test/support/temp.ts";
import { inTransaction, openStore } from "./index.ts";
import { readingRows, type NewReading } from "./readings.ts";

const dirs = tempDirs("iot-readings-");
afterAll(() => dirs.cleanup());

const T = 1_800_000_000_000;
const reading = (offset: number, msgId: string | null, deviceId = "pi"): NewReading => ({
  deviceId,
  ts: T + offset,
  temperature: 21,
  humidity: null,
  msgId,
  srcTopic: "iot.telemetry",
  srcPartition: 0,
  srcOffset: offset,
  srcEpoch: 0,
  srcTimestamp: T + offset,
});

test("a reading once: by its msg_id (redelivered, or at another offset), else by its record", () => {
  const store = openStore(":memory:");
  const rows = readingRows(store.db);
  expect(rows.insert(reading(0, "m-0"))).toBe(true);
  expect(rows.insert(reading(0, "m-0"))).toBe(false); // the record redelivered
  expect(rows.insert(reading(7, "m-0"))).toBe(false); // the message again, at another offset
  expect(rows.insert(reading(7, "m-0", "other-pi"))).toBe(true); // another device's m-0
  expect(rows.insert(reading(1, null))).toBe(true);
  expect(rows.insert(reading(1, null))).toBe(false); // no msg_id: the record's key tells
  expect(rows.insert({ ...reading(1, null), srcEpoch: 1 })).toBe(true); // a new record there
  const count = store.sqlite.query("SELECT count(*) AS n FROM readings").get() as { n: number };
  expect(count.n).toBe(4);
  store.close();
});

test("a commit of readings with msg_ids writes no page of the source-key index", () => {
  const path = join(dirs.make(), "iot.db");
  const store = openStore(path);
  store.sqlite.run("PRAGMA wal_autocheckpoint = 0");
  const rows = readingRows(store.db);
  const wal = walPages(store.sqlite, path);
  let offset = 0;
  // rounds of 11 bridged readings (the in-process consumer's round at 1,000/s)
  const round = (msgIds: boolean) =>
    inTransaction(store.db, () => {
      for (let i = 0; i < 11; i++, offset++)
        rows.insert(reading(offset, msgIds ? `m-${offset}` : null));
    });
  for (let i = 0; i < 100; i++) round(true); // b-trees a few pages deep
  const before = wal.mark();
  for (let i = 0; i < 50; i++) round(true);
  const written = wal.since(before);
  expect(written.get("readings")).toBeGreaterThanOrEqual(50); // the frames are seen
  expect(written.get("readings_src") ?? 0).toBe(0);
  expect(written.get("readings_src (interior)") ?? 0).toBe(0);
  // without msg_ids the source key is what stores them once: its pages are written
  const plain = wal.mark();
  for (let i = 0; i < 5; i++) round(false);
  expect(wal.since(plain).get("readings_src")).toBeGreaterThanOrEqual(5);
  store.close();
});
