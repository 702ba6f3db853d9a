/** @jsxImportSource hono/jsx */
import { Deliveries, type DeliveryView } from "../components/deliveries.tsx";
import { clock } from "../format.ts";
import { Badge } from "../components/badge.tsx";
import { Ago } from "../components/time.tsx";
import type { Concern } from "./alert-concerns.ts";

interface AlertFields {
  id: number;
  kind: string;
  subject: string;
  severity: "info" | "warning" | "critical";
  state: "open" | "acknowledged" | "cleared";
  created_at: number;
  cleared_at: number | null;
}

export interface AlertDetailProps {
  alert: AlertFields & { text: string };
  /** every time this kind+subject fired, newest first, and how many in all */
  history: { rows: Array<Omit<AlertFields, "kind" | "subject">>; total: number };
  concerns: Concern[];
  /** its notifications: every attempt per channel (src/notify) */
  deliveries: DeliveryView[];
  now: number;
}

/** "42 s", "17 min", "3 h 5 min": how long an alert stayed (so far, while not cleared) */
export function lasted(a: { created_at: number; cleared_at: number | null }, now: number) {
  const s = Math.max(0, Math.round(((a.cleared_at ?? now) - a.created_at) / 1000));
  const text =
    s < 60
      ? `${s} s`
      : s < 3600
        ? `${Math.round(s / 60)} min`
        : `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  return a.cleared_at ? text : `${text} so far`;
}

export function AlertDetail({ alert: a, history, concerns, deliveries, now }: AlertDetailProps) {
  const back = `/alerts/${a.id}`;
  return (
    <>
      <div class="page-head">
        <h1>
          {a.subject} <span class="muted">· {a.kind}</span>
        </h1>
        <div class="actions">
          <Badge kind={a.severity} />
          <Badge kind={a.state} />
          {a.state !== "cleared" && (
            <form method="post" action="/api/alerts/ack" class="alert-actions">
              <input type="hidden" name="ids" value={String(a.id)} />
              <input type="hidden" name="return" value={back} />
              {a.state === "open" && (
                <button type="submit" class="btn btn-primary" formaction="/api/alerts/ack">
                  Acknowledge
                </button>
              )}
              <button type="submit" class="btn btn-danger" formaction="/api/alerts/clear">
                Clear
              </button>
            </form>
          )}
        </div>
      </div>
      <p class="alert-message" data-testid="alert-message">
        {a.text}
      </p>
      <div class="grid alert-detail">
        <section class="card" aria-labelledby="alert-fields">
          <h2 class="card-head" id="alert-fields">
            Details
          </h2>
          <dl class="fields">
            <dt>Alert</dt>
            <dd class="num">#{a.id}</dd>
            <dt>Kind</dt>
            <dd>
              <a href={`/alerts?kind=${encodeURIComponent(a.kind)}`}>{a.kind}</a>
            </dd>
            <dt>Subject</dt>
            <dd>{a.subject}</dd>
            <dt>Raised</dt>
            <dd>
              <Ago ts={a.created_at} now={now} /> <span class="muted">({clock(a.created_at)})</span>
            </dd>
            <dt>Cleared</dt>
            <dd>
              {a.cleared_at ? (
                <>
                  <Ago ts={a.cleared_at} now={now} />{" "}
                  <span class="muted">({clock(a.cleared_at)})</span>
                </>
              ) : (
                <span class="muted">not yet</span>
              )}
            </dd>
            <dt>Lasted</dt>
            <dd>{lasted(a, now)}</dd>
            <dt>Concerns</dt>
            <dd>
              {concerns.length === 0 ? (
                <span class="muted">nothing with a page</span>
              ) : (
                concerns.map((c, i) => (
                  <>
                    {i > 0 && ", "}
                    <a href={c.href}>{c.label}</a>
                  </>
                ))
              )}
            </dd>
          </dl>
        </section>
        <section id="deliveries" class="card" aria-labelledby="deliveries-head">
          <h2 class="card-head" id="deliveries-head">
            Notifications
          </h2>
          <Deliveries rows={deliveries} />
        </section>
      </div>
      <section class="card alert-history" aria-labelledby="history-head">
        <h2 class="card-head" id="history-head">
          History{" "}
          <span class="muted">
            · fired <span class="num">{history.total}</span>{" "}
            {history.total === 1 ? "time" : "times"}
          </span>
        </h2>
        <table class="data">
          <caption class="visually-hidden">
            Every time {a.subject} ({a.kind}) fired, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Alert</th>
              <th scope="col">Raised</th>
              <th scope="col">State</th>
              <th scope="col">Lasted</th>
            </tr>
          </thead>
          <tbody>
            {history.rows.map((h) => (
              <tr class={h.id === a.id ? "current" : undefined} data-testid={`fired-${h.id}`}>
                <td class="num">
                  {h.id === a.id ? (
                    <span aria-current="page">#{h.id}</span>
                  ) : (
                    <a href={`/alerts/${h.id}`}>#{h.id}</a>
                  )}
                </td>
                <td>
                  <Ago ts={h.created_at} now={now} />
                </td>
                <td>
                  <Badge kind={h.state} />
                </td>
                <td class="num">{lasted(h, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.total > history.rows.length && (
          <p class="muted">
            The newest {history.rows.length} of {history.total} are shown.{" "}
            <a href={`/alerts?kind=${encodeURIComponent(a.kind)}`}>{`All ${a.kind} alerts`}</a>
          </p>
        )}
      </section>
    </>
  );
}
