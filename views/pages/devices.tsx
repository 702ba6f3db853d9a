/** @jsxImportSource hono/jsx */
import { ago } from "../format.ts";
import type { DeviceRow } from "./data.ts";

/** The coffee devices' x,y positions on an SVG map, and every device with its toggle. */
export function Devices({ devices, now }: { devices: DeviceRow[]; now: number }) {
  if (devices.length === 0)
    return (
      <p class="empty">
        No devices yet — start one with <code>iot device</code> or publish to <code>coffee</code>.
      </p>
    );
  const placed = devices.filter((d) => d.x !== null && d.y !== null);
  const xs = placed.map((d) => d.x!);
  const ys = placed.map((d) => d.y!);
  const pad = 1;
  const [x0, x1, y0, y1] = [
    Math.min(0, ...xs) - pad,
    Math.max(10, ...xs) + pad,
    Math.min(0, ...ys) - pad,
    Math.max(10, ...ys) + pad,
  ];
  return (
    <div class="grid">
      {placed.length > 0 && (
        <section class="card">
          <h2>Map</h2>
          <svg viewBox={`${x0} ${y0} ${x1 - x0} ${y1 - y0}`} class="map" data-testid="map">
            {placed.map((d) => (
              <g data-testid={`dot-${d.id}`} data-x={String(d.x)} data-y={String(d.y)}>
                <circle
                  cx={d.x!}
                  cy={d.y!}
                  r="0.4"
                  class={d.status === "Inactive" ? "inactive" : "active"}
                />
                <text x={d.x! + 0.5} y={d.y! + 0.2} font-size="0.6">
                  {d.id}
                </text>
              </g>
            ))}
          </svg>
        </section>
      )}
      <section class="card wide">
        <table>
          <thead>
            <tr>
              <th>device</th>
              <th>status</th>
              <th>last seen</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => {
              const next = (d.desired_status ?? d.status) === "Inactive" ? "Active" : "Inactive";
              return (
                <tr data-testid={`device-${d.id}`}>
                  <td>{d.id}</td>
                  <td>
                    <span class={d.online ? "state-up" : "state-down"}>
                      {d.online ? "online" : "offline"}
                    </span>{" "}
                    · {d.status ?? "—"}
                    {d.desired_status && d.desired_status !== d.status
                      ? ` (→ ${d.desired_status})`
                      : ""}
                  </td>
                  <td>{ago(d.last_seen, now)}</td>
                  <td>
                    <button
                      hx-post={`/status/${encodeURIComponent(d.id)}`}
                      hx-vals={JSON.stringify({ status: next })}
                      hx-swap="none"
                    >
                      Set {next}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </div>
  );
}
