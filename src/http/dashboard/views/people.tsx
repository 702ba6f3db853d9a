/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { People } from "../../../../views/pages/people.tsx";
import type { View } from "../view.ts";
import { siteHints } from "./overview-model.ts";
import { median, withAwayToday } from "./presence.ts";

export const people: View = {
  path: "/people",
  title: "People",
  on: ["person", "alert"],
  render: ({ db, site, now = Date.now }) => {
    const t = now();
    const people = queries(db)
      .people()
      .map((p) => withAwayToday(p, t));
    return (
      <People
        people={people}
        median={median(people.map((p) => p.away_ms))}
        now={t}
        httpUrl={siteHints(site?.()).httpUrl}
      />
    );
  },
};
