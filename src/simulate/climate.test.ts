import { describe, expect, test } from "bun:test";
import { excursionTemperature, inExcursion, roomRule, stepClimate } from "./climate.ts";
import { createRng } from "./prng.ts";

describe("room climate", () => {
  test("room 1's first excursion comes early; every room gets one within a period", () => {
    expect(inExcursion(1, 0)).toBe(false);
    expect(inExcursion(1, 2)).toBe(true);
    for (let room = 1; room <= 10; room++) {
      const ticks = Array.from({ length: 100 }, (_, t) => inExcursion(room, t));
      expect(ticks.filter(Boolean).length).toBe(3);
      expect(inExcursion(room, ticks.indexOf(true) + 400)).toBe(true); // and again a period later
    }
  });

  test("outside excursions the values stay under the rule; during one they cross it", () => {
    const rng = createRng(2);
    let c = { temperature: 22, humidity: 45 };
    for (let i = 0; i < 1000; i++) {
      c = stepClimate(c, rng, false);
      expect(c.temperature).toBeLessThan(roomRule.temperature.up - 1);
      expect(c.humidity).toBeLessThan(roomRule.humidity.up);
      expect(c.humidity).toBeGreaterThan(roomRule.humidity.down);
    }
    c = stepClimate(c, rng, true);
    expect(c.temperature).toBeGreaterThanOrEqual(excursionTemperature);
    expect(stepClimate(c, rng, false).temperature).toBeLessThan(roomRule.temperature.up);
  });
});
