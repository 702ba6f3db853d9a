import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../../test/support/temp.ts";
import { sequenceCounts } from "./sequence.ts";
import { countStored, outOfOrder, readReadings, type Identified } from "./store.ts";

const dirs = tempDirs("iot-chaos-store-");
afterAll(() => dirs.cleanup());

/** A readings table as on main, or with the identity branch's msg_id column. */
function store(withMsgId: boolean, rows: Array<[string, number, string | null]>): string {
  const dir = dirs.make();
  const db = new Database(join(dir, "iot.db"));
  db.run(
    `CREATE TABLE readings (id INTEGER PRIMARY KEY, device_id TEXT, ts INTEGER, src_partition INTEGER, src_offset INTEGER${withMsgId ? ", msg_id TEXT" : ""})`,
  );
  rows.forEach(([d, ts, m], i) =>
    withMsgId
      ? db.run("INSERT INTO readings VALUES (?, ?, ?, 0, ?, ?)", [i + 1, d, ts, i, m])
      : db.run("INSERT INTO readings VALUES (?, ?, ?, 0, ?)", [i + 1, d, ts, i]),
  );
  db.close();
  return dir;
}

const msgs = (n: number): Map<string, Identified> =>
  new Map(
    Array.from({ length: n }, (_, i) => [
      `d-${i}`,
      { msgId: `d-${i}`, deviceId: "d", ts: 100 + i },
    ]),
  );

describe("counting the store", () => {
  test("by (device_id, ts) without a msg_id column: one lost, one copy", () => {
    const dir = store(false, [
      ["d", 100, null],
      ["d", 101, null],
      ["d", 101, null],
      ["other", 100, null],
    ]);
    const c = countStored(msgs(3), msgs(3), readReadings(dir, "d"));
    expect(c).toMatchObject({ basis: "(device_id, ts)", stored: 2, lost: 1, duplicated: 1 });
  });

  test("by msg_id when the column is there", () => {
    const dir = store(true, [
      ["d", 100, "d-0"],
      ["d", 100, "d-1"],
      ["d", 102, "d-2"],
    ]);
    const c = countStored(msgs(3), msgs(3), readReadings(dir, "d"));
    expect(c).toMatchObject({ basis: "msg_id", stored: 3, lost: 0, duplicated: 0 });
  });

  test("a device's sequence: gaps are lost readings, copies and disorder are seen", () => {
    const rows = readReadings(
      store(true, [
        ["d", 1000, "d-1"],
        ["d", 3000, "d-3"],
        ["d", 2000, "d-2"],
        ["d", 6000, "d-6"],
        ["d", 6000, "d-6"],
      ]),
      "d",
    ).rows;
    expect(sequenceCounts(rows, 1000)).toMatchObject({
      made: 6,
      stored: 4,
      missing: 2,
      duplicated: 1,
    });
    expect(outOfOrder(rows).map((r) => r.ts)).toEqual([2000]);
  });
});
