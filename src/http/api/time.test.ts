import { expect, test } from "bun:test";
import { isoTime, parseTimeParam, timePair } from "./time.ts";

test("isoTime carries an offset and names the same instant", () => {
  const ms = 1_795_000_000_123;
  const iso = isoTime(ms);
  expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.123[+-]\d{2}:\d{2}$/);
  expect(Date.parse(iso)).toBe(ms);
});

test("timePair: ISO and epoch ms side by side, null when unknown", () => {
  expect(timePair("ts", 0)).toEqual({ ts: isoTime(0), ts_ms: 0 });
  expect(timePair("cleared_at", null)).toEqual({ cleared_at: null, cleared_at_ms: null });
});

test("parseTimeParam: epoch ms including 0, ISO with offset, a date; nothing else", () => {
  expect(parseTimeParam("0")).toBe(0);
  expect(parseTimeParam("1795000000000")).toBe(1_795_000_000_000);
  expect(parseTimeParam("2026-11-22T10:30:00+09:00")).toBe(Date.parse("2026-11-22T01:30:00Z"));
  expect(parseTimeParam("2026-11-22T10:30:00.5Z")).toBe(Date.parse("2026-11-22T10:30:00.500Z"));
  expect(parseTimeParam("2026-11-22")).toBe(Date.parse("2026-11-22T00:00:00Z"));
  for (const bad of ["", "-1", "yesterday", "2026-11-22T10:30:00", "1e3", "2026-13-45T00:00Z"])
    expect(parseTimeParam(bad)).toBeUndefined();
});
