/** @jsxImportSource hono/jsx */
import { Ago } from "../components/time.tsx";
import { Badge } from "../components/badge.tsx";
import { Empty } from "../components/empty.tsx";
import { TimeChart, type ChartBound } from "../components/time-chart.tsx";
import { minutes, num } from "../format.ts";

export type Metric = "temperature" | "humidity";
export const units: Record<Metric, string> = { temperature: " °C", humidity: " %" };

/** One bound of a rule and the value of the rule's window it is compared with now. */
export interface RuleCheck {
  metric: Metric;
  agg: "min" | "mean" | "max";
  up: number | null;
  down: number | null;
  /** the aggregate over the rule engine's window; null without readings in it */
  value: number | null;
  /** outside its bounds now */
  breached: boolean;
}

export interface RuleView {
  schedule_id: number;
  state: "ok" | "alert";
  checks: RuleCheck[];
}

/** A room as its card and its page show it (src/http/dashboard/views/room-model.ts). */
export interface RoomView {
  room_no: number;
  temperature: number | null;
  humidity: number | null;
  updated_at: number;
  /** how often it usually reports (median of its recent readings), null until it is known */
  interval_ms: number | null;
  /** no reading for more than 3 usual intervals */
  stale: boolean;
  /** the rule engine's window (its rules aggregate over the readings in it) */
  window_ms: number;
  rules: RuleView[];
  /** its rules' alerts not cleared yet: what caused each */
  alerts: Array<{ id: number; message: string; created_at: number }>;
}

/** A rule's bounds as chart lines. */
export function boundsOf(rules: RuleView[]): ChartBound[] {
  const out: ChartBound[] = [];
  for (const r of rules)
    for (const c of r.checks) {
      const what = `#${r.schedule_id} ${c.agg} ${c.metric}`;
      if (c.up !== null)
        out.push({
          metric: c.metric,
          value: c.up,
          label: `${what} ≤ ${num(c.up, units[c.metric])}`,
        });
      if (c.down !== null)
        out.push({
          metric: c.metric,
          value: c.down,
          label: `${what} ≥ ${num(c.down, units[c.metric])}`,
        });
    }
  return out;
}

/** "max temperature ≤ 28" (kept in this form: scripts and tests read it) */
export const describeCheck = (c: RuleCheck) =>
  `${c.agg} ${c.metric} ${[c.down !== null ? `≥ ${c.down}` : "", c.up !== null ? `≤ ${c.up}` : ""]
    .filter(Boolean)
    .join(" and ")}`;

export function RoomStatus({ room }: { room: RoomView }) {
  if (room.stale) return <Badge kind="stale" />;
  if (room.rules.some((r) => r.state === "alert")) return <Badge kind="alert" />;
  return <Badge kind="ok" />;
}

/** The values on a card and the page: big numbers with their units. */
export function Readings({ room }: { room: RoomView }) {
  return (
    <div class="room-values">
      <p>
        <span class="room-value num">{num(room.temperature, units.temperature)}</span>
        <span class="muted">temperature</span>
      </p>
      <p>
        <span class="room-value num">{num(room.humidity, units.humidity)}</span>
        <span class="muted">humidity</span>
      </p>
    </div>
  );
}

/** When it last reported and how often it does; the stale mark says for how long it missed. */
export function Freshness({ room, now }: { room: RoomView; now: number }) {
  return (
    <p class="muted room-fresh">
      updated <Ago ts={room.updated_at} now={now} />
      {room.interval_ms !== null && <> · every {every(room.interval_ms)}</>}
      {room.stale && room.interval_ms !== null && (
        <>
          {" "}
          ·{" "}
          <strong class="stale-note">
            missed {Math.floor((now - room.updated_at) / room.interval_ms)} readings
          </strong>
        </>
      )}
    </p>
  );
}

const every = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 100) / 10} s` : minutes(ms));

export function Rooms({ rooms, now }: { rooms: RoomView[]; now: number }) {
  if (rooms.length === 0) {
    return (
      <>
        <div class="page-head">
          <h1>Rooms</h1>
        </div>
        <Empty title="No rooms yet">
          <p>
            A room appears with its first reading: <code>POST /office_status</code> with{" "}
            <code>{'{"room_no":1,"status":{"temperature":22,"humidity":40}}'}</code>.
          </p>
        </Empty>
        <RuleForm />
      </>
    );
  }
  // alerting rooms first, then stale ones, then the rest by number
  const rank = (r: RoomView) => (r.rules.some((x) => x.state === "alert") ? 0 : r.stale ? 1 : 2);
  const sorted = [...rooms].sort((a, b) => rank(a) - rank(b) || a.room_no - b.room_no);
  return (
    <>
      <div class="page-head">
        <h1>Rooms</h1>
        <p class="muted">
          {rooms.length} rooms · rules compare the last {minutes(rooms[0]!.window_ms)} of readings
        </p>
      </div>
      <div class="grid rooms">
        {sorted.map((r) => (
          <RoomCard room={r} now={now} />
        ))}
      </div>
      <RuleForm />
    </>
  );
}

function RoomCard({ room: r, now }: { room: RoomView; now: number }) {
  const alerting = r.rules.flatMap((rule) =>
    rule.state === "alert" ? rule.checks.map((c) => ({ rule, c })) : [],
  );
  return (
    <section
      class={`card room-card${r.stale ? " is-stale" : ""}${alerting.length ? " is-alert" : ""}`}
      data-testid={`room-${r.room_no}`}
      aria-labelledby={`room-${r.room_no}-title`}
    >
      <div class="card-head">
        <h2 id={`room-${r.room_no}-title`}>
          <a href={`/rooms/${r.room_no}`}>Room {r.room_no}</a>
        </h2>
        <RoomStatus room={r} />
      </div>
      <Readings room={r} />
      <Freshness room={r} now={now} />
      {r.alerts.map((a) => (
        <p class="room-alert" data-testid={`room-${r.room_no}-alert`}>
          <a href={`/alerts/${a.id}`}>{a.message}</a> <Ago ts={a.created_at} now={now} />
        </p>
      ))}
      <TimeChart
        id={`room-${r.room_no}-card-chart`}
        src={`/api/series?room_no=${r.room_no}`}
        label={`Room ${r.room_no}: temperature and humidity, last 6 hours`}
        bounds={boundsOf(r.rules)}
        range="6h"
        picker={false}
        compact
        stamp={r.updated_at}
      />
      {r.rules.length === 0 ? (
        <p class="muted">No rules.</p>
      ) : (
        <ul class="rule-list">
          {r.rules.map((rule) => (
            <li class={`rule-${rule.state}`} data-testid={`rule-${r.room_no}-${rule.schedule_id}`}>
              #{rule.schedule_id}: {rule.checks.map(describeCheck).join("; ")}{" "}
              <Badge kind={rule.state} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The rule editor: `POST /office_rule` as a form (the collector turns it into the seed's JSON).
 * `hx-preserve` keeps what is being typed while live updates replace the page around it.
 */
export function RuleForm({ roomNo }: { roomNo?: number }) {
  const id = roomNo === undefined ? "rule-form" : `rule-form-${roomNo}`;
  return (
    <form
      class="card rule-form"
      id={id}
      hx-preserve="true"
      hx-post="/office_rule"
      hx-swap="none"
      hx-on--after-request="this.querySelector('output').textContent = event.detail.successful ? 'saved' : event.detail.xhr.responseText"
    >
      <h2>{roomNo === undefined ? "Add, change or delete a rule" : "Edit rules"}</h2>
      <div class="filters">
        {roomNo === undefined ? (
          <label>
            Room <input name="room_no" type="number" required />
          </label>
        ) : (
          <input name="room_no" type="hidden" value={String(roomNo)} />
        )}
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
        <button type="submit" class="btn btn-primary">
          Send
        </button>{" "}
        <output></output>
      </div>
    </form>
  );
}
