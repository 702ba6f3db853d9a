import { afterAll, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { waitFor } from "../../test/support/wait.ts";
import { Checkpointer, FALLBACK_AUTOCHECKPOINT_PAGES } from "./checkpointer.ts";
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

test("without enough to copy no worker starts; a burst left while idle is copied on this thread", async () => {
  const path = join(dirs.make(), "iot.db");
  const s = openStore(path);
  const checkpoints = Checkpointer.start(s.sqlite, path, { everyMs: 20, idleMs: 50 });
  try {
    await Bun.sleep(120); // the look has seen the store as it was opened
    const before = statSync(path).size;
    s.sqlite.run("CREATE TABLE t (x TEXT)");
    s.sqlite.run(`INSERT INTO t VALUES ('${"y".repeat(20_000)}')`);
    expect(statSync(path).size).toBe(before); // still only in the WAL
    await waitFor(() => statSync(path).size > before, 5_000, "the idle copy");
    expect(checkpoints.workerRunning).toBe(false);
  } finally {
    await checkpoints.stop();
    s.close();
  }
});

test("a look never opens the -shm: SQLite's locks on it stay (closing any descriptor drops them)", async () => {
  const path = join(dirs.make(), "iot.db");
  const s = openStore(path);
  const checkpoints = Checkpointer.start(s.sqlite, path, { everyMs: 20, idleMs: 20 });
  try {
    s.sqlite.run("CREATE TABLE t (x TEXT)");
    await Bun.sleep(100); // several looks
    // another process finds the -shm locked (its DMS byte, held by this one's connection), so it
    // does not take the file over; before, each look's close() dropped that lock
    const probe = Bun.spawnSync([
      "python3",
      "-c",
      "import fcntl,os,struct,sys\n" +
        "fd=os.open(sys.argv[1],os.O_RDWR)\n" +
        "l=struct.pack('hhqqi',fcntl.F_WRLCK,0,128,1,0)\n" +
        "r=struct.unpack('hhqqi',fcntl.fcntl(fd,fcntl.F_GETLK,l))\n" +
        "print('unlocked' if r[0]==fcntl.F_UNLCK else 'locked')",
      `${path}-shm`,
    ]);
    expect(probe.stdout.toString().trim()).toBe("locked");
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

/** ~8 MB of new rows in small commits: the worker's job, far below the fallback's 64 MiB. */
function write8MB(s: ReturnType<typeof openStore>, from: number) {
  const insert = s.sqlite.prepare(
    "INSERT INTO readings (device_id, ts, temperature, src_topic, src_partition, src_offset, msg_id) VALUES ('d', ?, 1, 't', 0, ?, ?)",
  );
  for (let batch = 0; batch < 40; batch++)
    s.sqlite.transaction(() => {
      for (let i = 0; i < 500; i++) {
        const n = from + batch * 500 + i;
        insert.run(n, n, `m-${n}-${"x".repeat(200)}`);
      }
    })();
  return from + 20_000;
}

test("paused, the worker checkpoints nothing (only what is asked for); resumed, it does again", async () => {
  const path = join(dirs.make(), "iot.db");
  const s = openStore(path);
  const checkpoints = Checkpointer.start(s.sqlite, path, { everyMs: 20 });
  const wal = () => statSync(`${path}-wal`).size;
  try {
    await checkpoints.pause();
    expect(checkpoints.isPaused()).toBe(true);
    let next = write8MB(s, 0);
    const before = statSync(path).size;
    await Bun.sleep(600); // some thirty of the worker's ticks, were it not paused
    expect(statSync(path).size).toBe(before);
    expect(wal()).toBeGreaterThan(6_000_000);
    // asked for one while paused: it copies the whole WAL into the file, off this thread
    const done = await checkpoints.checkpoint();
    expect(done?.log).toBeGreaterThan(1500);
    expect(done?.checkpointed).toBe(done!.log);
    expect(statSync(path).size).toBeGreaterThan(before + 6_000_000);
    expect(checkpoints.isPaused()).toBe(true);
    // the WAL starts over at the next write after a whole checkpoint: it does not grow past its
    // size while the same amount is written again (what keeps it bounded during a pass)
    const walBefore = wal();
    const grown = statSync(path).size;
    next = write8MB(s, next);
    await Bun.sleep(300);
    expect(statSync(path).size).toBe(grown);
    expect(await checkpoints.checkpoint()).toBeDefined();
    expect(wal()).toBeLessThan(walBefore * 1.25);
    // resumed: the worker checkpoints by itself again
    checkpoints.resume();
    expect(checkpoints.isPaused()).toBe(false);
    const resumed = statSync(path).size;
    write8MB(s, next);
    await waitFor(
      () => statSync(path).size > resumed + 6_000_000,
      10_000,
      "the worker's checkpoint",
    );
  } finally {
    await checkpoints.stop();
  }
  expect(await checkpoints.checkpoint()).toBeUndefined(); // stopped: nothing to ask
  s.close();
});

test("pauses nest: the worker runs again only after as many resumes", async () => {
  const path = join(dirs.make(), "iot.db");
  const s = openStore(path);
  const checkpoints = Checkpointer.start(s.sqlite, path, { everyMs: 20 });
  try {
    await checkpoints.pause();
    await checkpoints.pause();
    checkpoints.resume();
    expect(checkpoints.isPaused()).toBe(true);
    const before = statSync(path).size;
    write8MB(s, 0);
    await Bun.sleep(600);
    expect(statSync(path).size).toBe(before);
    checkpoints.resume();
    checkpoints.resume(); // one too many: no harm
    await waitFor(
      () => statSync(path).size > before + 6_000_000,
      10_000,
      "the worker's checkpoint",
    );
    await checkpoints.pause();
    expect(checkpoints.isPaused()).toBe(true);
  } finally {
    await checkpoints.stop();
  }
  s.close();
});
