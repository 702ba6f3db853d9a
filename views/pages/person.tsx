/** @jsxImportSource hono/jsx */
import { clock } from "../format.ts";
import { Ago } from "../components/time.tsx";
import { Badge } from "../components/badge.tsx";
import { Empty } from "../components/empty.tsx";
import type { PersonRow } from "./data.ts";
import { AwayBar, duration, versusMedian } from "./people.tsx";

export interface TimelineSpan {
  state: "in" | "out" | "unknown";
  from: number;
  to: number;
}

export interface PersonProps {
  person: PersonRow;
  median: number;
  now: number;
  /** today's spans from local midnight to now */
  today: { from: number; to: number; spans: TimelineSpan[]; firstEvent?: number };
  /** the newest events, newest first */
  recent: Array<{ id: number; record_type: "in" | "out"; ts: number }>;
}

const hhmm = (ts: number) => clock(ts).slice(11, 16);

export function Person({ person, median, now, today, recent }: PersonProps) {
  const longest = Math.max(person.away_ms, median, 1);
  return (
    <>
      <nav class="breadcrumb" aria-label="Breadcrumb">
        <a href="/people">People</a> / {person.name}
      </nav>
      <div class="page-head">
        <h1>{person.name}</h1>
        <p class="row">
          <Badge kind={person.state} />
          {person.flagged && <Badge kind="warning" label="over the limit" />}
        </p>
      </div>
      <div class="tiles">
        <div class="tile tile-info">
          <span class="tile-label">{person.state === "in" ? "In since" : "Out since"}</span>
          <span class="tile-value">{hhmm(person.since)}</span>
          <span class="tile-note">
            <Ago ts={person.since} now={now} />
          </span>
        </div>
        <div class={`tile ${person.flagged ? "tile-warn" : "tile-ok"}`} data-testid="away-today">
          <span class="tile-label">Away today</span>
          <span class="tile-value">{duration(person.away_ms)}</span>
          <span class="tile-note">{versusMedian(person.away_ms, median)}</span>
        </div>
        <div class="tile">
          <span class="tile-label">Group median</span>
          <span class="tile-value">{duration(median)}</span>
          <span class="tile-note">time away today</span>
        </div>
      </div>
      <div class="grid person">
        <section class="card wide" aria-labelledby="h-today">
          <div class="card-head">
            <h2 id="h-today">Today</h2>
            <span class="muted">{clock(today.from).slice(0, 10)}, until now</span>
          </div>
          <Timeline {...today} />
          <p class="row muted timeline-legend">
            <span class="legend legend-in">in</span>
            <span class="legend legend-out">out</span>
            <span class="legend legend-unknown">no event yet</span>
            <span class="legend legend-now">now</span>
          </p>
          <div class="against-median">
            <span class="muted">Against the median:</span>
            <AwayBar
              away={person.away_ms}
              median={median}
              longest={longest}
              flagged={person.flagged}
            />
            <span class="num">
              {duration(person.away_ms)} vs {duration(median)}
            </span>
          </div>
        </section>
        <section class="card wide" aria-labelledby="h-recent">
          <div class="card-head">
            <h2 id="h-recent">Recent events</h2>
          </div>
          {recent.length === 0 ? (
            <Empty title="No entrance events stored" />
          ) : (
            <div class="table-wrap">
              <table class="data" data-testid="recent-events">
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">When</th>
                    <th scope="col">Time</th>
                  </tr>
                </thead>
                <tbody>
                  {recent.map((e) => (
                    <tr>
                      <td>
                        <Badge kind={e.record_type} />
                      </td>
                      <td>
                        <Ago ts={e.ts} now={now} />
                      </td>
                      <td class="num">{clock(e.ts)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
    </>
  );
}

const STEPS_MIN = [5, 10, 15, 30, 60, 120, 180];

/**
 * The part of the day worth drawing: from the first event today (at least the last hour) to now,
 * widened to whole ticks so the tick labels below are evenly spaced (pure).
 */
export function timelineWindow(dayStart: number, now: number, firstEvent: number | undefined) {
  const start = Math.max(dayStart, Math.min(firstEvent ?? now, now - 3600_000));
  const step =
    STEPS_MIN.map((m) => m * 60_000).find((s) => Math.ceil((now - start) / s) + 1 <= 9) ??
    3 * 3600_000;
  const from = dayStart + Math.floor((start - dayStart) / step) * step;
  const to = dayStart + Math.max(1, Math.ceil((now - dayStart) / step)) * step;
  const ticks: number[] = [];
  for (let t = from; t <= to; t += step) ticks.push(t);
  return { from, to, ticks };
}

/**
 * Today as one horizontal bar of in/out spans up to now, a mark at now, the tick times below
 * (evenly spaced: the window is whole ticks). SVG attributes, no inline styles (CSP-friendly).
 */
function Timeline({ from: dayStart, to: now, spans, firstEvent }: PersonProps["today"]) {
  const w = timelineWindow(dayStart, now, firstEvent);
  const x = (ts: number) =>
    ((Math.min(Math.max(ts, w.from), w.to) - w.from) / (w.to - w.from)) * 1000;
  const shown = spans.filter((s) => s.to > w.from);
  const summary = spans
    .filter((s) => s.state !== "unknown")
    .map((s) => `${s.state} ${hhmm(s.from)}–${hhmm(s.to)}`)
    .join(", ");
  return (
    <figure class="timeline" data-testid="timeline">
      <svg
        viewBox="0 0 1000 40"
        preserveAspectRatio="none"
        role="img"
        aria-label={summary ? `Today: ${summary}` : "No entrance events today"}
      >
        <rect class="tl-track" width="1000" height="40" rx="4" />
        {shown.map((s) => (
          <rect
            class={`tl-${s.state}`}
            data-state={s.state}
            x={x(s.from).toFixed(1)}
            width={Math.max(1, x(s.to) - x(s.from)).toFixed(1)}
            height="40"
          >
            <title>{`${s.state === "unknown" ? "no event yet" : s.state} ${hhmm(s.from)}–${hhmm(s.to)} (${duration(s.to - s.from)})`}</title>
          </rect>
        ))}
        <rect class="tl-now" x={(x(now) - 1).toFixed(1)} width="2" height="40" />
      </svg>
      <div class="tl-axis" aria-hidden="true">
        {w.ticks.map((t) => (
          <span>{hhmm(t)}</span>
        ))}
      </div>
    </figure>
  );
}
