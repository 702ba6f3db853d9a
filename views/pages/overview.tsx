/** @jsxImportSource hono/jsx */
import type { HealthReport } from "../types.ts";
import { bytes, num } from "../format.ts";
import { Ago } from "../components/time.tsx";
import { Badge, type BadgeKind } from "../components/badge.tsx";
import { Empty } from "../components/empty.tsx";
import type { AlertRow, BinRow, PersonRow, ReadingRow } from "./data.ts";
import { duration } from "./people.tsx";
import type { RoomRow as StoredRoom } from "../../src/store/queries.ts";
import type { DiskUsage, UsageKind } from "../../src/store/usage.ts";

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
  /** disk use per kind, as the data lifecycle measured it last (none before its first pass) */
  usage?: DiskUsage;
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
        <DiskUse {...p} />
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

/** A card's title (labelling the card: `id`) and its link to the full page. */
function CardHead({
  id,
  title,
  href,
  link,
}: {
  id: string;
  title: string;
  href?: string;
  link?: string;
}) {
  return (
    <div class="card-head">
      <h2 id={id}>{title}</h2>
      {href && <a href={href}>{link}</a>}
    </div>
  );
}

function OpenAlerts({ openAlerts, now }: OverviewProps) {
  const more = openAlerts.count - openAlerts.newest.length;
  return (
    <section class="card" data-testid="open-alerts" aria-labelledby="h-alerts">
      <CardHead id="h-alerts" title="Open alerts" href="/alerts" link="All alerts" />
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
      <CardHead id="h-devices" title="Devices" href="/devices" link="All devices" />
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
      <CardHead id="h-rooms" title="Rooms" href="/rooms" link="All rooms" />
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
      <CardHead id="h-people" title="People" href="/people" link="All people" />
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
      <CardHead id="h-bins" title="Bins" href="/bins" link="All bins" />
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
      <CardHead id="h-pipeline" title="Pipeline" href="/metrics" link="Metrics" />
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
      <CardHead id="h-latest" title="Newest reading per device" />
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

const usageLabels: Record<UsageKind, string> = {
  readings: "Device readings",
  rooms: "Room readings",
  rollups: "Hourly roll-ups",
  images: "Camera images",
  alerts: "Alerts",
  presence: "Entrance events",
  bins: "Bin levels",
};

/** What each kind of data takes on disk: its table and indexes, and for images their files. */
function DiskUse({ usage, now }: OverviewProps) {
  const kinds = usage
    ? (Object.entries(usage.kinds) as Array<[UsageKind, DiskUsage["kinds"][UsageKind]]>)
        .map(([kind, u]) => ({ kind, ...u, total: u.dbBytes + u.fileBytes }))
        .sort((a, b) => b.total - a.total)
    : [];
  const largest = Math.max(1, ...kinds.map((k) => k.total));
  return (
    <section class="card" data-testid="disk-use" aria-labelledby="h-disk">
      <CardHead id="h-disk" title="Disk use" href="/metrics" link="Metrics" />
      {!usage ? (
        <p class="muted">
          Measured by the data lifecycle: shortly after the server starts, then at every pass.
        </p>
      ) : (
        <>
          <table class="data disk-use">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col" class="num">
                  Rows
                </th>
                <th scope="col" class="num">
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {kinds.map((k) => (
                <tr data-testid={`disk-${k.kind}`}>
                  <td>
                    {usageLabels[k.kind]}
                    <span
                      class="disk-bar"
                      style={`--share:${Math.round((k.total / largest) * 100)}%`}
                      aria-hidden="true"
                    />
                  </td>
                  <td class="num">{k.rows.toLocaleString("en-US")}</td>
                  <td
                    class="num"
                    title={
                      k.fileBytes
                        ? `${bytes(k.dbBytes)} in the database, ${bytes(k.fileBytes)} in files`
                        : `${bytes(k.dbBytes)} in the database`
                    }
                  >
                    {bytes(k.total)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted" data-testid="disk-total">
            {usage.engine === "postgres"
              ? `PostgreSQL database ${bytes(usage.dbBytes)}`
              : `Database file ${bytes(usage.dbBytes)} (${bytes(usage.freeBytes)} free to reuse)`}{" "}
            · measured <Ago ts={usage.at} now={now} />
          </p>
        </>
      )}
    </section>
  );
}
