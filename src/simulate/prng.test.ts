import { describe, expect, test } from "bun:test";
import { createRng } from "./prng.ts";

const take = (n: number, f: () => number) => Array.from({ length: n }, f);

describe("createRng", () => {
  test("the same seed gives the same sequence; another seed another one", () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = take(20, a.next);
    expect(take(20, b.next)).toEqual(seqA);
    expect(take(20, c.next)).not.toEqual(seqA);
  });

  test("floats stay in [0, 1) and ints in [min, max], every value reached", () => {
    const r = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const f = r.next();
      expect(f >= 0 && f < 1).toBe(true);
      const n = r.int(3, 8);
      expect(n >= 3 && n <= 8).toBe(true);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7, 8]);
  });

  test("roughly uniform: each tenth gets about a tenth", () => {
    const r = createRng(1);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(r.next() * 10)]++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });

  test("forks are deterministic, independent of the parent's use, and differ by label", () => {
    const a = createRng(5);
    a.next();
    const f1 = take(5, a.fork("rooms").next);
    const f2 = take(5, createRng(5).fork("rooms").next);
    expect(f1).toEqual(f2);
    expect(take(5, createRng(5).fork("coffee").next)).not.toEqual(f1);
  });
});
