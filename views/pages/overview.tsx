/** @jsxImportSource hono/jsx */
import type { HealthReport } from "../types.ts";
import { ago, num } from "../format.ts";
import type { AlertRow, DeviceRow, ReadingRow } from "./data.ts";

export interface OverviewProps {
  now: number;
  health: HealthReport;
  devices: DeviceRow[];
  latest: ReadingRow[];
  alerts: AlertRow[];
}

export function Overview({ now, health, devices, latest, alerts }: OverviewProps) {
  const online = devices.filter((d) => d.online).length;
  return (
    <div class="grid">
      <section class="card">
        <h2>Devices</h2>
        <p class="big">
          <span data-testid="online">{online}</span> online · {devices.length - online} offline
        </p>
        {devices.length === 0 && (
          <p class="empty">
            No devices yet — start one with{" "}
            <code>iot device --server mqtt://&lt;this pc&gt;:1883</code>.
          </p>
        )}
      </section>
      <section class="card">
        <h2>Open alerts</h2>
        <p class="big">{alerts.length}</p>
        <ul>
          {alerts.slice(0, 5).map((a) => (
            <li class={`sev-${a.severity}`}>{a.message}</li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>Pipeline</h2>
        <Lag lag={health.components.kafka?.detail?.lag as Record<string, number> | undefined} />
        <ul class="components">
          {Object.entries(health.components).map(([name, c]) => (
            <li class={`state-${c.state}`}>
              {name}: {c.state}
              {Array.isArray(c.detail?.problems) && (
                <ul>
                  {(c.detail.problems as string[]).map((p) => (
                    <li>{p}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section class="card wide">
        <h2>Newest reading per device</h2>
        {latest.length === 0 ? (
          <p class="empty">
            No readings yet — publish to <code>iot/&lt;id&gt;/telemetry</code> or produce to{" "}
            <code>temp_test</code>.
          </p>
        ) : (
          <table data-testid="latest">
            <thead>
              <tr>
                <th>device</th>
                <th>temperature</th>
                <th>humidity</th>
                <th>when</th>
              </tr>
            </thead>
            <tbody>
              {latest.map((r) => (
                <tr>
                  <td>{r.device_id}</td>
                  <td>{num(r.temperature, " °C")}</td>
                  <td>{num(r.humidity, " %")}</td>
                  <td>{ago(r.ts, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** Records the pipeline's own consumer groups have not processed yet. */
function Lag({ lag }: { lag: Record<string, number> | undefined }) {
  if (!lag) return null;
  const own = Object.entries(lag).filter(([g]) => g.startsWith("iot-"));
  const total = own.reduce((n, [, v]) => n + v, 0);
  return (
    <p data-testid="lag" title={own.map(([g, v]) => `${g}: ${v}`).join("\n")}>
      consumers' lag: <strong>{total}</strong> record{total === 1 ? "" : "s"}
    </p>
  );
}
