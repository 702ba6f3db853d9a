import { expect, test } from "bun:test";
import { StepSize } from "./step-size.ts";

test("a step sized to its time: shrinks at once when slow, grows at most twice when fast", () => {
  const s = new StepSize(5, 10, 10_000, 1000);
  s.took(50, true); // ten times too slow
  expect(s.next()).toBe(100);
  s.took(1, true); // the step right after a slow one: no growth yet
  expect(s.next()).toBe(100);
  s.took(1, true); // five times faster than the target: doubles only
  expect(s.next()).toBe(200);
  s.took(4, true);
  expect(s.next()).toBe(250);
  s.took(2, false); // ran out of work: no reason to grow
  expect(s.next()).toBe(250);
  s.took(5000, true);
  expect(s.next()).toBe(10); // never below the minimum
  for (let i = 0; i < 20; i++) s.took(0, true);
  expect(s.next()).toBe(10_000); // nor above the maximum
});

test("after a step much slower than the target, the next does not grow; slow ones keep shrinking it", () => {
  const s = new StepSize(5, 10, 10_000, 800);
  s.took(40, true); // 8× the target (a checkpoint's fsync beside it, say)
  expect(s.next()).toBe(100);
  s.took(0.5, true); // fast again: no doubling straight away
  expect(s.next()).toBe(100);
  s.took(20, true); // slow again: shrinks again, and holds once more
  expect(s.next()).toBe(25);
  s.took(1, false); // ran out of work: says nothing, the hold stays
  expect(s.next()).toBe(25);
  s.took(1, true);
  expect(s.next()).toBe(25);
  s.took(1, true); // two steps on time: growth again, twice at most
  expect(s.next()).toBe(50);
  // just over the target is noise, not a stall: shrinks to fit, and grows on the next fast step
  s.took(6, true);
  expect(s.next()).toBe(41);
  s.took(2.5, true);
  expect(s.next()).toBe(82);
});
