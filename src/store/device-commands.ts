/** The status commands sent to a device (`POST /status/<id>`), newest first: its history. */
import { desc, eq } from "drizzle-orm";
import type { Db } from "./db.ts";
import { deviceCommands } from "./schema.ts";

export interface DeviceCommand {
  deviceId: string;
  ts: number;
  status: string;
  /** the HTTP status the request was answered with */
  code: number;
  /** why it was not sent everywhere (a 503's reason) */
  problem?: string | null;
}

export type DeviceCommandRow = Omit<DeviceCommand, "deviceId"> & { id: number };

export function deviceCommandRows(db: Db) {
  return {
    add(c: DeviceCommand): void {
      db.insert(deviceCommands)
        .values({ ...c, problem: c.problem ?? null })
        .run();
    },
    recent(deviceId: string, limit = 20): DeviceCommandRow[] {
      return db
        .select({
          id: deviceCommands.id,
          ts: deviceCommands.ts,
          status: deviceCommands.status,
          code: deviceCommands.code,
          problem: deviceCommands.problem,
        })
        .from(deviceCommands)
        .where(eq(deviceCommands.deviceId, deviceId))
        .orderBy(desc(deviceCommands.ts), desc(deviceCommands.id))
        .limit(limit)
        .all();
    },
  };
}
