import { describe, expect, test } from "bun:test";
import { checksOf, isStale, usualInterval } from "./room-model.ts";

describe("room model", () => {
  test("the usual interval is the median gap, so one long silence does not move it", () => {
    expect(usualInterval([10_000, 9_000, 8_000, 2_000, 1_000])).toBe(1_000);
    expect(usualInterval([5_000])).toBeNull();
    expect(usualInterval([])).toBeNull();
  });

  test("stale past 3 missed intervals, never without a known interval", () => {
    expect(isStale(0, 1_000, 3_000)).toBe(false);
    expect(isStale(0, 1_000, 3_001)).toBe(true);
    expect(isStale(0, null, 1e12)).toBe(false);
  });

  test("each bound of a rule with the window value its aggregate gives, breached or not", () => {
    const window = {
      until: 0,
      count: 3,
      temperature: { min: 20, mean: 25, max: 31 },
      humidity: { min: 10, mean: 12, max: 14 },
    };
    const checks = checksOf(
      {
        temperature: { agg_type: "max", up: 30, down: null },
        humidity: { agg_type: "mean", up: 85, down: 15 },
      },
      window,
    );
    expect(checks).toEqual([
      { metric: "temperature", agg: "max", up: 30, down: null, value: 31, breached: true },
      { metric: "humidity", agg: "mean", up: 85, down: 15, value: 12, breached: true },
    ]);
    expect(
      checksOf({ temperature: { agg_type: "min", up: 30, down: null } }, window)[0],
    ).toMatchObject({ value: 20, breached: false });
    expect(
      checksOf({ temperature: { agg_type: "min", up: 30, down: null } }, undefined)[0],
    ).toMatchObject({ value: null, breached: false });
  });
});
