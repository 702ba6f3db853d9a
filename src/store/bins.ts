/** Bin-level rows (the seed's `hello/world`). */
import type { Db } from "./db.ts";
import { bins } from "./schema.ts";
import { preparedInsert, recordPlaceholders, type SourceKey } from "./source.ts";

export interface NewBin extends SourceKey {
  binCount: number;
  binLevel: string;
  full: boolean;
  mTime: string;
  ts: number;
  msgId: string | null;
}

export function binRows(db: Db) {
  const insert = preparedInsert<NewBin>(
    db,
    db
      .insert(bins)
      .values(
        recordPlaceholders<keyof NewBin>(["binCount", "binLevel", "full", "mTime", "ts", "msgId"]),
      )
      .onConflictDoNothing(),
  );
  return {
    /** Whether the row is new (false: this record or message was stored before). */
    insert: (row: NewBin): boolean => insert(row) !== undefined,
  };
}
