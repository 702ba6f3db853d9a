import { afterEach, describe, expect, test } from "bun:test";
import { appendFileSync, readFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { tempDirs } from "../../../../test/support/temp.ts";
import { FileOffsetStore } from "./file-offset-store.ts";
import { MemoryOffsetStore, type OffsetStore } from "./offset-store.ts";

const dirs = tempDirs("iot-offsets-");
afterEach(() => dirs.cleanup());

const o = (topic: string, partition: number, offset: number) => ({
  topic,
  partition,
  offset,
  metadata: null,
});

// One contract, every implementation (the aedes habit).
for (const [name, make] of [
  ["MemoryOffsetStore", () => new MemoryOffsetStore()],
  ["FileOffsetStore", () => new FileOffsetStore(dirs.make())],
] as Array<[string, () => OffsetStore]>) {
  describe(`${name} contract`, () => {
    test("commit, get, list, overwrite", async () => {
      const s = make();
      await s.commit("g", [o("t", 0, 3), o("t", 1, 4)]);
      await s.commit("g", [o("t", 0, 10)]);
      expect(s.get("g", "t", 0)?.offset).toBe(10);
      expect(
        s
          .list("g")
          .map((x) => x.offset)
          .sort(),
      ).toEqual([10, 4]);
      expect(s.get("other", "t", 0)).toBeUndefined();
      expect(s.groups()).toEqual(["g"]);
      s.close();
    });

    test("deleteTopic drops its offsets in every group", async () => {
      const s = make();
      await s.commit("a", [o("t", 0, 1), o("u", 0, 2)]);
      await s.commit("b", [o("t", 1, 3)]);
      await s.deleteTopic("t");
      expect(s.list("a")).toEqual([o("u", 0, 2)]);
      expect(s.list("b")).toEqual([]);
      s.close();
    });
  });
}

describe("FileOffsetStore durability", () => {
  test("a commit with sync: false is written without an fsync; a later synced one syncs", async () => {
    const dir = dirs.make();
    const s = new FileOffsetStore(dir);
    await s.commit("g", [o("t", 0, 5)], { sync: false });
    await s.commit("g", [o("t", 0, 6)], { sync: false });
    expect(s.syncs).toBe(0);
    // written all the same: another store on the file (a process started after a crash) reads it
    const reader = new FileOffsetStore(dir);
    expect(reader.get("g", "t", 0)?.offset).toBe(6);
    reader.close();
    await s.commit("g", [o("t", 1, 1)]);
    expect(s.syncs).toBe(1);
    s.close();
  });

  test("reopens with the last commits, tombstones applied", async () => {
    const dir = dirs.make();
    let s = new FileOffsetStore(dir);
    await s.commit("g", [o("t", 0, 1)]);
    await s.commit("g", [o("t", 0, 2), o("x", 0, 7)]);
    await s.deleteTopic("x");
    s.close();
    s = new FileOffsetStore(dir);
    expect(s.list("g")).toEqual([o("t", 0, 2)]);
    s.close();
  });

  test("a torn tail or garbage keeps earlier commits and later commits still work", async () => {
    const dir = dirs.make();
    let s = new FileOffsetStore(dir);
    await s.commit("g", [o("t", 0, 1)]);
    await s.commit("g", [o("t", 0, 2)]);
    s.close();
    const file = join(dir, "offsets.log");
    truncateSync(file, readFileSync(file).length - 5);
    appendFileSync(file, "garbage");
    s = new FileOffsetStore(dir);
    expect(s.get("g", "t", 0)?.offset).toBe(1);
    await s.commit("g", [o("t", 0, 3)]);
    s.close();
    s = new FileOffsetStore(dir);
    expect(s.get("g", "t", 0)?.offset).toBe(3);
    s.close();
  });
});
