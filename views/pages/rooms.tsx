/** @jsxImportSource hono/jsx */
import { clock, num } from "../format.ts";
import type { RoomRow } from "./data.ts";

/** A server-rendered SVG line chart of one metric (no chart library, nothing to download). */
export function Chart({ points, label }: { points: Array<[number, number]>; label: string }) {
  if (points.length < 2) return <p class="empty">Not enough {label} history for a chart yet.</p>;
  const w = 320;
  const h = 90;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => ((x - x0) / (x1 - x0 || 1)) * (w - 10) + 5;
  const sy = (y: number) => h - 5 - ((y - y0) / (y1 - y0 || 1)) * (h - 10);
  const d = points
    .map(([x, y], i) => `${i ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
    .join(" ");
  return (
    <svg
      viewBox={`0 0 ${w} ${h}`}
      class="chart"
      role="img"
      aria-label={`${label} ${num(y0)} to ${num(y1)}`}
    >
      <path d={d} fill="none" stroke="currentColor" stroke-width="2" />
      <text x="4" y="12" font-size="10">
        {num(y1)}
      </text>
      <text x="4" y={h - 2} font-size="10">
        {num(y0)}
      </text>
    </svg>
  );
}

const series = (r: RoomRow, k: "temperature" | "humidity") =>
  r.history.filter((p) => p[k] !== null).map((p) => [p.ts, p[k] as number] as [number, number]);

export function Rooms({ rooms }: { rooms: RoomRow[] }) {
  if (rooms.length === 0) {
    return (
      <p class="empty">
        No rooms yet — <code>POST /office_status</code> with a room's temperature and humidity.
      </p>
    );
  }
  return (
    <div class="grid">
      {rooms.map((r) => (
        <section class="card" data-testid={`room-${r.room_no}`}>
          <h2>Room {r.room_no}</h2>
          <p class="big">
            {num(r.temperature, " °C")} · {num(r.humidity, " %")}
          </p>
          <p class="muted">updated {clock(r.updated_at)}</p>
          <Chart points={series(r, "temperature")} label="temperature" />
          <h3>Rules</h3>
          {r.rules.length === 0 ? (
            <p class="empty">No rules.</p>
          ) : (
            <ul>
              {r.rules.map((rule) => (
                <li
                  class={`rule-${rule.state}`}
                  data-testid={`rule-${r.room_no}-${rule.schedule_id}`}
                >
                  #{rule.schedule_id}: {describe(rule.condition)} — <strong>{rule.state}</strong>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

function describe(condition: unknown): string {
  const parts: string[] = [];
  for (const [metric, b] of Object.entries(
    (condition ?? {}) as Record<
      string,
      { agg_type: string; up: number | null; down: number | null }
    >,
  )) {
    const bounds = [
      b.down !== null && b.down !== undefined ? `≥ ${b.down}` : "",
      b.up !== null && b.up !== undefined ? `≤ ${b.up}` : "",
    ].filter(Boolean);
    parts.push(`${b.agg_type} ${metric} ${bounds.join(" and ")}`);
  }
  return parts.join("; ");
}

/** Outside the live region, so typing is never interrupted by an update. */
export function RuleForm() {
  return (
    <form
      class="card"
      hx-post="/office_rule"
      hx-swap="none"
      hx-on--after-request="this.querySelector('output').textContent = event.detail.successful ? 'saved' : event.detail.xhr.responseText"
    >
      <h2>Insert, update or delete a rule</h2>
      <label>
        Room <input name="room_no" type="number" required />
      </label>
      <label>
        Schedule id <input name="schedule_id" type="number" required />
      </label>
      <label>
        Order{" "}
        <select name="order">
          <option>insert</option>
          <option>update</option>
          <option>delete</option>
        </select>
      </label>
      <label>
        Metric{" "}
        <select name="metric">
          <option>temperature</option>
          <option>humidity</option>
        </select>
      </label>
      <label>
        Aggregate{" "}
        <select name="agg_type">
          <option>mean</option>
          <option>min</option>
          <option>max</option>
        </select>
      </label>
      <label>
        Up <input name="up" type="number" step="any" />
      </label>
      <label>
        Down <input name="down" type="number" step="any" />
      </label>
      <button type="submit">Send</button> <output></output>
    </form>
  );
}
