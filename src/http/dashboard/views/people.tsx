/** @jsxImportSource hono/jsx */
import { People } from "../../../../views/pages/people.tsx";
import { defineView } from "../view.ts";
import { siteHints } from "./overview-model.ts";
import { median, withAwayToday } from "./presence.ts";

export const people = defineView({
  path: "/people",
  title: "People",
  on: ["person", "alert"],
  load: async ({ store, site, now = Date.now }) => {
    const t = now();
    const people = (await store.read((q) => q.console.people())).map((p) => withAwayToday(p, t));
    return { people, now: t, httpUrl: siteHints(site?.()).httpUrl };
  },
  render: ({ people, now, httpUrl }) => (
    <People
      people={people}
      median={median(people.map((p) => p.away_ms))}
      now={now}
      httpUrl={httpUrl}
    />
  ),
});
