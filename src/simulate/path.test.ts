import { describe, expect, test } from "bun:test";
import { makePath } from "./path.ts";
import { createRng } from "./prng.ts";

describe("makePath", () => {
  test("a closed loop of single grid steps inside the grid", () => {
    for (let seed = 0; seed < 50; seed++) {
      const path = makePath(createRng(seed), 10, 5);
      expect(path.length).toBeGreaterThanOrEqual(2);
      for (let i = 0; i < path.length; i++) {
        const a = path[i]!;
        const b = path[(i + 1) % path.length]!; // wraps: the last step leads back to the start
        expect(Math.abs(a.x - b.x) + Math.abs(a.y - b.y)).toBe(1);
        for (const v of [a.x, a.y]) expect(v >= 0 && v < 10).toBe(true);
      }
    }
  });

  test("deterministic for a seed, different across seeds", () => {
    expect(makePath(createRng(3))).toEqual(makePath(createRng(3)));
    expect(makePath(createRng(3))).not.toEqual(makePath(createRng(4)));
  });
});
