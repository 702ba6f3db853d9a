import { expect, test } from "bun:test";
import { createSimSensor } from "./sim.ts";

/** A deterministic uniform generator (LCG), so the walk is reproducible. */
function seeded(seed: number) {
  return () => (seed = (seed * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
}

test("sim readings are plausible, drift slowly, and follow the injected clock", async () => {
  let now = Date.UTC(2026, 10, 22, 0, 0, 0);
  const sensor = createSimSensor({ random: seeded(42), clock: () => now });
  const readings = [];
  for (let i = 0; i < 2_000; i++) {
    now += 60_000;
    readings.push(await sensor.read());
  }
  expect(readings[0].ts).toBe(Date.UTC(2026, 10, 22, 0, 1, 0));
  for (const r of readings) {
    expect(r.temperature!).toBeGreaterThan(10);
    expect(r.temperature!).toBeLessThan(35);
    expect(r.humidity!).toBeGreaterThan(20);
    expect(r.humidity!).toBeLessThan(70);
  }
  for (let i = 1; i < readings.length; i++) {
    expect(Math.abs(readings[i].temperature! - readings[i - 1].temperature!)).toBeLessThan(1);
  }
  // it does move: not a constant
  expect(new Set(readings.map((r) => r.temperature)).size).toBeGreaterThan(20);
});

test("different random sources give different walks", async () => {
  const a = createSimSensor({ random: seeded(1), clock: () => 0 });
  const b = createSimSensor({ random: seeded(2), clock: () => 0 });
  const walk = async (s: typeof a) => {
    const out = [];
    for (let i = 0; i < 20; i++) out.push((await s.read()).temperature);
    return out;
  };
  expect(await walk(a)).not.toEqual(await walk(b));
});
