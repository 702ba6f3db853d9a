/** The lifecycle's operations on SQLite: the synchronous modules as they are (each a transaction). */
import type { Db } from "../db.ts";
import { deleteImageRows, imagesOverCap, oldImages } from "../image-prune.ts";
import {
  groupsOf,
  idSpan,
  prunable,
  pruneAlertsBatch,
  pruneGroupBatch,
  pruneIdRange,
  pruneRollupsBatch,
} from "../prune.ts";
import { lastRawId, rollUpBatch } from "../rollups.ts";
import { diskUsage } from "../usage.ts";
import { incrementalVacuumStep } from "../vacuum.ts";
import type { LifecycleStore } from "./lifecycle-types.ts";

export function sqliteLifecycleStore(db: Db): LifecycleStore {
  const sqlite = db.$client;
  const pragma = (name: string) =>
    Object.values(sqlite.query(`PRAGMA ${name}`).get() as Record<string, number>)[0]!;
  const now = <T>(f: () => T) => Promise.resolve(f());
  return {
    exclusive: (pass) => pass(), // one process owns the data dir, and runs the passes
    lastRawId: (kind) => now(() => lastRawId(sqlite, kind)),
    rollUpBatch: (kind, rows, upTo) => now(() => rollUpBatch(db, kind, rows, upTo)),
    idSpan: (kind) => now(() => idSpan(sqlite, kind)),
    pruneIdRange: (kind, from, span, cutoff) =>
      now(() => pruneIdRange(db, kind, from, span, cutoff)),
    groupsOf: (kind) => now(() => groupsOf(sqlite, prunable[kind].table, prunable[kind].group)),
    pruneGroupBatch: (kind, group, cutoff, limit) =>
      now(() => pruneGroupBatch(db, kind, group, cutoff, limit)),
    pruneRollupsBatch: (cutoff, limit) => now(() => pruneRollupsBatch(db, cutoff, limit)),
    pruneAlertsBatch: (cutoff, limit) => now(() => pruneAlertsBatch(db, cutoff, limit)),
    oldImages: (device, cutoff, limit) => now(() => oldImages(db, device, cutoff, limit)),
    imagesOverCap: (cap, limit) => now(() => imagesOverCap(db, cap, limit)),
    deleteImageRows: (ids) => now(() => deleteImageRows(db, ids)),
    vacuumStep: {
      free: () => pragma("freelist_count"),
      step: (pages) => incrementalVacuumStep(sqlite, pages),
      pageSize: () => pragma("page_size"),
      pageCount: () => pragma("page_count"),
    },
    measure: (at) => now(() => diskUsage(sqlite, at)),
  };
}
