import { describe, expect, test } from "bun:test";
import { Presence } from "./model.ts";

const at = (h: number, m = 0) => new Date(2026, 10, 23, h, m).getTime();
const min = 60_000;

describe("Presence", () => {
  test("tracks in/out and accumulates time away today", () => {
    const p = new Presence({ factor: 3, minAwayMs: 10 * min });
    p.apply("jane", "in", at(9));
    p.apply("jane", "out", at(10));
    p.apply("jane", "in", at(10, 20));
    p.apply("jane", "out", at(12));
    const jane = p.people.get("jane")!;
    expect(jane.state).toBe("out");
    expect(jane.awayMsToday).toBe(20 * min);
    expect(p.awayNow(jane, at(12, 30))).toBe(50 * min);
  });

  test("flags the one who is away far longer than the group's median, once", () => {
    const p = new Presence({ factor: 3, minAwayMs: 10 * min });
    for (const name of ["a", "b", "c", "d"]) {
      p.apply(name, "in", at(9));
      p.apply(name, "out", at(10));
      p.apply(name, "in", at(10, 10)); // 10 min away each
    }
    p.apply("e", "in", at(9));
    p.apply("e", "out", at(10)); // and still away
    expect(p.evaluate(at(10, 20))).toEqual([]); // 20 min: under max(10, 3 × 10)
    const flagged = p.evaluate(at(10, 45));
    expect(flagged.map((f) => f.person.name)).toEqual(["e"]);
    expect(flagged[0]!.limit).toBe(30 * min);
    expect(p.evaluate(at(11))).toEqual([]); // no repeat while it lasts
  });

  test("the minimum keeps a quiet day from flagging short breaks", () => {
    const p = new Presence({ factor: 3, minAwayMs: 30 * min });
    p.apply("a", "in", at(9));
    p.apply("b", "in", at(9));
    p.apply("b", "out", at(9, 5));
    expect(p.evaluate(at(9, 20))).toEqual([]);
  });

  test("a new day starts from zero", () => {
    const p = new Presence();
    p.apply("x", "out", at(10));
    p.apply("x", "in", at(11));
    const next = new Date(2026, 10, 24, 9).getTime();
    p.apply("x", "out", next);
    expect(p.people.get("x")!.awayMsToday).toBe(0);
  });
});
