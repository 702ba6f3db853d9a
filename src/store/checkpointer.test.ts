import { afterAll, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { waitFor } from "../../test/support/wait.ts";
import { Checkpointer, FALLBACK_AUTOCHECKPOINT_PAGES, pendingWalFrames } from "./checkpointer.ts";
import { openStore } from "./db.ts";

const dirs = tempDirs("iot-checkpointer-");
afterAll(() => dirs.cleanup());

const pragma = (s: { sqlite: import("bun:sqlite").Database }, name: string) =>
  Object.values(s.sqlite.query(`PRAGMA ${name}`).get() as Record<string, number>)[0];

test("the worker moves the WAL into the database file; the writers' connection no longer does", async () => {
  const path = join(dirs.make(), "iot.db");
  const s = openStore(path);
  const checkpoints = Checkpointer.start(s.sqlite, path, { everyMs: 50, idleMs: 100 });
  try {
    expect(pragma(s, "wal_autocheckpoint")).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
    expect(checkpoints.workerRunning).toBe(false); // nothing to copy yet
    const before = statSync(path).size;
    // ~8 MB in small commits: far below the main connection's own threshold (64 MiB), so only
    // the worker can have put these pages into the database file
    const insert = s.sqlite.prepare(
      "INSERT INTO readings (device_id, ts, temperature, src_topic, src_partition, src_offset, msg_id) VALUES ('d', ?, 1, 't', 0, ?, ?)",
    );
    for (let batch = 0; batch < 40; batch++)
      s.sqlite.transaction(() => {
        for (let i = 0; i < 500; i++) {
          const n = batch * 500 + i;
          insert.run(n, n, `m-${n}-${"x".repeat(200)}`);
        }
      })();
    await waitFor(() => statSync(path).size > before + 6_000_000, 10_000, "the file to grow");
    // its reports reach this thread once the inserts above let go of it
    await waitFor(() => checkpoints.largestCheckpoint() > 1000, 5_000, "the worker's report");
    expect(checkpoints.workerRunning).toBe(true);
  } finally {
    await checkpoints.stop();
  }
  expect(pragma(s, "wal_autocheckpoint")).toBe(1000);
  s.close();
});

test("pendingWalFrames reads the frames not yet copied from the wal-index header", () => {
  const path = join(dirs.make(), "iot.db");
  const s = openStore(path);
  try {
    s.sqlite.run("PRAGMA wal_autocheckpoint = 0"); // only the checkpoints below copy
    s.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(pendingWalFrames(path)).toBe(0);
    s.sqlite.run("CREATE TABLE t (x TEXT)");
    const insert = s.sqlite.prepare("INSERT INTO t VALUES (?)");
    for (let i = 0; i < 50; i++) insert.run("y".repeat(8000)); // 50 commits of 2+ pages each
    const log = (s.sqlite.query("PRAGMA wal_checkpoint(PASSIVE)").get() as { log: number }).log;
    expect(log).toBeGreaterThan(100);
    // everything was just copied: nothing pending, though the WAL still holds every frame
    expect(pendingWalFrames(path)).toBe(0);
    for (let i = 0; i < 10; i++) insert.run("z".repeat(8000));
    expect(pendingWalFrames(path)).toBeGreaterThanOrEqual(20);
  } finally {
    s.close();
  }
  expect(pendingWalFrames(join(dirs.make(), "none.db"))).toBeUndefined();
});

test("without enough to copy no worker starts; a little left while idle is copied on this thread", async () => {
  const path = join(dirs.make(), "iot.db");
  const s = openStore(path);
  s.sqlite.run("CREATE TABLE t (x TEXT)");
  s.sqlite.run("INSERT INTO t VALUES ('a few frames')");
  const checkpoints = Checkpointer.start(s.sqlite, path, { everyMs: 20, idleMs: 50 });
  try {
    expect(pendingWalFrames(path)).toBeGreaterThan(0);
    await waitFor(() => pendingWalFrames(path) === 0, 5_000, "the idle copy");
    expect(checkpoints.workerRunning).toBe(false);
  } finally {
    await checkpoints.stop();
    s.close();
  }
});

test("a trickle of writes seen across two looks starts the worker (its commits get synced)", async () => {
  const path = join(dirs.make(), "iot.db");
  const s = openStore(path);
  s.sqlite.run("CREATE TABLE t (x TEXT)");
  const checkpoints = Checkpointer.start(s.sqlite, path, { everyMs: 20, idleMs: 50 });
  try {
    // one small commit every 10 ms: never quiet for a look, never 1 MiB of WAL
    for (let i = 0; i < 30 && !checkpoints.workerRunning; i++) {
      s.sqlite.run("INSERT INTO t VALUES ('a reading')");
      await Bun.sleep(10);
    }
    expect(checkpoints.workerRunning).toBe(true);
  } finally {
    await checkpoints.stop();
    s.close();
  }
});
