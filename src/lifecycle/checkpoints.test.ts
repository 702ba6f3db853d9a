import { afterAll, describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { waitFor } from "../../test/support/wait.ts";
import { silentLogger } from "../core/log/index.ts";
import { Checkpointer } from "../store/checkpointer.ts";
import { sqliteLifecycleStore } from "../store/engine/sqlite-lifecycle.ts";
import { openStore, type Store } from "../store/index.ts";
import { DAY_MS, keepForever, Lifecycle, type LifecycleOptions } from "./index.ts";

const dirs = tempDirs("iot-lifecycle-checkpoints-");
afterAll(() => dirs.cleanup());

const T0 = Date.UTC(2026, 0, 1, 10);
const ROWS = 40_000;

/** A SQLite file with ROWS readings, all past a 30-day window at T0 + 40 days; its checkpointer. */
function fixture() {
  const dataDir = dirs.make();
  const path = join(dataDir, "iot.db");
  const s = openStore(path);
  const insert = s.sqlite.prepare(
    "INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset, msg_id) VALUES (?, ?, 20, 50, 't', 0, ?, ?)",
  );
  s.sqlite.transaction(() => {
    for (let i = 0; i < ROWS; i++) insert.run(`d${i % 5}`, T0 + i * 1000, i, `m-${i}`);
  })();
  s.sqlite.run("PRAGMA wal_checkpoint(TRUNCATE)");
  const checkpoints = Checkpointer.start(s.sqlite, path, { everyMs: 20 });
  return { dataDir, path, s, checkpoints };
}

const options = (s: Store, dataDir: string, more: Partial<LifecycleOptions>): LifecycleOptions => ({
  db: s.db,
  dataDir,
  clock: () => T0 + 40 * DAY_MS,
  log: silentLogger,
  retention: { ...keepForever, readings: 30 * DAY_MS },
  pauseMs: 0,
  // small steps: many of them, so the WAL would grow far past one step's size unchecked
  batchRows: 500,
  vacuumPages: 64,
  ...more,
});

/** The worker checkpoints on its own: new rows reach the database file without being asked for. */
async function workerRuns(s: Store, path: string) {
  const before = statSync(path).size;
  const insert = s.sqlite.prepare(
    "INSERT INTO readings (device_id, ts, temperature, src_topic, src_partition, src_offset, msg_id) VALUES ('w', ?, 1, 'w', 0, ?, ?)",
  );
  s.sqlite.transaction(() => {
    for (let i = 0; i < 10_000; i++) insert.run(Date.now(), i, `w-${i}-${"x".repeat(200)}`);
  })();
  await waitFor(() => statSync(path).size > before + 2_000_000, 10_000, "the worker's checkpoint");
}

describe("the WAL checkpoints' worker during a pass", () => {
  test("is paused for the steps, checkpoints between them (the WAL stays short), and resumes after", async () => {
    const { dataDir, path, s, checkpoints } = fixture();
    const pausedAt: Record<string, boolean> = {};
    let walMax = 0;
    // frames written to the WAL: each checkpoint tells the WAL's length since it started over
    let framesWritten = 0;
    let walFrames = 0;
    let asked = 0;
    let steps = 0;
    try {
      const lc = new Lifecycle(
        options(s, dataDir, {
          checkpoints,
          onStage: (stage) => (pausedAt[stage] = checkpoints.isPaused()),
          onStep: (work, size) => {
            walMax = Math.max(walMax, statSync(`${path}-wal`).size);
            if (work !== "checkpoint") return void steps++;
            asked++;
            if (size < walFrames) framesWritten += walFrames; // started over
            walFrames = size;
          },
        }),
      );
      const report = await lc.runOnce();
      expect(report!.pruned.readings).toBe(ROWS);
      expect(pausedAt).toEqual({ "roll-up": true, prune: true, vacuum: true, measure: false });
      expect(asked).toBe(steps); // one after every step
      // bounded: the WAL never held more than a small part of what went through it
      const writtenBytes = (framesWritten + walFrames) * 4096;
      expect(writtenBytes).toBeGreaterThan(6_000_000);
      expect(walMax).toBeLessThan(writtenBytes / 4);
      expect(checkpoints.isPaused()).toBe(false);
      await workerRuns(s, path);
    } finally {
      await checkpoints.stop();
      s.close();
    }
  }, 60_000);

  test("resumes after a failing pass", async () => {
    const { dataDir, path, s, checkpoints } = fixture();
    try {
      const store = sqliteLifecycleStore(s.db);
      let pausedWhenFailed = false;
      const failing = {
        ...store,
        pruneIdRange: () => {
          pausedWhenFailed = checkpoints.isPaused();
          return Promise.reject(new Error("disk I/O error"));
        },
      };
      const lc = new Lifecycle({
        ...options(s, dataDir, { checkpoints }),
        db: undefined,
        store: failing,
      });
      await expect(lc.runOnce()).rejects.toThrow("disk I/O error");
      expect(pausedWhenFailed).toBe(true);
      expect(checkpoints.isPaused()).toBe(false);
      await workerRuns(s, path);
    } finally {
      await checkpoints.stop();
      s.close();
    }
  }, 60_000);
});
