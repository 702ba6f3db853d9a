/** @jsxImportSource hono/jsx */
import { Ago } from "../components/time.tsx";
import { Badge } from "../components/badge.tsx";
import { Empty } from "../components/empty.tsx";
import type { PersonRow } from "./data.ts";

export interface PeopleProps {
  people: PersonRow[];
  /** the group's median time away today */
  median: number;
  now: number;
  /** where to POST entrance events (this server's collector) */
  httpUrl: string;
}

/** "3 h 05 min", "42 min", "40 s" */
export function duration(ms: number): string {
  if (ms < 59_500) return `${Math.round(ms / 1000)} s`;
  const m = Math.round(ms / 60_000);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

/** "2.5× median", or nothing to compare with while nobody has been away. */
export function versusMedian(away: number, median: number): string {
  if (median <= 0) return away > 0 ? "above median" : "—";
  return `${(Math.round((away / median) * 10) / 10).toString()}× median`;
}

export function People({ people, median, now, httpUrl }: PeopleProps) {
  const inside = people.filter((p) => p.state === "in").length;
  const head = (
    <div class="page-head">
      <h1>People</h1>
      {people.length > 0 && (
        <p class="row muted">
          <Badge kind="in" label={`${inside} in`} />
          <Badge kind="out" label={`${people.length - inside} out`} />
          <span>
            median away today <strong class="num">{duration(median)}</strong>
          </span>
        </p>
      )}
    </div>
  );
  if (people.length === 0)
    return (
      <>
        {head}
        <Empty title="Nobody yet">
          <p>People appear when they badge in or out at the entrance:</p>
          <pre>
            <code>
              curl -X POST {httpUrl}/entrance -H 'content-type: application/json' -d '
              {'{"name":"jane","value":"in"}'}'
            </code>
          </pre>
        </Empty>
      </>
    );
  const longest = Math.max(median, ...people.map((p) => p.away_ms), 1);
  return (
    <>
      {head}
      <section class="card" aria-label="Everyone, flagged first">
        <div class="table-wrap">
          <table class="data people">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Since</th>
                <th scope="col" class="num">
                  Away today
                </th>
                <th scope="col">Against the median</th>
                <th scope="col">Flag</th>
              </tr>
            </thead>
            <tbody>
              {[...people]
                .sort(
                  (a, b) => Number(b.flagged) - Number(a.flagged) || a.name.localeCompare(b.name),
                )
                .map((p) => (
                  <tr class={p.flagged ? "flagged" : ""} data-testid={`person-${p.name}`}>
                    <td>
                      <a href={`/people/${encodeURIComponent(p.name)}`}>{p.name}</a>
                    </td>
                    <td>
                      <Badge kind={p.state} />
                    </td>
                    <td>
                      <Ago ts={p.since} now={now} />
                    </td>
                    <td class="num">{duration(p.away_ms)}</td>
                    <td>
                      <AwayBar
                        away={p.away_ms}
                        median={median}
                        longest={longest}
                        flagged={p.flagged}
                      />
                      <span class="muted num">{versusMedian(p.away_ms, median)}</span>
                    </td>
                    <td>{p.flagged ? <Badge kind="warning" label="over the limit" /> : ""}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** Time away as a bar, the median as a tick: SVG attributes, no inline styles (CSP-friendly). */
export function AwayBar(props: {
  away: number;
  median: number;
  longest: number;
  flagged: boolean;
}) {
  const x = (ms: number) => ((Math.min(ms, props.longest) / props.longest) * 100).toFixed(1);
  return (
    <svg class="away-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
      <rect class="away-track" width="100" height="10" rx="2" />
      <rect
        class={props.flagged ? "away-fill away-flagged" : "away-fill"}
        width={x(props.away)}
        height="10"
        rx="2"
      />
      <rect class="away-median" x={x(props.median)} width="1" height="10" />
    </svg>
  );
}
