import { expect, test } from "bun:test";
import { boundedMemo } from "./bounded.ts";

test("computes a string once, undefined answers included", () => {
  const calls: string[] = [];
  const memo = boundedMemo((s) => (calls.push(s), s === "bad" ? undefined : s.length));
  expect([memo("ab"), memo("ab"), memo("bad"), memo("bad")]).toEqual([2, 2, undefined, undefined]);
  expect(calls).toEqual(["ab", "bad"]);
});

test("keeps at most `max` answers, and none for strings longer than `maxLength`", () => {
  const calls: string[] = [];
  const memo = boundedMemo((s) => (calls.push(s), s), { max: 2, maxLength: 3 });
  for (const s of ["a", "b", "c", "a", "long", "long"]) memo(s);
  // "c" found the set full: it was emptied, so "a" was computed again; "long" is never kept
  expect(calls).toEqual(["a", "b", "c", "a", "long", "long"]);
  memo("c");
  expect(calls.length).toBe(6);
});
