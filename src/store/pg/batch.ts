/**
 * The PostgreSQL side of engine/batch-types.ts: multi-row INSERT … ON CONFLICT DO NOTHING, in
 * chunks that stay far below the protocol's 65,535 parameters per statement. Rows are inserted
 * (and given their ids) in the order of VALUES, so a device's readings keep their order; a row
 * colliding with an earlier row of the same statement is skipped like one stored before.
 */
import type { BatchIngestOps } from "../engine/batch-types.ts";
import type { PgQueryable } from "./db.ts";
import { readings } from "./schema.ts";

/** rows per statement: 10 parameters each */
const CHUNK = 1000;

export function pgBatchOps(db: PgQueryable): BatchIngestOps {
  return {
    readingsBatch: {
      insertMany: async (rows) => {
        let stored = 0;
        for (let i = 0; i < rows.length; i += CHUNK) {
          const inserted = await db
            .insert(readings)
            .values(rows.slice(i, i + CHUNK))
            .onConflictDoNothing()
            .returning({ id: readings.id });
          stored += inserted.length;
        }
        return stored;
      },
    },
  };
}
