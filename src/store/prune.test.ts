import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { openStore } from "./db.ts";
import { idSpan, pruneIdRange } from "./prune.ts";
import { prunedTo, rollUpBatch } from "./rollups.ts";

const dirs = tempDirs("iot-prune-");
afterAll(() => dirs.cleanup());

test("a range of ids loses its old rows that are rolled up; the young and the rest stay", () => {
  const s = openStore(join(dirs.make(), "iot.db"));
  const insert = s.sqlite.prepare(
    "INSERT INTO readings (device_id, ts, temperature, src_topic, src_partition, src_offset) VALUES ('d', ?, 1, 't', 0, ?)",
  );
  // ids 1..10: ts 100..1000, id 4 young (a clock ahead)
  for (let i = 1; i <= 10; i++) insert.run(i === 4 ? 1_000_000 : i * 100, i);
  expect(idSpan(s.sqlite, "readings")).toEqual([1, 0]); // nothing rolled up: nothing may go
  expect(pruneIdRange(s.db, "readings", 1, 5, 10_000)).toEqual({ deleted: 0, kept: 5 });
  rollUpBatch(s.db, "readings", 8); // ids 1..8
  expect(idSpan(s.sqlite, "readings")).toEqual([1, 8]);
  // ids 1..5: 4 old go, the young one stays; the cut-off is recorded for the readers
  expect(pruneIdRange(s.db, "readings", 1, 5, 10_000)).toEqual({ deleted: 4, kept: 1 });
  expect(prunedTo(s.sqlite, "readings")).toBe(10_000);
  // ids 6..10: 9 and 10 are not rolled up yet
  expect(pruneIdRange(s.db, "readings", 6, 5, 10_000)).toEqual({ deleted: 3, kept: 2 });
  // a range past the rows: nothing there (the walk goes on through such a hole)
  expect(pruneIdRange(s.db, "readings", 20, 5, 10_000)).toEqual({ deleted: 0, kept: 0 });
  const left = s.sqlite.query("SELECT id FROM readings ORDER BY id").all();
  expect(left).toEqual([{ id: 4 }, { id: 9 }, { id: 10 }]);
  s.close();
});
