/**
 * The reads of the devices, bins and cameras pages (issue 14): one device, each bin's recent
 * levels, each camera's recent snapshots. Row field names as the JSON API's.
 */
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { deviceColumns } from "./columns.ts";
import { bins, devices, images } from "./schema.ts";

export interface BinSample {
  ts: number;
  /** 0–100, FULL as 100 */
  level: number;
  full: boolean;
}

export const deviceQueries = (db: Db) => ({
  device: (id: string) => db.select(deviceColumns).from(devices).where(eq(devices.id, id)).get(),
  /** The ids of devices that sent snapshots (the cameras). */
  cameraIds: () =>
    // one index probe per device, not a scan of every image
    db
      .select({ id: devices.id })
      .from(devices)
      .where(sql`EXISTS (SELECT 1 FROM ${images} WHERE ${images.deviceId} = ${devices.id})`)
      .orderBy(devices.id)
      .all()
      .map((r) => r.id),
  /** A device's newest snapshots, newest first. */
  snapshots: (deviceId: string, limit: number) =>
    db
      .select({ id: images.id, device_id: images.deviceId, ts: images.ts, bytes: images.bytes })
      .from(images)
      .where(eq(images.deviceId, deviceId))
      .orderBy(desc(images.ts), desc(images.id))
      .limit(limit)
      .all(),
  /** A bin's newest `limit` levels, oldest first (its sparkline). */
  binHistory: (binCount: number, limit: number): BinSample[] =>
    db
      .select({ ts: bins.ts, level: bins.binLevel, full: bins.full })
      .from(bins)
      .where(eq(bins.binCount, binCount))
      .orderBy(desc(bins.ts), desc(bins.id))
      .limit(limit)
      .all()
      .reverse()
      .map((r) => ({ ts: r.ts, full: r.full, level: r.full ? 100 : Number(r.level) })),
  /** Each bin's newest level with its time. */
  latestBins: () =>
    db
      .all<{ bin_count: number; bin_level: string; full: number; m_time: string; ts: number }>(
        sql`SELECT bin_count, bin_level, full, m_time, ts FROM bins b WHERE id = (SELECT max(id) FROM bins WHERE bin_count = b.bin_count) ORDER BY bin_count`,
      )
      .map((b) => ({ ...b, full: !!b.full })),
});

export type DeviceDetailRow = NonNullable<ReturnType<ReturnType<typeof deviceQueries>["device"]>>;
export type SnapshotRow = ReturnType<ReturnType<typeof deviceQueries>["snapshots"]>[number];
export type LatestBinRow = ReturnType<ReturnType<typeof deviceQueries>["latestBins"]>[number];
