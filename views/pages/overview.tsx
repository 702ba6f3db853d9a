/** @jsxImportSource hono/jsx */
import type { HealthReport } from "../types.ts";
import { num } from "../format.ts";
import { Ago } from "../components/time.tsx";
import { Badge, type BadgeKind } from "../components/badge.tsx";
import { Empty } from "../components/empty.tsx";
import type { AlertRow, BinRow, PersonRow, ReadingRow } from "./data.ts";
import { duration } from "./people.tsx";
import type { RoomRow as StoredRoom } from "../../src/store/queries.ts";

export type DeviceState = "online" | "offline" | "stale" | "never";

export interface OverviewDevices {
  total: number;
  counts: Record<DeviceState, number>;
  /** the devices that are not online, worst first */
  attention: Array<{ id: string; kind: string; state: DeviceState; last_seen: number | null }>;
}

/** a room and how many of its rules are alerting */
export type OverviewRoom = StoredRoom & { alerting: number };

export interface OverviewPeople {
  total: number;
  in: number;
  out: number;
  median: number;
  flagged: PersonRow[];
}

/** This server's listeners, as a device or a shell on the network reaches them. */
export interface SiteHints {
  httpUrl: string;
  mqttUrl: string;
  kafkaBrokers?: string;
}

export interface OverviewProps {
  now: number;
  site: SiteHints;
  health: HealthReport;
  devices: OverviewDevices;
  rooms: OverviewRoom[];
  people: OverviewPeople;
  /** FULL first */
  bins: BinRow[];
  /** the real number of open alerts, and the newest few */
  openAlerts: { count: number; newest: AlertRow[] };
  latest: ReadingRow[];
}

const SHOWN = 6;

export function Overview(p: OverviewProps) {
  return (
    <>
      <div class="page-head">
        <h1>Overview</h1>
      </div>
      <Tiles {...p} />
      <div class="grid overview">
        <OpenAlerts {...p} />
        <Devices {...p} />
        <Rooms {...p} />
        <People {...p} />
        <Bins {...p} />
        <Pipeline {...p} />
        <Latest {...p} />
      </div>
    </>
  );
}

function Tiles({ devices, rooms, people, bins, openAlerts, health }: OverviewProps) {
  const down = devices.counts.offline + devices.counts.stale;
  const alerting = rooms.filter((r) => r.alerting > 0).length;
  const full = bins.filter((b) => b.full).length;
  const healthy = health.status === "ok";
  return (
    <div class="tiles" data-testid="tiles">
      <a class={`tile ${down ? "tile-bad" : "tile-ok"}`} href="/devices" data-testid="tile-devices">
        <span class="tile-label">Devices online</span>
        <span class="tile-value">
          <span data-testid="online">{devices.counts.online}</span>
          <span class="muted"> / {devices.total}</span>
        </span>
        <span class="tile-note">
          {down
            ? `${devices.counts.offline} offline · ${devices.counts.stale} stale`
            : "all reporting"}
        </span>
      </a>
      <a class={`tile ${alerting ? "tile-bad" : "tile-ok"}`} href="/rooms" data-testid="tile-rooms">
        <span class="tile-label">Rooms</span>
        <span class="tile-value">{rooms.length}</span>
        <span class="tile-note">
          {alerting ? `${alerting} alerting` : "all within their rules"}
        </span>
      </a>
      <a
        class={`tile ${people.flagged.length ? "tile-warn" : "tile-info"}`}
        href="/people"
        data-testid="tile-people"
      >
        <span class="tile-label">People in</span>
        <span class="tile-value">
          {people.in}
          <span class="muted"> / {people.total}</span>
        </span>
        <span class="tile-note">
          {people.out} out{people.flagged.length ? ` · ${people.flagged.length} flagged` : ""}
        </span>
      </a>
      <a class={`tile ${full ? "tile-bad" : "tile-ok"}`} href="/bins" data-testid="tile-bins">
        <span class="tile-label">Bins full</span>
        <span class="tile-value">{full}</span>
        <span class="tile-note">of {bins.length} bins</span>
      </a>
      <a
        class={`tile ${openAlerts.count ? "tile-bad" : "tile-ok"}`}
        href="/alerts?state=open"
        data-testid="tile-alerts"
      >
        <span class="tile-label">Open alerts</span>
        <span class="tile-value" data-testid="open-count">
          {openAlerts.count}
        </span>
        <span class="tile-note">{openAlerts.count ? "need a look" : "nothing open"}</span>
      </a>
      <a
        class={`tile ${healthy ? "tile-ok" : "tile-warn"}`}
        href="/healthz"
        data-testid="tile-health"
      >
        <span class="tile-label">Pipeline</span>
        <span class="tile-value">{healthy ? "OK" : "Degraded"}</span>
        <span class="tile-note">{Object.keys(health.components).length} components</span>
      </a>
    </div>
  );
}

function CardHead({ title, href, link }: { title: string; href: string; link: string }) {
  return (
    <div class="card-head">
      <h2>{title}</h2>
      <a href={href}>{link}</a>
    </div>
  );
}

function OpenAlerts({ openAlerts, now }: OverviewProps) {
  const more = openAlerts.count - openAlerts.newest.length;
  return (
    <section class="card" data-testid="open-alerts" aria-labelledby="h-alerts">
      <div class="card-head">
        <h2 id="h-alerts">Open alerts</h2>
        <a href="/alerts">All alerts</a>
      </div>
      {openAlerts.count === 0 ? (
        <p class="muted">
          Nothing open. Alerts from room rules, full bins and long absences land here.
        </p>
      ) : (
        <ul class="list alert-list">
          {openAlerts.newest.map((a) => (
            <li data-testid={`alert-${a.id}`}>
              <a href={`/alerts/${a.id}`}>{a.message}</a>
              <span class="row muted">
                <Badge kind={a.severity as BadgeKind} />
                <span>{a.kind}</span>
                <Ago ts={a.created_at} now={now} />
              </span>
            </li>
          ))}
        </ul>
      )}
      {more > 0 && (
        <p>
          <a href="/alerts?state=open" data-testid="more-alerts">
            +{more} more open
          </a>
        </p>
      )}
    </section>
  );
}

function Devices({ devices, now, site }: OverviewProps) {
  return (
    <section class="card" data-testid="devices" aria-labelledby="h-devices">
      <div class="card-head">
        <h2 id="h-devices">Devices</h2>
        <a href="/devices">All devices</a>
      </div>
      {devices.total === 0 ? (
        <Empty title="No devices yet">
          <p>
            Start one with <code>iot device --server {site.mqttUrl}</code> on a Raspberry Pi, or run
            a simulated fleet:
          </p>
          <pre>
            <code>
              iot simulate --http {site.httpUrl} --mqtt {site.mqttUrl}
              {site.kafkaBrokers ? ` --kafka ${site.kafkaBrokers}` : ""}
            </code>
          </pre>
        </Empty>
      ) : (
        <>
          <p class="row">
            <Badge kind="online" label={`${devices.counts.online} online`} />
            <Badge kind="offline" label={`${devices.counts.offline} offline`} />
            <Badge kind="stale" label={`${devices.counts.stale} stale`} />
            {devices.counts.never > 0 && (
              <Badge kind="never" label={`${devices.counts.never} never seen`} />
            )}
          </p>
          {devices.attention.length === 0 ? (
            <p class="muted">Every device reported in the last minute.</p>
          ) : (
            <ul class="list">
              {devices.attention.slice(0, SHOWN).map((d) => (
                <li data-testid={`device-${d.id}`}>
                  <a href={`/devices/${encodeURIComponent(d.id)}`}>{d.id}</a>
                  <span class="row">
                    <Badge kind={d.state} />
                    <Ago ts={d.last_seen} now={now} />
                  </span>
                </li>
              ))}
            </ul>
          )}
          {devices.attention.length > SHOWN && (
            <p>
              <a href="/devices">+{devices.attention.length - SHOWN} more not online</a>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function Rooms({ rooms, now, site }: OverviewProps) {
  return (
    <section class="card span-2" data-testid="rooms" aria-labelledby="h-rooms">
      <div class="card-head">
        <h2 id="h-rooms">Rooms</h2>
        <a href="/rooms">All rooms</a>
      </div>
      {rooms.length === 0 ? (
        <Empty title="No rooms yet">
          <p>Rooms appear when a sensor posts its status:</p>
          <pre>
            <code>
              curl -X POST {site.httpUrl}/office_status -H 'content-type: application/json' -d '
              {'{"room_no":1,"status":{"temperature":22,"humidity":45}}'}'
            </code>
          </pre>
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Room</th>
                <th scope="col" class="num">
                  Temp.
                </th>
                <th scope="col" class="num">
                  Humidity
                </th>
                <th scope="col">State</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {rooms.map((r) => (
                <tr data-testid={`overview-room-${r.room_no}`}>
                  <td>
                    <a href={`/rooms/${r.room_no}`}>Room {r.room_no}</a>
                  </td>
                  <td class="num">{num(r.temperature, " °C")}</td>
                  <td class="num">{num(r.humidity, " %")}</td>
                  <td>
                    {r.alerting > 0 ? (
                      <Badge kind="alert" label={`alert ×${r.alerting}`} />
                    ) : (
                      <Badge kind="ok" />
                    )}
                  </td>
                  <td>
                    <Ago ts={r.updated_at} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function People({ people, site }: OverviewProps) {
  return (
    <section class="card" data-testid="people" aria-labelledby="h-people">
      <div class="card-head">
        <h2 id="h-people">People</h2>
        <a href="/people">All people</a>
      </div>
      {people.total === 0 ? (
        <Empty title="Nobody yet">
          <p>People appear when they badge in or out:</p>
          <pre>
            <code>
              curl -X POST {site.httpUrl}/entrance -H 'content-type: application/json' -d '
              {'{"name":"jane","value":"in"}'}'
            </code>
          </pre>
        </Empty>
      ) : (
        <>
          <p class="row">
            <Badge kind="in" label={`${people.in} in`} />
            <Badge kind="out" label={`${people.out} out`} />
            <span class="muted">median away today {duration(people.median)}</span>
          </p>
          {people.flagged.length === 0 ? (
            <p class="muted">Nobody is away unusually long.</p>
          ) : (
            <ul class="list">
              {people.flagged.slice(0, SHOWN).map((f) => (
                <li data-testid={`flagged-${f.name}`}>
                  <a href={`/people/${encodeURIComponent(f.name)}`}>{f.name}</a>
                  <span class="row">
                    <Badge kind="warning" label="flagged" />
                    <span class="num">{duration(f.away_ms)} away</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Bins({ bins, site }: OverviewProps) {
  return (
    <section class="card" data-testid="bins" aria-labelledby="h-bins">
      <div class="card-head">
        <h2 id="h-bins">Bins</h2>
        <a href="/bins">All bins</a>
      </div>
      {bins.length === 0 ? (
        <Empty title="No bins yet">
          <p>Bin levels arrive over MQTT as the bin-level sensor's text:</p>
          <pre>
            <code>
              mosquitto_pub -L {site.mqttUrl.replace(/^mqtts?:\/\//, "mqtt://")}/hello/world -m "55
              3 2026-01-01 10:00:00"
            </code>
          </pre>
        </Empty>
      ) : (
        <ul class="list">
          {bins.slice(0, SHOWN).map((b) => (
            <li data-testid={`bin-${b.bin_count}`}>
              <a href="/bins">Bin {b.bin_count}</a>
              <span class="row">
                {b.full ? (
                  <Badge kind="full" label="FULL" />
                ) : (
                  <span class="num">
                    {/^\d+$/.test(b.bin_level) ? `${b.bin_level} %` : b.bin_level}
                  </span>
                )}
                <span class="muted">{b.m_time}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      {bins.length > SHOWN && (
        <p>
          <a href="/bins">+{bins.length - SHOWN} more bins</a>
        </p>
      )}
    </section>
  );
}

const healthBadge: Record<string, BadgeKind> = {
  up: "ok",
  degraded: "warning",
  starting: "warning",
  down: "critical",
  external: "info",
  disabled: "never",
};

function Pipeline({ health }: OverviewProps) {
  return (
    <section class="card" data-testid="pipeline" aria-labelledby="h-pipeline">
      <div class="card-head">
        <h2 id="h-pipeline">Pipeline</h2>
        <a href="/metrics">Metrics</a>
      </div>
      <Lag lag={health.components.kafka?.detail?.lag as Record<string, number> | undefined} />
      <ul class="list components">
        {Object.entries(health.components).map(([name, c]) => (
          <li data-testid={`component-${name}`}>
            <span>
              {name}
              {Array.isArray(c.detail?.problems) && (
                <span class="muted"> — {(c.detail.problems as string[]).join("; ")}</span>
              )}
            </span>
            <Badge kind={healthBadge[c.state] ?? "info"} label={c.state} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Records the pipeline's own consumer groups have not processed yet. */
function Lag({ lag }: { lag: Record<string, number> | undefined }) {
  if (!lag) return null;
  const own = Object.entries(lag).filter(([g]) => g.startsWith("iot-"));
  const total = own.reduce((n, [, v]) => n + v, 0);
  return (
    <p data-testid="lag" title={own.map(([g, v]) => `${g}: ${v}`).join("\n")}>
      Consumers' lag: <strong class="num">{total}</strong> record{total === 1 ? "" : "s"}
    </p>
  );
}

function Latest({ latest, now }: OverviewProps) {
  if (latest.length === 0) return null;
  return (
    <section class="card wide" aria-labelledby="h-latest">
      <div class="card-head">
        <h2 id="h-latest">Newest reading per device</h2>
      </div>
      <div class="table-wrap">
        <table class="data" data-testid="latest">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col" class="num">
                Temperature
              </th>
              <th scope="col" class="num">
                Humidity
              </th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {latest.map((r) => (
              <tr>
                <td>
                  <a href={`/devices/${encodeURIComponent(r.device_id)}`}>{r.device_id}</a>
                </td>
                <td class="num">{num(r.temperature, " °C")}</td>
                <td class="num">{num(r.humidity, " %")}</td>
                <td>
                  <Ago ts={r.ts} now={now} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
