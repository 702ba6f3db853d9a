import { describe, expect, test } from "bun:test";
import { consoleReads } from "./console-reads.ts";
import { openStore } from "./index.ts";
import { alerts, entranceEvents, people } from "./schema.ts";

describe("consoleReads", () => {
  test("alertCount counts every alert in a state, past any page size", () => {
    const { db } = openStore(":memory:");
    const rows = Array.from({ length: 250 }, (_, i) => ({
      kind: "bin-full",
      subject: `bin ${i}`,
      message: "FULL",
      createdAt: i,
      state: i % 5 === 0 ? ("cleared" as const) : ("open" as const),
    }));
    db.insert(alerts).values(rows).run();
    const r = consoleReads(db);
    expect(r.alertCount("open")).toBe(200);
    expect(r.alertCount("cleared")).toBe(50);
    expect(r.alertCount("acknowledged")).toBe(0);
  });

  test("a person's events in a window, oldest first; the newest before a time", () => {
    const { db } = openStore(":memory:");
    const ev = (name: string, recordType: "in" | "out", ts: number) => ({ name, recordType, ts });
    db.insert(entranceEvents)
      .values([
        ev("ann", "in", 100),
        ev("ann", "out", 300),
        ev("bob", "out", 200),
        ev("ann", "in", 50),
      ])
      .run();
    db.insert(people)
      .values({ name: "ann", state: "out", since: 300, day: "2026-01-01", flagged: true })
      .run();
    const r = consoleReads(db);
    expect(r.personEvents("ann", 60, 1000).map((e) => [e.record_type, e.ts])).toEqual([
      ["in", 100],
      ["out", 300],
    ]);
    expect(r.recentPersonEvents("ann", 1, 100).map((e) => e.ts)).toEqual([50]);
    expect(r.recentPersonEvents("ann", 10).map((e) => e.ts)).toEqual([300, 100, 50]);
    expect(r.person("ann")).toMatchObject({ name: "ann", state: "out", flagged: true });
    expect(r.person("nobody")).toBeUndefined();
  });
});
