import { describe, expect, test } from "bun:test";
import { LoadStats } from "./stats.ts";

describe("LoadStats", () => {
  test("window lines report the window's rate and latencies, then start a new window", () => {
    const t0 = Date.now() - 2000;
    const s = new LoadStats(t0);
    s.sent = 300;
    for (let i = 0; i < 200; i++) s.ack(i < 100 ? 1 : 3);
    const line = s.windowLine(t0 + 2000);
    expect(line).toMatch(/sent=300 acked=200 errors=0 behind=0 inflight=100 rate=100\/s/);
    expect(line).toMatch(/p50=1\.0\dms p99=3\.0\dms/); // within a 2 % bucket
    expect(s.windowLine(t0 + 3000)).toMatch(/rate=0\/s p50=0\.00ms/);
  });

  test("the final line covers the whole run, including acks after sending ended", () => {
    const t0 = Date.now() - 1000;
    const s = new LoadStats(t0);
    s.sent = 10;
    for (let i = 0; i < 10; i++) s.ack(20);
    const line = s.finalLine(t0 + 500); // acks arrived after t0 + 500: the run lasted ~1 s
    expect(line).toMatch(/^total /);
    const rate = Number(/rate=(\d+)/.exec(line)![1]);
    expect(rate).toBeGreaterThanOrEqual(9);
    expect(rate).toBeLessThanOrEqual(10);
  });
});
