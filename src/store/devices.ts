/**
 * Device rows: last seen (every record from a device), reported status, desired status. */
import { desc, eq, sql, type Placeholder } from "drizzle-orm";
import { inTransaction, type Db } from "./db.ts";
import { prepared } from "./prepared.ts";
import { deviceCommands, devicePositions, devices, images, readings } from "./schema.ts";

export interface DeviceReport {
  id: string;
  kind: string;
  online: boolean;
  ts: number;
  x?: number;
  y?: number;
  status?: string;
}

const later = (ts: number | Placeholder) => sql`max(coalesce(${devices.lastSeen}, 0), ${ts})`;

/**
 * A reading moves its device's last-seen time only by this much or more (or brings an offline
 * device back online): a device sending every 10 ms would otherwise rewrite its devices row —
 * a page, a WAL frame and a later checkpoint copy — in every one of the readings sink's
 * commits. Last seen is shown in seconds and a device goes stale after 10 s at the least.
 */
export const TOUCH_STEP_MS = 1000;

export function deviceRows(db: Db) {
  return {
    /**
     * Every record from a device refreshes its last-seen time (once per device in a batch): a
     * row is written only when it moves by TOUCH_STEP_MS or more, or the device was offline.
     */
    touch(id: string, ts: number): void {
      // the sinks' hot path: built and prepared once (building it cost more than running it)
      const touch = prepared(db, "devices.touch", () => {
        const at = sql.placeholder("ts");
        return db
          .insert(devices)
          .values({ id: sql.placeholder("id"), lastSeen: at, online: true })
          .onConflictDoUpdate({
            target: devices.id,
            set: { lastSeen: later(at), online: true },
            // not written (the page stays clean) while nothing shown would change
            setWhere: sql`${devices.online} = 0 or coalesce(${devices.lastSeen}, 0) <= ${at} - ${TOUCH_STEP_MS}`,
          })
          .prepare();
      });
      touch.run({ id, ts });
    },
    /** A device's own report: position and status are kept when the report leaves them out. */
    report(d: DeviceReport): void {
      // prepared once: what a report leaves out (null, or an empty status) keeps the stored value
      const report = prepared(db, "devices.report", () => {
        const at = sql.placeholder("ts");
        const keep = (column: typeof devices.x | typeof devices.y | typeof devices.status) =>
          sql`coalesce(excluded.${sql.identifier(column.name)}, ${column})`;
        return db
          .insert(devices)
          .values({
            id: sql.placeholder("id"),
            kind: sql.placeholder("kind"),
            online: sql.placeholder("online"),
            lastSeen: at,
            x: sql.placeholder("x"),
            y: sql.placeholder("y"),
            status: sql.placeholder("status"),
          })
          .onConflictDoUpdate({
            target: devices.id,
            set: {
              kind: sql`excluded.kind`,
              online: sql`excluded.online`,
              lastSeen: later(at),
              x: keep(devices.x),
              y: keep(devices.y),
              status: sql`coalesce(nullif(excluded.status, ''), ${devices.status})`,
            },
          })
          .prepare();
      });
      report.run({
        id: d.id,
        kind: d.kind,
        online: d.online ? 1 : 0,
        ts: d.ts,
        x: d.x ?? null,
        y: d.y ?? null,
        status: d.status ?? null,
      });
    },
    /** The status the dashboard asked for (`POST /status/:device_id`). */
    desire(id: string, status: string): void {
      db.insert(devices)
        .values({ id, desiredStatus: status })
        .onConflictDoUpdate({ target: devices.id, set: { desiredStatus: status } })
        .run();
    },
    /** The operator's display name; null or blank clears it (the id shows again). */
    rename(id: string, name: string | null): boolean {
      const clean = name?.trim() || null;
      return (
        db
          .update(devices)
          .set({ name: clean })
          .where(eq(devices.id, id))
          .returning({ id: devices.id })
          .all().length > 0
      );
    },
    /**
     * Forgets a device: its row, trail and command history; with its data also its readings and
     * images rows. Answers whether it existed and the image files the caller should now remove.
     */
    remove(id: string, withData: boolean): { existed: boolean; imagePaths: string[] } {
      return inTransaction(db, () => {
        const existed =
          db.delete(devices).where(eq(devices.id, id)).returning({ id: devices.id }).all().length >
          0;
        db.delete(devicePositions).where(eq(devicePositions.deviceId, id)).run();
        db.delete(deviceCommands).where(eq(deviceCommands.deviceId, id)).run();
        if (!withData) return { existed, imagePaths: [] };
        const imagePaths = db
          .delete(images)
          .where(eq(images.deviceId, id))
          .returning({ path: images.path })
          .all()
          .map((r) => r.path);
        db.delete(readings).where(eq(readings.deviceId, id)).run();
        return { existed, imagePaths };
      });
    },
    /** How much data a device has (what "delete with its data" removes). */
    dataCounts(id: string): { readings: number; images: number } {
      const count = (table: typeof readings | typeof images) =>
        db
          .select({ n: sql<number>`count(*)` })
          .from(table)
          .where(eq(table.deviceId, id))
          .get()?.n ?? 0;
      return { readings: count(readings), images: count(images) };
    },
    /**
     * The times of a device's newest messages (positions, readings, images), newest first: what
     * its usual interval is estimated from.
     */
    recentTimes(id: string, n = 6): number[] {
      // prepared once per database: pages ask this for every device they list
      const statements = prepared(db, "devices.recentTimes", () =>
        [devicePositions, readings, images].map((table) =>
          db
            .select({ ts: table.ts })
            .from(table)
            .where(eq(table.deviceId, sql.placeholder("id")))
            .orderBy(desc(table.ts))
            .limit(sql.placeholder("n"))
            .prepare(),
        ),
      );
      return statements
        .flatMap((s) => s.all({ id, n }).map((r) => r.ts))
        .sort((a, b) => b - a)
        .slice(0, n);
    },
  };
}
