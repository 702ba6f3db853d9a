import { describe, expect, test } from "bun:test";
import { Framer, FrameTooLargeError } from "./framer.ts";

const frame = (payload: number[]) => {
  const b = Buffer.alloc(4 + payload.length);
  b.writeInt32BE(payload.length, 0);
  b.set(payload, 4);
  return b;
};

describe("Framer", () => {
  test("splits frames across arbitrary chunk boundaries", () => {
    const a = frame([1, 2, 3, 4, 5, 6, 7, 8]);
    const b = frame([9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
    const stream = Buffer.concat([a, b]);
    for (let cut = 1; cut < stream.length; cut++) {
      const got: number[][] = [];
      const f = new Framer(1024, (fr) => void got.push([...fr]));
      f.push(stream.subarray(0, cut));
      f.push(stream.subarray(cut));
      expect(got).toEqual([
        [1, 2, 3, 4, 5, 6, 7, 8],
        [9, 9, 9, 9, 9, 9, 9, 9, 9, 9],
      ]);
    }
  });

  test("byte-by-byte delivery works and frames own their memory", () => {
    const got: Buffer[] = [];
    const f = new Framer(1024, (fr) => void got.push(fr));
    const stream = Buffer.concat([
      frame([1, 1, 1, 1, 1, 1, 1, 1]),
      frame([2, 2, 2, 2, 2, 2, 2, 2]),
    ]);
    for (const byte of stream) f.push(Uint8Array.of(byte));
    expect(got.map((g) => g[0])).toEqual([1, 2]);
    expect(got[0]!.buffer === got[1]!.buffer && got[0]!.byteOffset === got[1]!.byteOffset).toBe(
      false,
    );
  });

  test("refuses a size prefix that is too large, too small or negative, before allocating", () => {
    for (const size of [1 << 30, 3, -1]) {
      const f = new Framer(1 << 20, () => {});
      const prefix = Buffer.alloc(4);
      prefix.writeInt32BE(size, 0);
      expect(() => f.push(prefix)).toThrow(FrameTooLargeError);
    }
  });
});
