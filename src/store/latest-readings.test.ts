import { expect, test } from "bun:test";
import { openStore } from "./index.ts";
import { queries } from "./queries.ts";

test("each device's newest reading, by id, whatever order the rows came in", () => {
  const s = openStore(":memory:");
  const insert = s.sqlite.prepare(
    `INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition,
       src_offset, src_epoch, src_timestamp) VALUES (?, ?, ?, ?, 't', 0, ?, 0, 0)`,
  );
  const rows: Array<[string, number, number]> = [
    ["pi-b", 50, 1],
    ["pi-a", 10, 2],
    ["pi-b", 90, 3], // pi-b's newest
    ["pi-a", 30, 4], // pi-a's newest, though not its last row
    ["pi-a", 20, 5],
    ["cam-1", 5, 6],
  ];
  rows.forEach(([id, ts, t], i) => insert.run(id, ts, t, 40, i));
  expect(queries(s.db).latestReadings()).toEqual([
    { device_id: "cam-1", ts: 5, temperature: 6, humidity: 40 },
    { device_id: "pi-a", ts: 30, temperature: 4, humidity: 40 },
    { device_id: "pi-b", ts: 90, temperature: 3, humidity: 40 },
  ]);
  expect(queries(openStore(":memory:").db).latestReadings()).toEqual([]);
  s.close();
});
