import { describe, expect, test } from "bun:test";
import { toCsv } from "./csv.ts";

describe("CSV", () => {
  test("a header row, then one row per item; quoting only where needed (RFC 4180)", () => {
    const csv = toCsv([
      { bin_count: 3, bin_level: "FULL", m_time: "2026-11-22 10:05:00" },
      { bin_count: 4, bin_level: 'say "hi", ok', m_time: null },
    ]);
    expect(csv).toBe(
      'bin_count,bin_level,m_time\r\n3,FULL,2026-11-22 10:05:00\r\n4,"say ""hi"", ok",\r\n',
    );
    expect(toCsv([])).toBe("");
    expect(toCsv([{ c: { agg: "max" } }])).toBe('c\r\n"{""agg"":""max""}"\r\n');
  });
});
