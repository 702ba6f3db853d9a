import { describe, expect, test } from "bun:test";
import { crc32c } from "./crc32c.ts";

describe("crc32c", () => {
  test("known vectors", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa); // RFC 3720 B.4
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  });

  test("a range equals the CRC of the slice, for every alignment", () => {
    const data = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 37) & 0xff));
    for (let s = 0; s < 9; s++) {
      for (const e of [s, s + 1, s + 7, s + 8, s + 9, 100]) {
        expect(crc32c(data, s, e)).toBe(crc32c(data.subarray(s, e)));
      }
    }
  });

  test("matches kafkajs's own CRC-32C", () => {
    const kafkajsCrc = require("kafkajs/src/protocol/recordBatch/crc32C/index.js");
    const data = Buffer.from("the quick brown fox jumps over the lazy dog ".repeat(40));
    expect(crc32c(data)).toBe(kafkajsCrc(data) >>> 0);
  });
});
