/**
 * A simulated DHT sensor for demos and tests: temperature and humidity wander slowly around a
 * daily cycle, as a room does, instead of jumping randomly from read to read.
 */
import type { Sensor } from "../types.ts";

export interface SimSensorOptions {
  /** uniform in [0, 1) */
  random?: () => number;
  clock?: () => number;
}

const day = 24 * 3600 * 1000;

export function createSimSensor(opts: SimSensorOptions = {}): Sensor {
  const random = opts.random ?? Math.random;
  const clock = opts.clock ?? Date.now;
  let drift = { temperature: 0, humidity: 0 };

  const round1 = (v: number) => Math.round(v * 10) / 10;
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

  return {
    name: "sim",
    read: async () => {
      const ts = clock();
      // warmest mid-afternoon, coolest before dawn; humidity moves the other way
      const phase = Math.sin((2 * Math.PI * ((ts % day) - 9 * 3600 * 1000)) / day);
      // a random walk pulled back towards 0, so it drifts without running away
      drift = {
        temperature: drift.temperature * 0.9 + (random() - 0.5) * 0.4,
        humidity: drift.humidity * 0.9 + (random() - 0.5) * 1.2,
      };
      return {
        ts,
        temperature: round1(clamp(22 + 3 * phase + drift.temperature, -40, 80)),
        humidity: round1(clamp(45 - 8 * phase + drift.humidity, 0, 100)),
      };
    },
    close: async () => {},
  };
}
