/** @jsxImportSource hono/jsx */
import type { Db } from "../../../store/index.ts";
import { queries, type DeviceRow } from "../../../store/queries.ts";
import { deviceRows } from "../../../store/devices.ts";
import { deviceQueries } from "../../../store/device-queries.ts";
import { devicePositionRows } from "../../../store/device-positions.ts";
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
import type { View, ViewParams } from "../view.ts";

/** A device row with its type and state (stale past 3 of its usual intervals: state.ts). */
export function deviceItem(db: Db, d: DeviceRow, cameras: Set<string>, now: number): DeviceItem {
  const interval = d.last_seen ? usualIntervalMs(deviceRows(db).recentTimes(d.id)) : undefined;
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

export const devices: View = {
  path: "/devices",
  title: "Devices",
  on: ["device", "image"],
  render: ({ db, now = Date.now }, params) => {
    const at = now();
    const cameras = new Set(deviceQueries(db).cameraIds());
    const items = queries(db)
      .devices()
      .map((d) => deviceItem(db, d, cameras, at));
    const filters = filtersOf(params);
    const shown = items.filter(
      (d) =>
        (!filters.type || d.type === filters.type) && (!filters.state || d.state === filters.state),
    );
    const placed = items.filter((d) => d.x !== null && d.y !== null);
    const trails = devicePositionRows(db).trails(placed.map((d) => d.id));
    const map: MapDevice[] = placed.map((d) => ({
      id: d.id,
      label: displayName(d),
      x: d.x!,
      y: d.y!,
      state: d.state,
      trail: trails.get(d.id) ?? [],
    }));
    return <DevicesPage devices={items} shown={shown} map={map} filters={filters} now={at} />;
  },
};
