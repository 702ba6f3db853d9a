/**
 * The dashboard's reads on SQLite: the synchronous modules the pages read before, answering
 * promises (settled at once, so a page's load stays within one turn of the event loop).
 */
import type { Db } from "../db.ts";
import { alertList } from "../alert-list.ts";
import { consoleReads } from "../console-reads.ts";
import { deviceCommandRows } from "../device-commands.ts";
import { devicePositionRows } from "../device-positions.ts";
import { deviceQueries } from "../device-queries.ts";
import { deviceRows } from "../devices.ts";
import { notifyRows } from "../notify.ts";
import { queries } from "../queries.ts";
import { roomState } from "../room-state.ts";
import type { ConsoleReadOps } from "./console-types.ts";

export function sqliteConsoleOps(db: Db): ConsoleReadOps {
  const reads = consoleReads(db);
  const devices = deviceQueries(db);
  const rows = deviceRows(db);
  const rooms = roomState(db);
  const alerts = alertList(db);
  const positions = devicePositionRows(db);
  const q = queries(db);
  const notify = notifyRows(db);
  const now = <T>(v: T) => Promise.resolve(v);
  return {
    console: {
      people: () => now(q.people()),
      person: (name) => now(reads.person(name)),
      personEvents: (name, from, to, limit) => now(reads.personEvents(name, from, to, limit)),
      recentPersonEvents: (name, limit, before) =>
        now(reads.recentPersonEvents(name, limit, before)),
      device: (id) => now(devices.device(id)),
      cameraIds: () => now(devices.cameraIds()),
      snapshots: (id, limit) => now(devices.snapshots(id, limit)),
      commands: (id, limit) => now(deviceCommandRows(db).recent(id, limit)),
      dataCounts: (id) => now(rows.dataCounts(id)),
      recentTimes: (ids, n) => now(new Map(ids.map((id) => [id, rows.recentTimes(id, n)]))),
      trails: (ids) => now(positions.trails(ids)),
      latestBins: () => now(devices.latestBins()),
      binHistory: (binCount, limit) => now(devices.binHistory(binCount, limit)),
      room: (roomNo) => now(rooms.room(roomNo)),
      rules: (roomNo) => now(rooms.rules(roomNo)),
      roomRecentTimes: (roomNo, n) => now(rooms.recentTimes(roomNo, n)),
      roomWindow: (roomNo, windowMs) => now(rooms.window(roomNo, windowMs)),
      roomAlerts: (roomNo) => now(rooms.activeAlerts(roomNo)),
      alertCount: (state) => now(reads.alertCount(state)),
      alertGroups: (filter, page, size) => now(alerts.groups(filter, page, size)),
      alertKinds: () => now(alerts.kinds()),
      alert: (id) => now(alerts.byId(id)),
      alertHistory: (kind, subject, limit) => now(alerts.history(kind, subject, limit)),
      deliveries: (alertId) => now(notify.forAlert(alertId)),
      diskUsage: () => now(undefined),
    },
  };
}
