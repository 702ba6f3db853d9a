/** @jsxImportSource hono/jsx */
import type { DeviceRow } from "../../../store/queries.ts";
import {
  DevicesPage,
  type DeviceFilters,
  type DeviceItem,
} from "../../../../views/pages/devices/list.tsx";
import type { MapDevice } from "../../../../views/pages/devices/map.tsx";
import {
  deviceState,
  deviceType,
  displayName,
  stateLabels,
  typeLabels,
  usualIntervalMs,
  type DeviceState,
  type DeviceType,
} from "../../../../views/pages/devices/state.ts";
import { defineView, type ViewParams } from "../view.ts";

/**
 * A device row with its type and state (stale past 3 of its usual intervals: state.ts), from the
 * times of its newest messages.
 */
export function deviceItem(
  d: DeviceRow,
  cameras: Set<string>,
  recentTimes: number[] | undefined,
  now: number,
): DeviceItem {
  const interval = d.last_seen ? usualIntervalMs(recentTimes ?? []) : undefined;
  return {
    ...d,
    type: deviceType(d, cameras.has(d.id)),
    state: deviceState(d, now, interval),
  };
}

/** The filters of the query string; unknown values are ignored (all devices shown). */
export function filtersOf(params: ViewParams): DeviceFilters {
  const type = params.type as DeviceType | undefined;
  const state = params.state as DeviceState | undefined;
  return {
    type: type && Object.hasOwn(typeLabels, type) ? type : undefined,
    state: state && Object.hasOwn(stateLabels, state) ? state : undefined,
  };
}

export const devices = defineView({
  path: "/devices",
  title: "Devices",
  on: ["device", "image"],
  load: async ({ store, now = Date.now }, params) => {
    const at = now();
    const rows = await store.read(async ({ queries: q, console: c }) => {
      const devices = await q.devices();
      const placed = devices.filter((d) => d.x !== null && d.y !== null).map((d) => d.id);
      return {
        devices,
        cameras: new Set(await c.cameraIds()),
        times: await c.recentTimes(devices.filter((d) => d.last_seen).map((d) => d.id)),
        trails: await c.trails(placed),
      };
    });
    const items = rows.devices.map((d) => deviceItem(d, rows.cameras, rows.times.get(d.id), at));
    const filters = filtersOf(params);
    const shown = items.filter(
      (d) =>
        (!filters.type || d.type === filters.type) && (!filters.state || d.state === filters.state),
    );
    const map: MapDevice[] = items
      .filter((d) => d.x !== null && d.y !== null)
      .map((d) => ({
        id: d.id,
        label: displayName(d),
        x: d.x!,
        y: d.y!,
        state: d.state,
        trail: rows.trails.get(d.id) ?? [],
      }));
    return { devices: items, shown, map, filters, now: at };
  },
  render: (data) => <DevicesPage {...data} />,
});
