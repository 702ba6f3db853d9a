import { describe, expect, test } from "bun:test";
import { decodeEntries, encodeEntry } from "./journal.ts";

describe("journal framing", () => {
  test("round-trips entries and stops at a torn or corrupt tail", () => {
    const good = Buffer.concat([encodeEntry({ a: 1 }), encodeEntry(["x", null])]);
    expect(decodeEntries(good)).toEqual({
      entries: [
        { entry: { a: 1 }, bytes: encodeEntry({ a: 1 }).length },
        { entry: ["x", null], bytes: encodeEntry(["x", null]).length },
      ],
      validBytes: good.length,
    });
    const torn = Buffer.concat([good, encodeEntry({ b: 2 }).subarray(0, 10)]);
    expect(decodeEntries(torn).validBytes).toBe(good.length);
    const flipped = Buffer.concat([good, encodeEntry({ b: 2 })]);
    flipped[flipped.length - 2]! ^= 1;
    expect(decodeEntries(flipped).entries).toHaveLength(2);
  });
});
