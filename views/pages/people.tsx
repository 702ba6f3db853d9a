/** @jsxImportSource hono/jsx */
import { clock, minutes } from "../format.ts";
import type { PersonRow } from "./data.ts";

export function People({ people, median }: { people: PersonRow[]; median: number }) {
  if (people.length === 0)
    return (
      <p class="empty">
        Nobody yet —{" "}
        <code>
          POST /entrance {"{"}"name","value":"in"{"}"}
        </code>
        .
      </p>
    );
  return (
    <section class="card wide">
      <p>
        Group median time away today: <strong>{minutes(median)}</strong>
      </p>
      <table>
        <thead>
          <tr>
            <th>name</th>
            <th>state</th>
            <th>since</th>
            <th>away today</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr class={p.flagged ? "flagged" : ""} data-testid={`person-${p.name}`}>
              <td>{p.name}</td>
              <td>{p.state}</td>
              <td>{clock(p.since)}</td>
              <td>
                {minutes(p.away_ms)}
                {p.flagged ? " ⚠ over the limit" : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
