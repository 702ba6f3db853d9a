/** @jsxImportSource hono/jsx */
import { Person } from "../../../../views/pages/person.tsx";
import { NotFound, defineView } from "../view.ts";
import { median, startOfLocalDay, timeline, withAwayToday } from "./presence.ts";

const RECENT_EVENTS = 20;

export const person = defineView({
  path: "/people/:name",
  on: ["person", "alert"],
  load: async ({ store, now = Date.now }, { name = "" }) => {
    const t = now();
    const from = startOfLocalDay(t);
    const rows = await store.read(async ({ console: c }) => {
      const stored = await c.person(name);
      if (!stored) throw new NotFound(`Nobody called "${name}" has badged in or out.`);
      return {
        stored,
        everyone: await c.people(),
        before: (await c.recentPersonEvents(name, 1, from))[0]?.record_type,
        today: await c.personEvents(name, from, t + 1),
        recent: await c.recentPersonEvents(name, RECENT_EVENTS),
      };
    });
    const everyone = rows.everyone.map((p) => withAwayToday(p, t));
    return {
      person: withAwayToday(rows.stored, t),
      median: median(everyone.map((p) => p.away_ms)),
      now: t,
      today: { from, to: t, spans: timeline(rows.today, rows.before, from, t) },
      recent: rows.recent,
    };
  },
  title: (_data, { name }) => name ?? "Person",
  render: (data) => <Person {...data} />,
});
