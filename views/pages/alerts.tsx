/** @jsxImportSource hono/jsx */
import type { AlertGroup, AlertPage } from "../../src/store/alert-list.ts";
import { Badge } from "../components/badge.tsx";
import { Empty } from "../components/empty.tsx";
import { Ago } from "../components/time.tsx";

/** A group as shown: its message told as of now. */
export type AlertGroupRow = AlertGroup & { text: string };

export interface AlertsQuery {
  state?: string;
  kind?: string;
  room?: string;
  device?: string;
  size?: string;
}

export interface AlertsProps {
  page: Omit<AlertPage, "groups"> & { groups: AlertGroupRow[] };
  /** the filter as asked (kept in links and the form) */
  query: AlertsQuery;
  /** why the query was not understood, if it was not (then nothing is filtered) */
  problem?: string;
  kinds: string[];
  rooms: number[];
  devices: string[];
  now: number;
}

const STATE_LABEL: Record<string, string> = {
  "": "Any state",
  active: "Open or acknowledged",
  open: "Open",
  acknowledged: "Acknowledged",
  cleared: "Cleared",
};

/** `/alerts?…` with the filter, some fields changed; empty fields left out. */
export function alertsHref(query: AlertsQuery, change: Record<string, string | undefined> = {}) {
  const merged: Record<string, string | undefined> = { ...query, ...change };
  const params = new URLSearchParams();
  for (const k of ["state", "kind", "room", "device", "size", "page"])
    if (merged[k]) params.set(k, merged[k]!);
  const qs = params.toString();
  return qs ? `/alerts?${qs}` : "/alerts";
}

const BULK_FORM = "alerts-bulk";

/** The checkbox's value and a group action's target: the group itself. */
const groupKey = (g: AlertGroup) =>
  JSON.stringify({ kind: g.kind, subject: g.subject, state: g.state });

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: Array<[string, string]>;
}) {
  return (
    <label>
      <span>{label}</span>
      <select name={name}>
        {options.map(([v, text]) => (
          <option value={v} selected={(value ?? "") === v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

function Filters({ query, kinds, rooms, devices, page }: AlertsProps) {
  const n = page.by_state;
  const states: Array<[string, string]> = [
    ["", `${STATE_LABEL[""]} (${n.open + n.acknowledged + n.cleared})`],
    ["active", `${STATE_LABEL.active} (${n.open + n.acknowledged})`],
    ["open", `Open (${n.open})`],
    ["acknowledged", `Acknowledged (${n.acknowledged})`],
    ["cleared", `Cleared (${n.cleared})`],
  ];
  return (
    // without JS the Apply button submits it; with htmx any change does, replacing the whole
    // page (and so its live stream, whose params are this query)
    <form
      class="filters"
      method="get"
      action="/alerts"
      hx-get="/alerts"
      hx-trigger="change"
      hx-target="body"
      hx-push-url="true"
      role="search"
      aria-label="Filter alerts"
    >
      <Select name="state" label="State" value={query.state} options={states} />
      <Select
        name="kind"
        label="Kind"
        value={query.kind}
        options={[["", "Any kind"], ...kinds.map((k): [string, string] => [k, k])]}
      />
      <Select
        name="room"
        label="Room"
        value={query.room}
        options={[
          ["", "Any room"],
          ...rooms.map((r): [string, string] => [String(r), `Room ${r}`]),
        ]}
      />
      <Select
        name="device"
        label="Device"
        value={query.device}
        options={[["", "Any device"], ...devices.map((d): [string, string] => [d, d])]}
      />
      {query.size && <input type="hidden" name="size" value={query.size} />}
      <button type="submit" class="btn">
        Apply
      </button>
      <a class="btn" href="/alerts">
        Reset
      </a>
    </form>
  );
}

function Pager({ page, query }: AlertsProps) {
  if (page.pages <= 1) return null;
  const at = (p: number) => alertsHref(query, { page: p === 1 ? undefined : String(p) });
  return (
    <nav class="pager" aria-label="Pages">
      {page.page > 1 ? (
        <a class="btn" href={at(page.page - 1)} rel="prev">
          ‹ Newer
        </a>
      ) : (
        <span class="btn" aria-disabled="true">
          ‹ Newer
        </span>
      )}
      <span class="num">
        Page {page.page} of {page.pages}
      </span>
      {page.page < page.pages ? (
        <a class="btn" href={at(page.page + 1)} rel="next">
          Older ›
        </a>
      ) : (
        <span class="btn" aria-disabled="true">
          Older ›
        </span>
      )}
    </nav>
  );
}

function GroupRow({ g, now, back }: { g: AlertGroupRow; now: number; back: string }) {
  const actionable = g.state !== "cleared";
  const rowForm = `act-${g.state}-${g.last_id}`;
  return (
    <tr class={`alert-row row-${g.state} sev-${g.severity}`} data-testid={`group-${g.last_id}`}>
      <td class="pick">
        {actionable && (
          // hx-preserve: a live update keeps what the operator has ticked
          <input
            type="checkbox"
            name="group"
            value={groupKey(g)}
            form={BULK_FORM}
            id={`pick-${g.state}-${g.last_id}`}
            hx-preserve="true"
            aria-label={`Select ${g.subject} (${g.kind})`}
          />
        )}
      </td>
      <td class="sev">
        <Badge kind={g.severity} />
      </td>
      <td class="alert-what">
        <a href={`/alerts/${g.last_id}`}>{g.text}</a>
        <span class="muted alert-kind">
          {g.kind} · {g.subject}
        </span>
      </td>
      <td class="state">
        <Badge kind={g.state} />
      </td>
      <td class={g.count > 1 ? "num count" : "num count single"} data-testid="count">
        {g.count > 1 ? `×${g.count}` : "×1"}
      </td>
      <td class="when">
        <span class="last">
          <span class="muted">last</span> <Ago ts={g.last_at} now={now} />
        </span>{" "}
        <span class="first">
          <span class="muted">first</span> <Ago ts={g.first_at} now={now} />
        </span>
      </td>
      <td class="row-actions">
        {actionable && (
          <form id={rowForm} method="post" action="/api/alerts/ack">
            <input type="hidden" name="group" value={groupKey(g)} />
            <input type="hidden" name="return" value={back} />
            {g.state === "open" && (
              <button type="submit" class="btn" formaction="/api/alerts/ack">
                Acknowledge
              </button>
            )}
            <button type="submit" class="btn btn-danger" formaction="/api/alerts/clear">
              Clear
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

export function Alerts(props: AlertsProps) {
  const { page, query, problem, now } = props;
  const back = alertsHref(query, { page: page.page > 1 ? String(page.page) : undefined });
  const filtered = !!(query.state || query.kind || query.room || query.device);
  const first = (page.page - 1) * page.size + 1;
  const last = first + page.groups.length - 1;
  const bulk = BULK_FORM;
  return (
    <>
      <div class="page-head">
        <h1>Alerts</h1>
        <p class="muted">
          <span class="num" data-testid="open-count">
            {page.by_state.open}
          </span>{" "}
          open · <span class="num">{page.by_state.acknowledged}</span> acknowledged
          {filtered && " (matching the filter)"}
        </p>
      </div>
      <Filters {...props} />
      {problem && (
        <p class="notice" role="alert">
          Filter not applied — {problem}
        </p>
      )}
      {page.groups.length === 0 ? (
        filtered ? (
          <Empty title="No alerts match this filter">
            <a href="/alerts">Show all alerts</a>
          </Empty>
        ) : (
          <Empty title="No alerts">
            Room rules (<code>POST /office_rule</code>), full bins (MQTT <code>hello/world</code>)
            and people away too long (<code>POST /entrance</code>) raise them here.
          </Empty>
        )
      ) : (
        <>
          <section class="card alerts-list" aria-label="Alerts">
            {/* the row actions are forms of their own, so the bulk form wraps only the buttons
              and checkboxes point at it with form= */}
            <form id={bulk} class="bulk-bar" method="post" action="/api/alerts/ack">
              <input type="hidden" name="return" value={back} />
              <button type="submit" class="btn btn-primary" formaction="/api/alerts/ack">
                Acknowledge selected
              </button>
              <button type="submit" class="btn btn-danger" formaction="/api/alerts/clear">
                Clear selected
              </button>
              <span class="muted range" data-testid="range">
                {first}–{last} of <span class="num">{page.total_groups}</span> groups (
                <span class="num">{page.total_alerts}</span> alerts)
              </span>
            </form>
            <table class="data alerts-table">
              <caption class="visually-hidden">
                Alerts, open first, repeats grouped; select to acknowledge or clear
              </caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span class="visually-hidden">Select</span>
                  </th>
                  <th scope="col">Severity</th>
                  <th scope="col">Alert</th>
                  <th scope="col">State</th>
                  <th scope="col">Count</th>
                  <th scope="col">When</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.groups.map((g) => (
                  <GroupRow g={g} now={now} back={back} />
                ))}
              </tbody>
            </table>
            <Pager {...props} />
          </section>
        </>
      )}
    </>
  );
}
