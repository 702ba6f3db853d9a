/**
 * What a readings commit costs SQLite in pages (WAL frames, each a write now and a checkpoint
 * copy later): at 1,000 readings/s the sink commits ~90 times a second, ~11 rows each. Counted
 * from the WAL file itself (24-byte header and one page per frame), with checkpoints off.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { msgIdGenerator } from "../contracts/msg-id.ts";
import { EventBus } from "../events/index.ts";
import { openStore } from "../store/db.ts";
import { sqliteEngine } from "../store/engine/index.ts";
import { readingsSink } from "./readings.ts";
import { handleInBatch, type SinkRecord } from "./run-sink.ts";

const dirs = tempDirs("iot-readings-pages-");
const T = 1_800_000_000_000;

/** WAL frames per commit while a fleet of `devices` sends `rows` readings per commit, 1 ms apart. */
async function framesPerCommit(devices: number, rows: number, commits: number): Promise<number> {
  const path = join(dirs.make(), "iot.db");
  const store = openStore(path);
  store.sqlite.run("PRAGMA wal_autocheckpoint = 0");
  const engine = sqliteEngine(store.db);
  const sink = readingsSink(engine, new EventBus());
  const nextId = msgIdGenerator(T);
  let offset = 0;
  const commit = async (n: number) => {
    const records: SinkRecord[] = [];
    for (let i = 0; i < n; i++, offset++) {
      const device = `pi-${String(offset % devices).padStart(3, "0")}`;
      records.push({
        topic: "iot.telemetry",
        partition: 0,
        offset,
        epoch: 0,
        key: device,
        value: Buffer.from(`{"ts":${T + offset},"temperature":21.5}`),
        // what the bridge gives a reading its device sent without one
        headers: { msg_id: nextId() },
        timestamp: T + offset,
      });
    }
    expect(await handleInBatch(sink, records)).toEqual([]);
  };
  // a store with history: the indexes several levels deep, every device's range in the middle
  for (let i = 0; i < 20; i++) await commit(1000);
  store.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
  for (let i = 0; i < commits; i++) await commit(rows);
  const wal = readFileSync(`${path}-wal`);
  store.close();
  const pageSize = wal.readUInt32BE(8);
  let frames = 0;
  let commitFrames = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    frames++;
    if (wal.readUInt32BE(at + 4) !== 0) commitFrames++; // a commit's last frame
  }
  expect(commitFrames).toBe(commits);
  return frames / commits;
}

test("a fleet's readings commit writes a leaf per device in one index only, not in two", async () => {
  // 50 devices, 11 readings a commit from 11 of them: the (device_id, ts) index takes a leaf per
  // device; readings_msg (msg_id first) takes them all at its end — 32 frames a commit when it
  // too was per device, and the devices row rewritten every commit (20 now)
  expect(await framesPerCommit(50, 11, 400)).toBeLessThan(24);
});

test("one device's readings commit writes a handful of pages", async () => {
  expect(await framesPerCommit(1, 11, 400)).toBeLessThan(8.6); // 9.3 before
});
