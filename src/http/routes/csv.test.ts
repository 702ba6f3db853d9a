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

describe("CSV formula injection (OWASP)", () => {
  test("text that starts a formula gets a leading quote; numbers stay numbers", () => {
    const csv = toCsv([
      { name: '=HYPERLINK("http://x","y")', t: -3.5 },
      { name: "+1+cmd|' /C calc'!A0", t: "-3.5" },
      { name: "-2+3", t: 0 },
      { name: "@SUM(A1)", t: 1e21 },
      { name: "\tx", t: null },
      { name: "\rx", t: "12" },
      { name: "jane", t: "+4" },
    ]);
    expect(csv.split("\r\n")).toEqual([
      "name,t",
      '"\'=HYPERLINK(""http://x"",""y"")",-3.5',
      "'+1+cmd|' /C calc'!A0,-3.5",
      "'-2+3,0",
      "'@SUM(A1),1e+21",
      "'\tx,",
      '"\'\rx",12',
      "jane,+4",
      "",
    ]);
  });
});
