/** @jsxImportSource hono/jsx */
import { Ago } from "../../components/time.tsx";
import { Badge, type BadgeKind } from "../../components/badge.tsx";
import { Empty } from "../../components/empty.tsx";
import type { DeviceRow } from "../data.ts";
import { DeviceMap, type MapDevice } from "./map.tsx";
import {
  displayName,
  stateLabels,
  typeLabels,
  type DeviceState,
  type DeviceType,
} from "./state.ts";

export type DeviceItem = DeviceRow & { type: DeviceType; state: DeviceState };

export interface DeviceFilters {
  type?: DeviceType;
  state?: DeviceState;
}

export const stateBadge: Record<DeviceState, BadgeKind> = {
  online: "online",
  stale: "stale",
  offline: "offline",
  never: "never",
  inactive: "info",
};

/** The toggle's next status: the opposite of what was asked last (or reported). */
export const nextStatus = (d: Pick<DeviceRow, "status" | "desired_status">) =>
  (d.desired_status ?? d.status) === "Inactive" ? "Active" : "Inactive";

/** The status toggle: `POST /status/<id>`; views/scripts/devices.js shows the answer at once. */
export function Toggle({ d }: { d: Pick<DeviceRow, "id" | "status" | "desired_status"> }) {
  const next = nextStatus(d);
  return (
    <button
      class="btn"
      data-toggle-status={d.id}
      hx-post={`/status/${encodeURIComponent(d.id)}`}
      hx-vals={JSON.stringify({ status: next })}
      hx-swap="none"
    >
      Set {next}
    </button>
  );
}

/** What the device reports and what was asked of it; "pending" until the two agree. */
export function Desired({ d }: { d: Pick<DeviceRow, "status" | "desired_status"> }) {
  if (!d.desired_status) return <span class="muted">—</span>;
  return (
    <span data-desired={d.desired_status}>
      → {d.desired_status}
      {d.desired_status !== d.status && <span class="muted"> (pending)</span>}
    </span>
  );
}

export function DevicesPage({
  devices,
  shown,
  map,
  filters,
  now,
}: {
  /** every device (the counts) */
  devices: DeviceItem[];
  /** the ones the filters keep */
  shown: DeviceItem[];
  map: MapDevice[];
  filters: DeviceFilters;
  now: number;
}) {
  const count = (s: DeviceState) => devices.filter((d) => d.state === s).length;
  return (
    <div class="devices-page">
      <div class="page-head">
        <h1>Devices</h1>
        <p class="muted">
          {devices.length} devices · {count("online")} online · {count("stale")} stale ·{" "}
          {count("offline")} offline · {count("never")} never seen
        </p>
      </div>
      {devices.length === 0 ? (
        <Empty title="No devices yet">
          Start one with <code>iot device</code>, or publish a coffee device's position to the MQTT
          topic <code>coffee</code>.
        </Empty>
      ) : (
        <>
          {map.length > 0 && (
            <section class="card device-map-card" aria-labelledby="map-title">
              <div class="card-head">
                <h2 id="map-title">Map</h2>
                <span class="muted">coffee machines, with their last positions</span>
              </div>
              <div class="map-scroll">
                <DeviceMap devices={map} />
              </div>
            </section>
          )}
          <section class="card" aria-labelledby="list-title">
            <div class="card-head">
              <h2 id="list-title">All devices</h2>
              <FilterForm filters={filters} />
            </div>
            {shown.length === 0 ? (
              <Empty title="No device matches these filters">
                <a href="/devices">Show all devices</a>
              </Empty>
            ) : (
              <DeviceTable devices={shown} now={now} />
            )}
          </section>
        </>
      )}
      <script src="/static/devices.js" defer></script>
    </div>
  );
}

function FilterForm({ filters }: { filters: DeviceFilters }) {
  return (
    // kept across live updates (a choice being made is not reset by the next render); the id
    // names the filters, so another set of filters (a navigation) gets its own form
    <form
      class="filters"
      id={`device-filters-${filters.type ?? "all"}-${filters.state ?? "all"}`}
      hx-preserve="true"
      method="get"
      action="/devices"
      data-testid="device-filters"
    >
      <label>
        Type{" "}
        <select name="type">
          <option value="">all</option>
          {(Object.keys(typeLabels) as DeviceType[]).map((t) => (
            <option value={t} selected={filters.type === t}>
              {typeLabels[t]}
            </option>
          ))}
        </select>
      </label>
      <label>
        State{" "}
        <select name="state">
          <option value="">all</option>
          {(Object.keys(stateLabels) as DeviceState[]).map((s) => (
            <option value={s} selected={filters.state === s}>
              {stateLabels[s]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="btn">
        Filter
      </button>
    </form>
  );
}

function DeviceTable({ devices, now }: { devices: DeviceItem[]; now: number }) {
  return (
    <div class="table-scroll">
      <table class="data device-table">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Type</th>
            <th scope="col">State</th>
            <th scope="col">Last seen</th>
            <th scope="col">Reported</th>
            <th scope="col">Desired</th>
            <th scope="col">
              <span class="visually-hidden">Toggle</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr data-testid={`device-${d.id}`} data-state={d.state} data-type={d.type}>
              <td>
                <a href={`/devices/${encodeURIComponent(d.id)}`}>{displayName(d)}</a>
                {d.name && <div class="muted num">{d.id}</div>}
              </td>
              <td>{typeLabels[d.type]}</td>
              <td>
                <Badge kind={stateBadge[d.state]} label={stateLabels[d.state]} />
              </td>
              <td>
                <Ago ts={d.last_seen} now={now} />
              </td>
              <td>{d.status ?? <span class="muted">—</span>}</td>
              <td class="desired">
                <Desired d={d} />
              </td>
              <td>
                <Toggle d={d} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
