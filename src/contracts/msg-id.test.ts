import { expect, test } from "bun:test";
import { msgIdGenerator, msgIdProblem } from "./msg-id.ts";

test("generated ids are valid msg_ids, unique, and sort in the order they were made", () => {
  const next = msgIdGenerator();
  // past 36 and 1,296: where unpadded base-36 numbers stop sorting as numbers ("10" < "2")
  const ids = Array.from({ length: 50_000 }, next);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.map((id) => msgIdProblem(id, "id")).filter((p) => p !== null)).toEqual([]);
  const sorted = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  expect(sorted).toEqual(ids);
});

test("two generators (two processes) make different ids; a later process's sort after", () => {
  const a = msgIdGenerator(1_800_000_000_000);
  const b = msgIdGenerator(1_800_000_000_000);
  expect(a()).not.toBe(b());
  const later = msgIdGenerator(1_800_000_000_001);
  const before = Array.from({ length: 2000 }, a);
  expect(later() > before[before.length - 1]!).toBe(true);
});
