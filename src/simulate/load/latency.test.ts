import { describe, expect, test } from "bun:test";
import { LatencyHistogram } from "./latency.ts";

describe("LatencyHistogram", () => {
  test("percentiles within the bucket width (2 %)", () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i);
    expect(h.count).toBe(1000);
    const near = (v: number, want: number) => expect(Math.abs(v - want) / want).toBeLessThan(0.03);
    near(h.percentile(0.5), 500);
    near(h.percentile(0.99), 990);
    expect(h.percentile(1)).toBe(1000);
  });

  test("empty is 0; reset forgets", () => {
    const h = new LatencyHistogram();
    expect(h.percentile(0.5)).toBe(0);
    h.record(5);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.percentile(0.99)).toBe(0);
  });

  test("sub-resolution and huge values land in the end buckets", () => {
    const h = new LatencyHistogram();
    h.record(0);
    h.record(10_000_000);
    expect(h.percentile(0.5)).toBeLessThanOrEqual(0.01);
    expect(h.percentile(1)).toBe(10_000_000);
  });
});
