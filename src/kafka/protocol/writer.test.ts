import { describe, expect, test } from "bun:test";
import { ProtocolError } from "./errors.ts";
import { Reader } from "./reader.ts";
import { Writer } from "./writer.ts";

describe("Writer and Reader", () => {
  test("round-trip every type while the buffer grows from a tiny start", () => {
    const w = new Writer(4);
    const big = Buffer.alloc(10_000, 7);
    w.int8(-5)
      .int16(-300)
      .int32(-70000)
      .int64(-1)
      .int64(2 ** 52 + 3)
      .boolean(true);
    w.string("héllo")
      .nullableString(null)
      .bytes(Buffer.from([1, 2, 3]))
      .nullableBytes(null);
    w.bytes(big).uvarint(300).compactString("ok").compactString(null).arrayLength(2);
    w.raw(Buffer.from("x".repeat(3000)));
    const r = new Reader(w.finish());
    expect([r.int8(), r.int16(), r.int32(), r.int64(), r.int64(), r.boolean()]).toEqual([
      -5,
      -300,
      -70000,
      -1,
      2 ** 52 + 3,
      true,
    ]);
    expect([r.string(), r.nullableString()]).toEqual(["héllo", null]);
    expect([...r.bytes()]).toEqual([1, 2, 3]);
    expect(r.nullableBytes()).toBeNull();
    expect(Buffer.from(r.bytes()).equals(big)).toBe(true);
    expect([r.uvarint(), r.compactString(), r.compactNullableString(), r.arrayLength()]).toEqual([
      300,
      "ok",
      null,
      2,
    ]);
    expect(r.remaining).toBe(3000);
  });

  test("big byte fields become separate chunks (no copy) and finishFrame patches the size", () => {
    const w = new Writer();
    const payload = Buffer.alloc(100_000, 1);
    w.int32(0).int32(42).bytes(payload).int16(9);
    const parts = w.finishFrame();
    expect(parts.some((p) => p === payload)).toBe(true);
    const all = Buffer.concat(parts);
    expect(all.readInt32BE(0)).toBe(all.length - 4);
    expect(all.readInt32BE(4)).toBe(42);
    expect(all.readInt16BE(all.length - 2)).toBe(9);
  });

  test("every read past the end, and impossible lengths, throw ProtocolError", () => {
    const reads: Array<(r: Reader) => unknown> = [
      (r) => r.int32(),
      (r) => r.int64(),
      (r) => r.string(),
      (r) => r.bytes(),
      (r) => r.arrayLength(),
      (r) => r.uvarint(),
    ];
    for (const read of reads) {
      expect(() => read(new Reader(new Uint8Array([0xff])))).toThrow(ProtocolError);
    }
    const hugeArray = new Writer().int32(1_000_000).finish();
    expect(() => new Reader(hugeArray).arrayLength()).toThrow(ProtocolError);
    const negativeString = new Writer().int16(-7).finish();
    expect(() => new Reader(negativeString).nullableString()).toThrow(ProtocolError);
    expect(() => new Reader(new Writer().int16(-1).finish()).string()).toThrow(ProtocolError);
  });
});

test("numbers written right at a growth boundary land in the grown buffer", () => {
  for (let start = 1; start < 12; start++) {
    const w = new Writer(start);
    for (let i = 0; i < 50; i++) w.int8(1).int16(2).int32(3).uint32(4).int64(5);
    const r = new Reader(w.finish());
    for (let i = 0; i < 50; i++) {
      expect([r.int8(), r.int16(), r.int32(), r.uint32(), r.int64()]).toEqual([1, 2, 3, 4, 5]);
    }
  }
});

test("a big byte field arriving when the buffer is exactly full does not hang", () => {
  const w = new Writer(8);
  w.int32(1).int32(2); // exactly full
  const big = Buffer.alloc(5000, 3);
  w.raw(big).int32(4).raw(big).int8(5);
  const all = Buffer.from(w.finish());
  expect(all.length).toBe(8 + 5000 + 4 + 5000 + 1);
  expect(all.readInt32BE(5008)).toBe(4);
  expect(all[all.length - 1]).toBe(5);
});
