/** @jsxImportSource hono/jsx */
import { Ago } from "../components/time.tsx";
import { Badge } from "../components/badge.tsx";
import { TimeChart, type ChartRange } from "../components/time-chart.tsx";
import { minutes, num } from "../format.ts";
import {
  boundsOf,
  describeCheck,
  Freshness,
  Readings,
  RoomStatus,
  RuleForm,
  units,
  type RoomView,
} from "./rooms.tsx";

/** A room's page: values, the chart with its rules' bounds, each rule against its window now. */
export function Room({ room: r, range, now }: { room: RoomView; range: ChartRange; now: number }) {
  return (
    <>
      <div class="page-head">
        <h1>
          Room {r.room_no} <RoomStatus room={r} />
        </h1>
        <a href="/rooms" class="btn">
          All rooms
        </a>
      </div>
      <section class="card room-summary" data-testid={`room-${r.room_no}`}>
        <Readings room={r} />
        <Freshness room={r} now={now} />
        {r.alerts.map((a) => (
          <p class="room-alert">
            <a href={`/alerts/${a.id}`}>{a.message}</a> <Ago ts={a.created_at} now={now} />
          </p>
        ))}
      </section>
      <section class="card" aria-labelledby="room-chart-title">
        <h2 id="room-chart-title">Temperature and humidity</h2>
        <TimeChart
          id={`room-${r.room_no}-chart`}
          src={`/api/series?room_no=${r.room_no}`}
          label={`Room ${r.room_no}: temperature (°C) and humidity (%) over time, with its rules' bounds`}
          bounds={boundsOf(r.rules)}
          range={range}
          stamp={r.updated_at}
        />
      </section>
      <section class="card" aria-labelledby="room-rules-title">
        <h2 id="room-rules-title">Rules</h2>
        <p class="muted">
          Each rule compares the min, mean or max of the last {minutes(r.window_ms)} of readings
          with its bounds.
        </p>
        {r.rules.length === 0 ? (
          <p class="muted">No rules yet: add one below.</p>
        ) : (
          <div class="table-wrap">
            <table class="data rules">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Condition</th>
                  <th scope="col">Now</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {r.rules.flatMap((rule) =>
                  rule.checks.map((c, i) => (
                    <tr data-testid={`rule-${r.room_no}-${rule.schedule_id}-${c.metric}`}>
                      <td>{i === 0 ? `#${rule.schedule_id}` : ""}</td>
                      <td>{describeCheck(c)}</td>
                      <td class={`num${c.breached ? " breached" : ""}`}>
                        {c.agg} {num(c.value, units[c.metric])}
                      </td>
                      <td>{i === 0 && <Badge kind={rule.state} />}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <RuleForm roomNo={r.room_no} />
    </>
  );
}
