import { expect, test } from "bun:test";
import { Mutex } from "./mutex.ts";

test("holders run one at a time, in arrival order, a failing one not blocking the next", async () => {
  const mutex = new Mutex();
  const log: string[] = [];
  const holder = (name: string, fail = false) =>
    mutex.run(async () => {
      log.push(`${name} in`);
      await Bun.sleep(5);
      await Promise.resolve();
      log.push(`${name} out`);
      if (fail) throw new Error(name);
      return name;
    });
  const results = await Promise.allSettled([holder("a"), holder("b", true), holder("c")]);
  expect(log).toEqual(["a in", "a out", "b in", "b out", "c in", "c out"]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
});

test("run yields before the holder starts", async () => {
  const mutex = new Mutex();
  let started = false;
  const p = mutex.run(async () => {
    started = true;
  });
  expect(started).toBe(false);
  await p;
  expect(started).toBe(true);
});
