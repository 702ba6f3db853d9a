/**
 * Employees badging in and out: POST /entrance {"name","value":"in"|"out"} whenever their
 * schedule changes. The first one (the wanderer) stays out far longer than the others.
 */
import { every } from "./clock.ts";
import type { Part, SimContext } from "./context.ts";
import { makePeople, stateAt } from "./schedule.ts";

export async function startPeople(ctx: SimContext): Promise<Part> {
  const { o, http, counters } = ctx;
  const people = makePeople(o.people, ctx.rng.fork("people"));
  const ticker = every(o.intervalMs, async (tick) => {
    for (const p of people) {
      const value = stateAt(p, tick);
      if (tick > 0 && value === stateAt(p, tick - 1)) continue;
      const res = await http.post("/entrance", { name: p.name, value });
      if (res.ok) counters.add("entrance");
      else ctx.fail("entrance", `POST /entrance: ${res.status} ${res.text}`);
    }
  });
  return { stop: () => ticker.stop() };
}
