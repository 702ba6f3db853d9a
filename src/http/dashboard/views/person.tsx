/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { consoleReads } from "../../../store/console-reads.ts";
import { Person } from "../../../../views/pages/person.tsx";
import { NotFound, type View } from "../view.ts";
import { median, startOfLocalDay, timeline, withAwayToday } from "./presence.ts";

const RECENT_EVENTS = 20;

export const person: View = {
  path: "/people/:name",
  title: (_deps, { name }) => name ?? "Person",
  on: ["person", "alert"],
  render: ({ db, now = Date.now }, { name = "" }) => {
    const t = now();
    const reads = consoleReads(db);
    const stored = reads.person(name);
    if (!stored) throw new NotFound(`Nobody called "${name}" has badged in or out.`);
    const everyone = queries(db)
      .people()
      .map((p) => withAwayToday(p, t));
    const from = startOfLocalDay(t);
    const before = reads.recentPersonEvents(name, 1, from)[0]?.record_type;
    const events = reads.personEvents(name, from, t + 1);
    return (
      <Person
        person={withAwayToday(stored, t)}
        median={median(everyone.map((p) => p.away_ms))}
        now={t}
        today={{
          from,
          to: t,
          spans: timeline(reads.personEvents(name, from, t + 1), before, from, t),
        }}
        recent={reads.recentPersonEvents(name, RECENT_EVENTS)}
      />
    );
  },
};
