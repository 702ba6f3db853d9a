/**
 * What the Alerts pages need from the rest of the store besides alerts: each person's time away
 * up to now (an open "away too long" alert tells it afresh).
 */
import type { PersonRow } from "../../../store/queries.ts";

const localDay = (ts: number) => new Date(ts).toLocaleDateString("sv-SE");

/** name → time away today up to `now` (as the People page counts it), from the stored people. */
export function awayNow(people: PersonRow[], now: number): (name: string) => number | undefined {
  const away = new Map<string, number>();
  for (const p of people) {
    const today = p.day === localDay(now) ? p.away_ms_today : 0;
    away.set(p.name, today + (p.state === "out" ? Math.max(0, now - p.since) : 0));
  }
  return (name) => away.get(name);
}
