import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { alertBulk, alertList, countAlerts } from "./alert-list.ts";
import { alertRows } from "./alerts.ts";
import { openStore, type Store } from "./db.ts";

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** A real SQLite file with: bin 3 full 5 times (4 cleared, 1 open), room 2 rule 1 once
 * (acknowledged), room 12 rule 1 cleared twice, a critical disk alert open, jane away open. */
function seeded() {
  const dir = mkdtempSync(join(tmpdir(), "iot-alerts-"));
  dirs.push(dir);
  const store = openStore(join(dir, "iot.db"));
  stores.push(store);
  const rows = alertRows(store.db);
  let t = 1_000_000;
  const fire = (kind: string, subject: string, end?: "cleared" | "acknowledged") => {
    const at = (t += 1000);
    const id = rows.open(kind, subject, `${subject} fired at ${at}`, "warning", at);
    if (end) rows.setState(id, end, (t += 10));
    return id;
  };
  for (let i = 0; i < 4; i++) fire("bin-full", "bin 3", "cleared");
  const binOpen = fire("bin-full", "bin 3");
  const room2 = fire("room-rule", "room 2 rule 1", "acknowledged");
  fire("room-rule", "room 12 rule 1", "cleared");
  fire("room-rule", "room 12 rule 1", "cleared");
  const disk = rows.open("disk", "/data", "disk full", "critical", (t += 1000));
  const jane = fire("away-too-long", "jane");
  return { db: store.db, binOpen, room2, disk, jane };
}

describe("alert groups", () => {
  test("repeats are one group with their count, first and last time; open first, then acknowledged, then cleared", () => {
    const { db, binOpen, disk } = seeded();
    const page = alertList(db).groups({});
    expect(page.groups.map((g) => [g.state, g.kind, g.subject, g.count])).toEqual([
      ["open", "disk", "/data", 1], // critical before warning
      ["open", "away-too-long", "jane", 1],
      ["open", "bin-full", "bin 3", 1],
      ["acknowledged", "room-rule", "room 2 rule 1", 1],
      ["cleared", "room-rule", "room 12 rule 1", 2],
      ["cleared", "bin-full", "bin 3", 4],
    ]);
    const cleared = page.groups.at(-1)!;
    expect(cleared.last_at - cleared.first_at).toBe(3 * 1010);
    expect(cleared.message).toBe(`bin 3 fired at ${cleared.last_at}`); // the newest member's
    expect(cleared.last_id).toBe(binOpen - 1);
    expect(page.groups[0]!.last_id).toBe(disk);
    expect(page).toMatchObject({ total_groups: 6, total_alerts: 10, page: 1, pages: 1 });
    expect(page.by_state).toEqual({ open: 3, acknowledged: 1, cleared: 6 });
  });

  test("filters: state, kind, room (not room 12 for room 1), device", () => {
    const { db } = seeded();
    const list = alertList(db);
    const subjects = (f: Parameters<typeof list.groups>[0]) =>
      list.groups(f).groups.map((g) => `${g.state} ${g.subject}`);
    expect(subjects({ state: "open" })).toEqual(["open /data", "open jane", "open bin 3"]);
    expect(subjects({ state: "active", kind: "room-rule" })).toEqual([
      "acknowledged room 2 rule 1",
    ]);
    expect(subjects({ room: 2 })).toEqual(["acknowledged room 2 rule 1"]);
    expect(subjects({ room: 1 })).toEqual([]);
    expect(subjects({ room: 12 })).toEqual(["cleared room 12 rule 1"]);
    expect(subjects({ device: "/data" })).toEqual(["open /data"]);
    const roomPage = list.groups({ room: 12, state: "open" });
    expect(roomPage).toMatchObject({ total_groups: 0, total_alerts: 0, pages: 1 });
    // the tabs count the other filters' matches per state
    expect(roomPage.by_state).toEqual({ open: 0, acknowledged: 0, cleared: 2 });
  });

  test("pages: a size, the real totals, and nothing past the end", () => {
    const { db } = seeded();
    const list = alertList(db);
    const all = list.groups({}).groups.map((g) => g.last_id);
    const p1 = list.groups({}, 1, 4);
    const p2 = list.groups({}, 2, 4);
    expect(p1).toMatchObject({ total_groups: 6, total_alerts: 10, pages: 2, size: 4 });
    expect([...p1.groups, ...p2.groups].map((g) => g.last_id)).toEqual(all);
    expect(list.groups({}, 3, 4).groups).toEqual([]);
  });

  test("a group's history: every time it fired, newest first", () => {
    const { db, binOpen } = seeded();
    const h = alertList(db).history("bin-full", "bin 3", 3);
    expect(h.total).toBe(5);
    expect(h.rows.map((r) => r.id)).toEqual([binOpen, binOpen - 1, binOpen - 2]);
  });

  test("countAlerts is the real count, however many", () => {
    const { db } = seeded();
    expect(countAlerts(db, "open")).toBe(3);
    expect(countAlerts(db, "active")).toBe(4);
    expect(countAlerts(db)).toBe(10);
  });
});

describe("bulk acknowledge and clear", () => {
  test("by ids: only those that can move; returns what changed", () => {
    const { db, binOpen, room2, jane } = seeded();
    const bulk = alertBulk(db);
    expect(bulk.byIds([binOpen, room2, binOpen - 1], "acknowledged", 5)).toEqual([binOpen]);
    expect(countAlerts(db, "acknowledged")).toBe(2);
    expect(bulk.byIds([binOpen, room2, jane], "cleared", 6).sort()).toEqual(
      [binOpen, room2, jane].sort(),
    );
    expect(countAlerts(db, "active")).toBe(1); // the disk alert
    expect(alertList(db).byId(jane)).toMatchObject({ state: "cleared", cleared_at: 6 });
  });

  test("by group: every member of kind+subject+state", () => {
    const { db } = seeded();
    const bulk = alertBulk(db);
    expect(
      bulk.byGroups([{ kind: "bin-full", subject: "bin 3", state: "cleared" }], "cleared", 7),
    ).toEqual([]);
    const changed = bulk.byGroups(
      [
        { kind: "bin-full", subject: "bin 3", state: "open" },
        { kind: "disk", subject: "/data", state: "open" },
      ],
      "acknowledged",
      7,
    );
    expect(changed).toHaveLength(2);
    expect(
      alertList(db)
        .groups({ state: "open" })
        .groups.map((g) => g.subject),
    ).toEqual(["jane"]);
  });
});
