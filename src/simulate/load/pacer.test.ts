import { describe, expect, test } from "bun:test";
import { Pacer } from "./pacer.ts";

describe("Pacer", () => {
  test("sends rate × elapsed in total, however the ticks fall", () => {
    const p = new Pacer(20_000, 1000);
    let sent = 0;
    let last = 0;
    for (let t = 1000; t <= 3000; t += 7) {
      sent += p.due(t);
      last = t;
    }
    expect(sent).toBe(Math.floor((20_000 * (last - 1000)) / 1000));
    expect(p.behind).toBe(0);
  });

  test("a late tick sends the backlog up to the burst cap; the rest is counted behind", () => {
    const p = new Pacer(1000, 0, 200);
    expect(p.due(100)).toBe(100);
    expect(p.due(1100)).toBe(200); // 1000 due, 200 allowed
    expect(p.behind).toBe(800);
    expect(p.due(1200)).toBe(100); // back on schedule, the dropped part is not resent
  });

  test("low rates: whole readings only, none lost to rounding", () => {
    const p = new Pacer(3, 0);
    const got = [0, 100, 333, 334, 666, 667, 1000].map((t) => p.due(t));
    expect(got.reduce((a, b) => a + b, 0)).toBe(3);
  });
});
