import { describe, expect, test } from "bun:test";
import { every } from "./clock.ts";

describe("every", () => {
  test("ticks are numbered, never overlap, and stop() waits for the running one", async () => {
    const seen: number[] = [];
    let active = 0;
    let maxActive = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = every(1, async (n) => {
      active++;
      maxActive = Math.max(maxActive, active);
      seen.push(n);
      if (n === 2) await gate; // a slow tick: the timer fires meanwhile, nothing overlaps
      active--;
    });
    while (seen.length < 3) await Bun.sleep(1);
    await Bun.sleep(20);
    expect(seen).toEqual([0, 1, 2]);
    let stopped = false;
    const stopping = t.stop().then(() => (stopped = true));
    await Bun.sleep(5);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(maxActive).toBe(1);
    expect(active).toBe(0);
  });

  test("stop() gives up on a tick that never ends after the grace period", async () => {
    const t = every(1, () => new Promise<void>(() => {}), 10);
    await t.stop();
  });
});
