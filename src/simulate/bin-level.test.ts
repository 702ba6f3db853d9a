import { describe, expect, test } from "bun:test";
import { parseBinLevel } from "../consumers/parse/bin-level.ts";
import { binPayload, fullFor, newBin, stepBin } from "./bin-level.ts";
import { createRng } from "./prng.ts";

describe("bin level", () => {
  test("rises to FULL, stays FULL a few ticks, is emptied and rises again", () => {
    const rng = createRng(9);
    let bin = newBin(1, rng);
    const levels: string[] = [];
    for (let i = 0; i < 80; i++) {
      const s = stepBin(bin, rng);
      bin = s.bin;
      levels.push(s.level);
    }
    const first = levels.indexOf("FULL");
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(20); // starts at ≥ 40, rises ≥ 3 a tick
    expect(levels.slice(first, first + fullFor)).toEqual(Array(fullFor).fill("FULL"));
    expect(levels[first + fullFor]).toBe("0");
    const numbers = levels.slice(0, first).map(Number);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]!).toBeGreaterThan(numbers[i - 1]!);
    expect(levels.indexOf("FULL", first + fullFor)).toBeGreaterThan(first + fullFor);
  });

  test("the payload is the seed's text, and the server's parser reads it back", () => {
    const at = new Date(2026, 10, 23, 9, 5, 7);
    expect(binPayload("FULL", 3, at)).toBe("FULL 3 2026-11-23 09:05:07");
    const parsed = parseBinLevel(Buffer.from(binPayload("42", 2, at)));
    expect(parsed).toMatchObject({ level: "42", full: false, binCount: 2, ts: at.getTime() });
  });
});
