/**
 * Who is in and who is out at each tick. Everyone badges in at tick 0 and steps out for one tick
 * now and then; the first person (the wanderer) steps out at tick 1 and stays away `awayTicks`
 * ticks — far more than the rest, so the server's "away too long" rule flags them.
 */
import type { Rng } from "./prng.ts";

const names = ["ana", "ben", "chloe", "dev", "emma", "farid", "grace", "hugo", "iris", "jonas"];

export interface Person {
  name: string;
  wanderer: boolean;
  /** ticks between short breaks, and when in that cycle the break is */
  cycle: number;
  offset: number;
}

export function makePeople(count: number, rng: Rng): Person[] {
  return Array.from({ length: count }, (_, i) => {
    const cycle = rng.int(5, 8);
    return {
      name: i < names.length ? names[i]! : `${names[i % names.length]}-${i}`,
      wanderer: i === 0,
      cycle,
      offset: rng.int(1, cycle - 1),
    };
  });
}

export function stateAt(p: Person, tick: number, awayTicks = 300): "in" | "out" {
  if (tick === 0) return "in";
  if (p.wanderer && tick <= awayTicks) return "out";
  return tick % p.cycle === p.offset ? "out" : "in";
}
