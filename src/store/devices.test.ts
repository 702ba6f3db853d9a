/**
 * The devices sink's writes, prepared once and run per record: what a report leaves out keeps the
 * stored value, and last seen only moves forward.
 */
import { expect, test } from "bun:test";
import { TOUCH_STEP_MS, deviceRows } from "./devices.ts";
import { openStore } from "./index.ts";

const row = (s: ReturnType<typeof openStore>, id: string) =>
  s.sqlite
    .query("SELECT kind, online, last_seen, x, y, status FROM devices WHERE id = ?")
    .get(id) as Record<string, unknown>;

test("a report keeps the position and status it leaves out; last seen only moves forward", () => {
  const s = openStore(":memory:");
  const d = deviceRows(s.db);
  d.report({ id: "c1", kind: "coffee", online: true, ts: 1000, x: 3, y: 4, status: "brewing" });
  expect(row(s, "c1")).toEqual({
    kind: "coffee",
    online: 1,
    last_seen: 1000,
    x: 3,
    y: 4,
    status: "brewing",
  });
  // an older report without a position or status: those stay, last seen does not go back
  d.report({ id: "c1", kind: "coffee", online: false, ts: 500, status: "" });
  expect(row(s, "c1")).toEqual({
    kind: "coffee",
    online: 0,
    last_seen: 1000,
    x: 3,
    y: 4,
    status: "brewing",
  });
  d.report({ id: "c1", kind: "coffee", online: true, ts: 2000, x: 5, y: 6, status: "idle" });
  expect(row(s, "c1")).toMatchObject({ online: 1, last_seen: 2000, x: 5, y: 6, status: "idle" });
  s.close();
});

test("a touch marks the device online and seen, never earlier than before", () => {
  const s = openStore(":memory:");
  const d = deviceRows(s.db);
  d.touch("t1", 3000);
  expect(row(s, "t1")).toMatchObject({ online: 1, last_seen: 3000, kind: "device" });
  d.report({ id: "t1", kind: "device", online: false, ts: 3500 });
  d.touch("t1", 2000);
  expect(row(s, "t1")).toMatchObject({ online: 1, last_seen: 3500 });
  d.touch("t1", 4500);
  expect(row(s, "t1")).toMatchObject({ last_seen: 4500 });
  s.close();
});

test("a touch rewrites the row only once last seen moves by a second, or the device was offline", () => {
  const s = openStore(":memory:");
  const d = deviceRows(s.db);
  const changes = () => s.sqlite.query("SELECT total_changes() AS n").get() as { n: number };
  d.touch("t1", 10_000);
  const before = changes().n;
  d.touch("t1", 10_000 + TOUCH_STEP_MS - 1);
  expect(changes().n).toBe(before); // nothing written: the devices page stays clean
  expect(row(s, "t1")).toMatchObject({ online: 1, last_seen: 10_000 });
  d.touch("t1", 10_000 + TOUCH_STEP_MS);
  expect(row(s, "t1")).toMatchObject({ online: 1, last_seen: 10_000 + TOUCH_STEP_MS });
  d.report({ id: "t1", kind: "device", online: false, ts: 11_100 });
  d.touch("t1", 11_200); // back online at once, however soon
  expect(row(s, "t1")).toMatchObject({ online: 1, last_seen: 11_200 });
  s.close();
});
