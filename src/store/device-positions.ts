/** A coffee device's last few positions: its trail on the map (table `device_positions`). */
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { devicePositions } from "./schema.ts";

/** positions kept per device: a short trail, not a history */
export const TRAIL_LENGTH = 8;

export interface Position {
  ts: number;
  x: number;
  y: number;
}

export function devicePositionRows(db: Db, keep = TRAIL_LENGTH) {
  return {
    /** Adds a position and forgets the ones older than the newest `keep`. */
    add(deviceId: string, p: Position): void {
      db.insert(devicePositions)
        .values({ deviceId, ...p })
        .run();
      const cut = db
        .select({ ts: devicePositions.ts })
        .from(devicePositions)
        .where(eq(devicePositions.deviceId, deviceId))
        .orderBy(sql`${devicePositions.ts} desc`, sql`${devicePositions.id} desc`)
        .limit(1)
        .offset(keep - 1)
        .get();
      if (cut)
        db.delete(devicePositions)
          .where(and(eq(devicePositions.deviceId, deviceId), lt(devicePositions.ts, cut.ts)))
          .run();
    },
    /** Each device's trail, oldest first (all devices when `ids` is left out). */
    trails(ids?: string[]): Map<string, Position[]> {
      const rows = db
        .select({
          deviceId: devicePositions.deviceId,
          ts: devicePositions.ts,
          x: devicePositions.x,
          y: devicePositions.y,
        })
        .from(devicePositions)
        .where(ids ? inArray(devicePositions.deviceId, ids) : undefined)
        .orderBy(asc(devicePositions.ts), asc(devicePositions.id))
        .all();
      const out = new Map<string, Position[]>();
      for (const { deviceId, ...p } of rows) {
        const list = out.get(deviceId) ?? [];
        list.push(p);
        out.set(deviceId, list);
      }
      return out;
    },
  };
}
