import { describe, expect, test } from "bun:test";
import { IdleShrinker, defaultIdleShrink, type IdleShrinkOptions } from "./idle-shrink.ts";

/** A shrinker on a fake clock: `run(percents)` plays intervals at those CPU % of one core. */
function harness(opts: Partial<IdleShrinkOptions> = {}) {
  const o = { ...defaultIdleShrink, ...opts };
  let cpu = 0;
  let now = 0;
  const shrunkAt: number[] = [];
  const s = new IdleShrinker(o, {
    cpuMicros: () => cpu,
    now: () => now,
    shrink: () => shrunkAt.push(now),
  });
  return {
    shrunkAt,
    /** one tick per entry; returns which ticks shrank */
    run(percents: number[]): boolean[] {
      return percents.map((p) => {
        now += o.everyMs;
        cpu += o.everyMs * 10 * p; // µs of CPU in the interval: ms × 1000 × p / 100
        return s.tick();
      });
    },
  };
}

describe("IdleShrinker", () => {
  test("start-up counts as work: the first quiet spell shrinks, once", () => {
    const h = harness();
    expect(h.run([1, 1, 1, 1, 1, 1, 1])).toEqual([false, true, false, false, false, false, false]);
  });

  test("never while busy, however long", () => {
    const h = harness();
    expect(h.run(Array(100).fill(40)).some(Boolean)).toBe(false);
  });

  test("after a busy spell it shrinks once quiet again (past the gap since the last)", () => {
    const h = harness({ minGapMs: 10_000 });
    h.run([1, 1]); // the start-up shrink, at 4 s
    expect(h.shrunkAt).toEqual([4000]);
    h.run(Array(10).fill(30)); // 20 s of load
    const after = h.run([1, 1, 1, 1]);
    expect(after).toEqual([false, true, false, false]);
    expect(h.shrunkAt.length).toBe(2);
  });

  test("a middling load neither shrinks nor counts as quiet", () => {
    const h = harness();
    expect(h.run([5, 1, 5, 1, 5, 1, 5, 1]).some(Boolean)).toBe(false);
  });

  test("the intervals right after a shrink (its own collection) do not count as work", () => {
    const h = harness({ minGapMs: 0 });
    h.run([1, 1]);
    // the shrink's collection shows up as CPU in the next two intervals: not a reason to shrink again
    expect(h.run([50, 50, 1, 1, 1]).some(Boolean)).toBe(false);
    expect(h.shrunkAt.length).toBe(1);
  });

  test("bursts with quiet spells between them shrink at most once per minimum gap", () => {
    const h = harness({ minGapMs: 60_000 });
    // 10 minutes of 4 s bursts then 6 s quiet: the gap, not the bursts, sets the pace
    for (let i = 0; i < 60; i++) h.run([50, 50, 1, 1, 1]);
    expect(h.shrunkAt.length).toBeGreaterThan(1);
    expect(h.shrunkAt.length).toBeLessThanOrEqual(1 + 600 / 60);
    for (let i = 1; i < h.shrunkAt.length; i++)
      expect(h.shrunkAt[i]! - h.shrunkAt[i - 1]!).toBeGreaterThanOrEqual(60_000);
  });
});

describe("IdleShrinker with a page-out", () => {
  function paged(opts: Partial<IdleShrinkOptions> = {}) {
    const o = { ...defaultIdleShrink, ...opts };
    let cpu = 0;
    let now = 0;
    const events: string[] = [];
    const s = new IdleShrinker(o, {
      cpuMicros: () => cpu,
      now: () => now,
      shrink: () => events.push(`shrink@${now}`),
      pageOut: () => events.push(`pageOut@${now}`),
    });
    const run = (percents: number[]) => {
      for (const p of percents) {
        now += o.everyMs;
        cpu += o.everyMs * 10 * p;
        s.tick();
      }
    };
    return { events, run, s };
  }

  test("pages out once, on the first quiet tick after the shrink has settled", () => {
    const h = paged();
    h.run([1, 1, 1, 1, 1, 1, 1, 1]);
    // shrink at the 2nd tick, two settling ticks, then the page-out on the 5th
    expect(h.events).toEqual(["shrink@4000", "pageOut@10000"]);
    expect(h.s.pageOuts).toBe(1);
  });

  test("not while the shrink's collection still shows; busy with a shrink due, after that shrink", () => {
    const h = paged({ minGapMs: 0 });
    h.run([1, 1, 50, 50, 5, 5]); // settling, then a middling load: not quiet, no page-out yet
    expect(h.events).toEqual(["shrink@4000"]);
    h.run([40]); // busy, and a shrink may come at once: the page-out waits for it
    h.run([1, 1]); // the next quiet spell shrinks again…
    h.run([1, 1, 1]); // …and pages out once, after its own settling
    expect(h.events).toEqual(["shrink@4000", "shrink@18000", "pageOut@24000"]);
  });

  test("busy after the settling, with no shrink allowed yet: paged out on the next quiet tick", () => {
    const h = paged(); // a minute between shrinks
    h.run([1, 1, 1, 1, 40]); // shrink, settling, then start-up's first housekeeping pass
    expect(h.events).toEqual(["shrink@4000"]);
    h.run([5, 1, 1]);
    expect(h.events).toEqual(["shrink@4000", "pageOut@14000"]);
    h.run(Array(40).fill(1)); // the shrink owed since the busy tick comes a minute after the first
    expect(h.events).toEqual(["shrink@4000", "pageOut@14000", "shrink@64000", "pageOut@70000"]);
  });
});
