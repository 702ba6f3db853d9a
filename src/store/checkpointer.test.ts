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
  const checkpoints = Checkpointer.start(s.sqlite, path, { everyMs: 50 });
  try {
    expect(pragma(s, "wal_autocheckpoint")).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
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
  } finally {
    await checkpoints.stop();
  }
  expect(pragma(s, "wal_autocheckpoint")).toBe(1000);
  s.close();
});
