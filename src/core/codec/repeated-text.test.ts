import { expect, test } from "bun:test";
import { repeatedText } from "./repeated-text.ts";

test("each text as decoded, however much of it repeats the one before", () => {
  const text = repeatedText();
  const inputs = [
    Buffer.from("pi-0001"),
    Buffer.from("pi-0001"), // the same bytes: the kept text
    Buffer.from("pi-0002"), // same length, other bytes
    Buffer.from("ké-001"), // 7 bytes, 6 characters: never given for other bytes
    Buffer.from([0x6b, 0xc3, 0xa9, 0x2d, 0x30, 0x30, 0x31]),
    Buffer.from([0x6b, 0xff, 0xfe, 0x2d, 0x30, 0x30, 0x31]), // not UTF-8: U+FFFD each
    Buffer.from([0x6b, 0xff, 0xfe, 0x2d, 0x30, 0x30, 0x31]),
    Buffer.from("k\u00ff\u00fe-001"), // the code points of those bytes, as UTF-8
    Buffer.from("x".repeat(100)), // longer than any kept
  ];
  for (const bytes of inputs) expect(text(bytes, 0, bytes.length)).toBe(bytes.toString("utf8"));
  // a span inside a larger buffer
  const framed = Buffer.from("..pi-0002..");
  expect(text(framed, 2, 9)).toBe("pi-0002");
  expect(text(framed, 0, 0)).toBe("");
});
