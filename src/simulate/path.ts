/**
 * A coffee device's route: a closed loop of integer x,y positions on a grid, one grid step
 * between neighbours, visiting a few random waypoints. The device moves one position per tick,
 * so every message shows a new position while it is Active.
 */
import type { Rng } from "./prng.ts";

export interface Point {
  x: number;
  y: number;
}

/** `waypoints` random points in [0, size) × [0, size), joined by x-then-y steps, back to start. */
export function makePath(rng: Rng, size = 10, waypoints = 4): Point[] {
  const stops: Point[] = [];
  while (stops.length < Math.max(2, waypoints)) {
    const p = { x: rng.int(0, size - 1), y: rng.int(0, size - 1) };
    const last = stops[stops.length - 1];
    if (!last || last.x !== p.x || last.y !== p.y) stops.push(p);
  }
  if (same(stops[0]!, stops[stops.length - 1]!)) stops.pop();
  const path: Point[] = [];
  for (let i = 0; i < stops.length; i++) {
    const from = stops[i]!;
    const to = stops[(i + 1) % stops.length]!;
    let { x, y } = from;
    path.push({ x, y });
    while (x !== to.x || y !== to.y) {
      if (x !== to.x) x += Math.sign(to.x - x);
      else y += Math.sign(to.y - y);
      if (x !== to.x || y !== to.y) path.push({ x, y });
    }
  }
  return path;
}

const same = (a: Point, b: Point) => a.x === b.x && a.y === b.y;
