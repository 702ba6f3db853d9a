import { describe, expect, test } from "bun:test";
import { openStore } from "./index.ts";
import { deviceCommandRows } from "./device-commands.ts";
import { devicePositionRows } from "./device-positions.ts";

describe("device trails and command history", () => {
  test("a trail keeps the newest positions only, oldest first, per device", () => {
    const { db } = openStore(":memory:");
    const trails = devicePositionRows(db, 3);
    for (let i = 0; i < 6; i++) trails.add("a", { ts: 100 + i, x: i, y: -i });
    trails.add("b", { ts: 5, x: 9, y: 9 });
    const all = trails.trails();
    expect(all.get("a")).toEqual([
      { ts: 103, x: 3, y: -3 },
      { ts: 104, x: 4, y: -4 },
      { ts: 105, x: 5, y: -5 },
    ]);
    expect(all.get("b")).toEqual([{ ts: 5, x: 9, y: 9 }]);
    expect([...trails.trails(["b"]).keys()]).toEqual(["b"]);
  });

  test("commands newest first, with why one was not sent", () => {
    const { db } = openStore(":memory:");
    const commands = deviceCommandRows(db);
    commands.add({ deviceId: "a", ts: 1, status: "Inactive", code: 200 });
    commands.add({ deviceId: "a", ts: 2, status: "Active", code: 503, problem: "Kafka: down" });
    commands.add({ deviceId: "b", ts: 3, status: "Active", code: 200 });
    expect(commands.recent("a").map((c) => [c.status, c.code, c.problem])).toEqual([
      ["Active", 503, "Kafka: down"],
      ["Inactive", 200, null],
    ]);
    expect(commands.recent("a", 1).length).toBe(1);
  });
});
