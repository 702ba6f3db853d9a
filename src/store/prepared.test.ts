import { describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { openStore } from "./index.ts";
import { prepared } from "./prepared.ts";
import { rooms } from "./schema.ts";

describe("prepared", () => {
  test("built once per database, run with each call's parameters", () => {
    const a = openStore(":memory:");
    const b = openStore(":memory:");
    let builds = 0;
    const roomOf = (db: typeof a.db, roomNo: number) =>
      prepared(db, "test.room", () => {
        builds++;
        return db
          .select({ t: rooms.temperature })
          .from(rooms)
          .where(eq(rooms.roomNo, sql.placeholder("roomNo")))
          .prepare();
      }).get({ roomNo });
    a.db.insert(rooms).values({ roomNo: 1, temperature: 20, updatedAt: 1 }).run();
    a.db.insert(rooms).values({ roomNo: 2, temperature: 25, updatedAt: 1 }).run();
    b.db.insert(rooms).values({ roomNo: 1, temperature: 30, updatedAt: 1 }).run();
    expect(roomOf(a.db, 1)?.t).toBe(20);
    expect(roomOf(a.db, 2)?.t).toBe(25);
    expect(roomOf(b.db, 1)?.t).toBe(30);
    expect(builds).toBe(2);
    a.close();
    b.close();
  });
});
