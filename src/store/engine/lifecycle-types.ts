/**
 * The data lifecycle's store operations (src/lifecycle): roll-ups, retention in small batches,
 * image rows, free space and disk use. Each call is its own short transaction; SQLite's are the
 * synchronous modules (sqlite-lifecycle.ts), PostgreSQL's src/store/pg/lifecycle.ts.
 */
import type { ImageVictim } from "../image-prune.ts";
import type { PrunableKind } from "../prune.ts";
import type { RollupKind } from "../rollups.ts";
import type { DiskUsage } from "../usage.ts";

export type TimedKind = Exclude<PrunableKind, "images">;

export interface LifecycleStore {
  /**
   * Runs one pass: on PostgreSQL only where no other process of the fleet runs one (an
   * advisory lock); `undefined` when another does.
   */
  exclusive<T>(pass: () => Promise<T>): Promise<T | undefined>;
  lastRawId(kind: RollupKind): Promise<number>;
  /** rolls up the next raw rows (at most `batchRows` ids, none past `upToId`); ids covered */
  rollUpBatch(kind: RollupKind, batchRows: number, upToId: number): Promise<number>;
  idSpan(kind: TimedKind): Promise<[number, number]>;
  pruneIdRange(
    kind: TimedKind,
    from: number,
    span: number,
    cutoff: number,
  ): Promise<{ deleted: number; kept: number }>;
  /** the distinct values of the kind's group column (devices, rooms, bins, names) */
  groupsOf(kind: PrunableKind): Promise<Array<string | number>>;
  pruneGroupBatch(
    kind: TimedKind,
    group: string | number,
    cutoff: number,
    limit: number,
  ): Promise<number>;
  pruneRollupsBatch(cutoff: number, limit: number): Promise<number>;
  pruneAlertsBatch(cutoff: number, limit: number): Promise<number>;
  oldImages(deviceId: string, cutoff: number, limit: number): Promise<ImageVictim[]>;
  imagesOverCap(capBytes: number, limit: number): Promise<ImageVictim[]>;
  deleteImageRows(ids: number[]): Promise<number>;
  /**
   * Gives free pages back, at most `pages` (SQLite's incremental vacuum); the pages still free.
   * Undefined: the engine has no such step (PostgreSQL's autovacuum does it).
   */
  vacuumStep?: {
    free(): number;
    step(pages: number): number;
    pageSize(): number;
    pageCount(): number;
  };
  measure(now: number): Promise<DiskUsage>;
}
