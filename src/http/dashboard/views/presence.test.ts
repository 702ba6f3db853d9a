import { describe, expect, test } from "bun:test";
import { median, startOfLocalDay, timeline, withAwayToday } from "./presence.ts";

const day = (ts: number) => new Date(ts).toLocaleDateString("sv-SE");

describe("presence for the pages", () => {
  test("median of an odd and an even count, and of nobody", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });

  test("time away today counts the open absence up to now, and only today's part of it", () => {
    const now = startOfLocalDay(Date.now()) + 12 * 3600_000;
    const today = day(now);
    const out = { name: "a", state: "out" as const, day: today, flagged: false };
    expect(
      withAwayToday({ ...out, since: now - 600_000, away_ms_today: 60_000 }, now).away_ms,
    ).toBe(660_000);
    expect(
      withAwayToday({ ...out, state: "in", since: now - 600_000, away_ms_today: 60_000 }, now)
        .away_ms,
    ).toBe(60_000);
    // out since yesterday evening: only the hours since midnight are today's
    const yesterday = { ...out, day: day(now - 86400_000), since: now - 14 * 3600_000 };
    expect(withAwayToday({ ...yesterday, away_ms_today: 5 }, now).away_ms).toBe(12 * 3600_000);
  });

  test("a timeline of spans from the events, the state before them and the window", () => {
    const ev = (record_type: "in" | "out", ts: number) => ({ record_type, ts });
    expect(
      timeline([ev("in", 10), ev("out", 40), ev("out", 45), ev("in", 70)], undefined, 0, 100),
    ).toEqual([
      { state: "unknown", from: 0, to: 10 },
      { state: "in", from: 10, to: 40 },
      { state: "out", from: 40, to: 70 },
      { state: "in", from: 70, to: 100 },
    ]);
    expect(timeline([], "out", 0, 100)).toEqual([{ state: "out", from: 0, to: 100 }]);
    expect(timeline([ev("in", 0)], "out", 0, 50)).toEqual([{ state: "in", from: 0, to: 50 }]);
  });
});
