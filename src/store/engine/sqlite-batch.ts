/** The SQLite side of batch-types.ts: the sync modules' prepared inserts, one row at a time. */
import type { Db } from "../db.ts";
import { readingRows } from "../readings.ts";
import type { BatchIngestOps } from "./batch-types.ts";

export function sqliteBatchOps(db: Db): BatchIngestOps {
  const readings = readingRows(db);
  return {
    readingsBatch: {
      insertMany: async (rows) => rows.filter((row) => readings.insert(row)).length,
    },
  };
}
