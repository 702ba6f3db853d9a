/**
 * The Overview's summaries of the store's rows (pure): what needs a look comes first — offline
 * devices, alerting rooms, FULL bins, flagged people — and the commands an empty state shows
 * name this server's real listeners.
 */
import type { BinLevelRow, DeviceRow, RoomRow, RuleRow } from "../../../store/queries.ts";
import type {
  DeviceState,
  OverviewDevices,
  OverviewRoom,
  OverviewPeople,
  SiteHints,
} from "../../../../views/pages/overview.tsx";
import type { PersonRow } from "../../../../views/pages/data.ts";
import type { SiteInfo } from "../view.ts";
import {
  deviceState as stateOnDevicesPage,
  STALE_FALLBACK_MS,
} from "../../../../views/pages/devices/state.ts";

/** Silent this long, a device whose usual interval is unknown is stale (the Devices page's rule). */
export const STALE_AFTER_MS = STALE_FALLBACK_MS;

/**
 * The Devices page's state (views/pages/devices/state.ts: stale past 3 of its usual intervals),
 * folded into the Overview's four: a device told to be Inactive is quiet as asked, not a worry.
 */
export function deviceState(
  d: Pick<DeviceRow, "online" | "last_seen"> & { status?: string | null },
  now: number,
  intervalMs?: number,
): DeviceState {
  const state = stateOnDevicesPage({ status: null, ...d }, now, intervalMs);
  return state === "inactive" ? "online" : state;
}

const attentionOrder: Record<DeviceState, number> = { offline: 0, stale: 1, never: 2, online: 3 };

/** Counts per state, and the devices that are not online, worst first. */
export function summarizeDevices(
  devices: DeviceRow[],
  now: number,
  /** each device's usual interval between messages, where known */
  intervalOf: (id: string) => number | undefined = () => undefined,
): OverviewDevices {
  const counts: Record<DeviceState, number> = { online: 0, offline: 0, stale: 0, never: 0 };
  const attention: OverviewDevices["attention"] = [];
  for (const d of devices) {
    const state = deviceState(d, now, intervalOf(d.id));
    counts[state]++;
    if (state !== "online")
      attention.push({ id: d.id, kind: d.kind, state, last_seen: d.last_seen });
  }
  attention.sort(
    (a, b) => attentionOrder[a.state] - attentionOrder[b.state] || a.id.localeCompare(b.id),
  );
  return { total: devices.length, counts, attention };
}

/** Rooms with whether a rule of theirs is alerting; alerting rooms first, then by number. */
export function summarizeRooms(rooms: RoomRow[], rules: RuleRow[]): OverviewRoom[] {
  return rooms
    .map((r) => ({
      ...r,
      alerting: rules.filter((x) => x.room_no === r.room_no && x.state === "alert").length,
    }))
    .sort((a, b) => Number(b.alerting > 0) - Number(a.alerting > 0) || a.room_no - b.room_no);
}

/** Who is in, who is out, and the flagged ones (longest away first). */
export function summarizePeople(people: PersonRow[], median: number): OverviewPeople {
  return {
    total: people.length,
    in: people.filter((p) => p.state === "in").length,
    out: people.filter((p) => p.state === "out").length,
    median,
    flagged: people.filter((p) => p.flagged).sort((a, b) => b.away_ms - a.away_ms),
  };
}

/** FULL bins first, then by number. */
export const binsFullFirst = (bins: BinLevelRow[]): BinLevelRow[] =>
  [...bins].sort((a, b) => Number(b.full) - Number(a.full) || a.bin_count - b.bin_count);

/** A wildcard bind address is no address to give a device: name the machine instead. */
const ANY_HOST = /^(0\.0\.0\.0|\[::\]|::)$/;
function reachable(hostPort: string): string {
  const i = hostPort.lastIndexOf(":");
  const host = hostPort.slice(0, i);
  return ANY_HOST.test(host) ? `<this-pc>${hostPort.slice(i)}` : hostPort;
}
function reachableUrl(url: string | undefined, fallback: string): string {
  if (!url) return fallback;
  const m = /^([a-z]+:\/\/)([^/]+)(.*)$/.exec(url);
  return m ? m[1] + reachable(m[2]!) + m[3] : url;
}

/** This server's listeners as addresses a device or a shell on the network can use. */
export function siteHints(site: SiteInfo | undefined): SiteHints {
  return {
    httpUrl: reachableUrl(site?.httpUrl, "http://<this-pc>:5000"),
    mqttUrl: reachableUrl(site?.mqttUrl, "mqtt://<this-pc>:1883"),
    kafkaBrokers: site?.kafkaBrokers
      ? site.kafkaBrokers.split(",").map(reachable).join(",")
      : undefined,
  };
}
