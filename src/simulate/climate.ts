/**
 * A room's temperature and humidity: a gentle random walk around a comfortable value, and an
 * excursion (a heater left on) now and then that lifts the temperature far over the rule the
 * simulator installs, so the room rule trips and the alert shows on the dashboard.
 */
import type { Rng } from "./prng.ts";

export interface Climate {
  temperature: number;
  humidity: number;
}

/** The rule installed per room: alert when the window's max temperature passes `up`. */
export const roomRule = {
  scheduleId: 1,
  temperature: { agg_type: "max", up: 30, down: null },
  humidity: { agg_type: "mean", up: 85, down: 15 },
} as const;

export const excursionTemperature = 36;

/**
 * Room `room` (1-based) at tick `tick`: every room has an excursion lasting `length` ticks once
 * per `every` ticks, staggered by room, the first one (room 1) starting at tick 2. At the default
 * 1 s interval that is every 6⅔ min: longer than the server's 5-minute window, so the dashboard
 * shows each alert raised and, once the window has passed, cleared.
 */
export function inExcursion(room: number, tick: number, every = 400, length = 3): boolean {
  const start = 2 + (((room - 1) * 7) % every);
  return tick >= start && (tick - start) % every < length;
}

export function stepClimate(c: Climate, rng: Rng, excursion: boolean): Climate {
  const drift = (v: number, centre: number, spread: number) =>
    v + (centre - v) * 0.2 + (rng.next() - 0.5) * spread;
  const temperature = excursion
    ? excursionTemperature + rng.next() * 2
    : drift(c.temperature > 27 ? 23 : c.temperature, 22.5, 1);
  return {
    temperature: Math.round(temperature * 10) / 10,
    humidity: Math.round(Math.min(80, Math.max(20, drift(c.humidity, 45, 3))) * 10) / 10,
  };
}
