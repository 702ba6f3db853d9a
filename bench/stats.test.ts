import { describe, expect, test } from "bun:test";
import { fmt, fmtRatio, median, percentile, rate, ratio, summarize } from "./stats.ts";

describe("percentile", () => {
  test("nearest rank, whatever the order", () => {
    const v = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(v, 50)).toBe(5);
    expect(percentile(v, 90)).toBe(9);
    expect(percentile(v, 99)).toBe(10);
    expect(percentile(v, 100)).toBe(10);
    expect(percentile(v, 0)).toBe(1);
  });
  test("one value and none", () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
  test("does not reorder its input", () => {
    const v = [3, 1, 2];
    percentile(v, 50);
    expect(v).toEqual([3, 1, 2]);
  });
  test("p99 of 1..1000 is 990", () => {
    expect(
      percentile(
        Array.from({ length: 1000 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(990);
  });
});

test("summarize", () => {
  const s = summarize([4, 1, 3, 2]);
  expect(s).toMatchObject({ count: 4, min: 1, max: 4, mean: 2.5, p50: 2 });
  expect(summarize([]).count).toBe(0);
  expect(median([9, 1, 5])).toBe(5);
});

test("rate and ratio never divide by zero", () => {
  expect(rate(1000, 2)).toBe(500);
  expect(rate(5, 0)).toBeNaN();
  expect(ratio(50, 200)).toBe(0.25);
  expect(ratio(1, 0)).toBeNaN();
  expect(ratio(NaN, 2)).toBeNaN();
});

test("fmt", () => {
  expect(fmt(1234567.8)).toBe("1,234,568");
  expect(fmt(12.3456)).toBe("12.3");
  expect(fmt(0.012345)).toBe("0.0123");
  expect(fmt(0)).toBe("0");
  expect(fmt(NaN)).toBe("—");
  expect(fmt(undefined)).toBe("—");
  expect(fmt("n/a")).toBe("n/a");
  expect(fmtRatio(0.4567)).toBe("0.457×");
  expect(fmtRatio(NaN)).toBe("—");
});
