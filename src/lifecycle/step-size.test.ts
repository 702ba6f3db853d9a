import { expect, test } from "bun:test";
import { StepSize } from "./step-size.ts";

test("a step sized to its time: shrinks at once when slow, grows at most twice when fast", () => {
  const s = new StepSize(5, 10, 10_000, 1000);
  s.took(50, true); // ten times too slow
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
