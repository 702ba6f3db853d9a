/**
 * Time away today and the day's in/out timeline, as the pages show them (pure). Time away
 * counts as the presence consumer counts it (src/consumers/presence/model.ts): only today's part
 * of an absence that began yesterday.
 */
import { Presence } from "../../../consumers/presence/model.ts";
import type { PersonRow as StoredPerson } from "../../../store/queries.ts";
import type { PersonRow } from "../../../../views/pages/data.ts";

const presence = new Presence();

export const startOfLocalDay = (ts: number) => {
  const d = new Date(ts);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/** A stored person with their time away today counted up to `now`. */
export const withAwayToday = (p: StoredPerson, now: number): PersonRow => ({
  name: p.name,
  state: p.state,
  since: p.since,
  flagged: p.flagged,
  away_ms: presence.awayNow({ ...p, awayMsToday: p.away_ms_today }, now),
});

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Span {
  /** unknown: before the first event we know of */
  state: "in" | "out" | "unknown";
  from: number;
  to: number;
}

/**
 * The spans of in and out between `from` and `to`, from the events in that window (oldest
 * first) and the state before it (the newest earlier event's, if any). Repeated events of the
 * same type (a missed badge) extend the span rather than split it.
 */
export function timeline(
  events: ReadonlyArray<{ record_type: "in" | "out"; ts: number }>,
  before: "in" | "out" | undefined,
  from: number,
  to: number,
): Span[] {
  const spans: Span[] = [];
  let state: Span["state"] = before ?? "unknown";
  let start = from;
  for (const e of events) {
    const ts = Math.min(Math.max(e.ts, from), to);
    if (e.record_type === state) continue;
    if (ts > start) spans.push({ state, from: start, to: ts });
    state = e.record_type;
    start = ts;
  }
  if (to > start) spans.push({ state, from: start, to });
  return spans;
}
