/** Device rows: last seen (every record from a device), reported status, desired status. */
import { sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { devices } from "./schema.ts";

export interface DeviceReport {
  id: string;
  kind: string;
  online: boolean;
  ts: number;
  x?: number;
  y?: number;
  status?: string;
}

const later = (ts: number) => sql`max(coalesce(${devices.lastSeen}, 0), ${ts})`;

export function deviceRows(db: Db) {
  return {
    /** Every record from a device refreshes its last-seen time. */
    touch(id: string, ts: number): void {
      db.insert(devices)
        .values({ id, lastSeen: ts, online: true })
        .onConflictDoUpdate({ target: devices.id, set: { lastSeen: later(ts), online: true } })
        .run();
    },
    /** A device's own report: position and status are kept when the report leaves them out. */
    report(d: DeviceReport): void {
      const set = {
        kind: d.kind,
        online: d.online,
        lastSeen: later(d.ts),
        ...(d.x !== undefined ? { x: d.x } : {}),
        ...(d.y !== undefined ? { y: d.y } : {}),
        ...(d.status ? { status: d.status } : {}),
      };
      db.insert(devices)
        .values({
          id: d.id,
          kind: d.kind,
          online: d.online,
          lastSeen: d.ts,
          x: d.x,
          y: d.y,
          status: d.status,
        })
        .onConflictDoUpdate({ target: devices.id, set })
        .run();
    },
    /** The status the dashboard asked for (`POST /status/:device_id`). */
    desire(id: string, status: string): void {
      db.insert(devices)
        .values({ id, desiredStatus: status })
        .onConflictDoUpdate({ target: devices.id, set: { desiredStatus: status } })
        .run();
    },
  };
}
