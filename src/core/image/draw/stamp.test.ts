import { expect, test } from "bun:test";
import { glyphHeight, glyphWidth, hasGlyph } from "./font.ts";
import { formatStampTime, renderStamp, stampScale } from "./stamp.ts";

test("the stamp text is the seed's datetime format, local time", () => {
  expect(formatStampTime(new Date(2026, 10, 22, 10, 0, 0))).toBe("2026-11-22 10:00:00");
  expect(formatStampTime(new Date(2027, 0, 3, 4, 5, 6))).toBe("2027-01-03 04:05:06");
  for (const ch of "0123456789-: ") expect(hasGlyph(ch)).toBe(true);
});

test("a '1' at scale 1: ink exactly where the glyph says, on a translucent box", () => {
  const s = renderStamp("1", 100, 100);
  expect([s.width, s.height]).toEqual([glyphWidth + 4, glyphHeight + 4]);
  const at = (x: number, y: number) =>
    s.data.subarray((y * s.width + x) * 4, (y * s.width + x) * 4 + 4);
  expect([...at(2 + 2, 2 + 0)]).toEqual([255, 255, 255, 255]); // top of the stem
  expect([...at(2 + 0, 2 + 0)]).toEqual([0, 0, 0, 150]); // beside it: background
  expect([...at(2 + 1, 2 + 6)]).toEqual([255, 255, 255, 255]); // the foot
  expect([...at(0, 0)]).toEqual([0, 0, 0, 150]); // padding
});

test("the scale follows the image size and never makes the stamp wider than the image", () => {
  const text = "2026-11-22 10:00:00";
  expect(stampScale(text, 500, 500)).toBe(2);
  expect(stampScale(text, 1920, 1080)).toBe(5);
  expect(renderStamp(text, 1920, 1080).width).toBeLessThan(1920);
  const tiny = renderStamp(text, 40, 8);
  expect([tiny.width, tiny.height]).toEqual([40, 8]);
  expect(tiny.data.length).toBe(40 * 8 * 4);
});
