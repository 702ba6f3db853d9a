import { describe, expect, test } from "bun:test";
import { Presence } from "../consumers/presence/model.ts";
import { createRng } from "./prng.ts";
import { makePeople, stateAt } from "./schedule.ts";

describe("people's schedule", () => {
  test("everyone starts in; the others take one-tick breaks", () => {
    const people = makePeople(6, createRng(1));
    expect(new Set(people.map((p) => p.name)).size).toBe(6);
    for (const p of people) expect(stateAt(p, 0)).toBe("in");
    for (const p of people.slice(1)) {
      const outs = Array.from({ length: 40 }, (_, t) => stateAt(p, t)).filter((s) => s === "out");
      expect(outs.length).toBeGreaterThanOrEqual(4);
      expect(outs.length).toBeLessThanOrEqual(8);
    }
  });

  test("the server's presence model flags the wanderer, and only them", () => {
    const people = makePeople(5, createRng(3));
    const model = new Presence({ factor: 3, minAwayMs: 10_000 });
    const tickMs = 1000;
    const t0 = new Date(2026, 10, 23, 9).getTime();
    const flagged = new Set<string>();
    for (let tick = 0; tick < 40; tick++) {
      for (const p of people) {
        const s = stateAt(p, tick);
        if (tick === 0 || s !== stateAt(p, tick - 1)) model.apply(p.name, s, t0 + tick * tickMs);
      }
      for (const f of model.evaluate(t0 + tick * tickMs))
        if (f.person.flagged) flagged.add(f.person.name);
    }
    expect([...flagged]).toEqual([people[0]!.name]);
  });
});
