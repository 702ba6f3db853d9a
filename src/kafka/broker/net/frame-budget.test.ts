import { describe, expect, test } from "bun:test";
import { FrameBudget } from "./frame-budget.ts";

describe("FrameBudget", () => {
  test("large frames share the budget; small ones are not counted; one frame always fits", () => {
    const full: number[] = [];
    const b = new FrameBudget(100_000, 1000, (size) => full.push(size));
    expect(b.tryAcquire(500)).toBe(true); // small
    expect(b.usedBytes).toBe(0);
    expect(b.tryAcquire(60_000)).toBe(true);
    expect(b.tryAcquire(60_000)).toBe(false);
    expect(full).toEqual([60_000]);
    b.release(60_000);
    expect(b.tryAcquire(250_000)).toBe(true); // larger than the budget, but alone
  });

  test("a release wakes every waiter once; a cancelled one is not woken", () => {
    const b = new FrameBudget(10_000, 100);
    b.tryAcquire(8000);
    const woken: string[] = [];
    const a = () => woken.push("a");
    const c = () => woken.push("c");
    b.wait(a);
    b.wait(c);
    b.cancel(c);
    expect(b.waiting).toBe(1);
    b.release(8000);
    b.release(50); // small: no wake-up
    expect(woken).toEqual(["a"]);
    expect(b.waiting).toBe(0);
  });
});
