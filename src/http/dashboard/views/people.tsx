/** @jsxImportSource hono/jsx */
import { queries } from "../../../store/queries.ts";
import { People } from "../../../../views/pages/people.tsx";
import type { PersonRow } from "../../../../views/pages/data.ts";
import type { View } from "../view.ts";

const localDay = (ts: number) => new Date(ts).toLocaleDateString("sv-SE");

export const people: View = {
  path: "/people",
  title: "People",
  on: ["person", "alert"],
  render: ({ db, now = Date.now }) => {
    const t = now();
    const people: PersonRow[] = queries(db)
      .people()
      .map((p) => {
        const today = p.day === localDay(t) ? p.away_ms_today : 0;
        return { ...p, away_ms: today + (p.state === "out" ? Math.max(0, t - p.since) : 0) };
      });
    const sorted = people.map((p) => p.away_ms).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median =
      sorted.length === 0
        ? 0
        : sorted.length % 2
          ? sorted[mid]!
          : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return <People people={people} median={median} />;
  },
};
