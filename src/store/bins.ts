/** Bin-level rows (the seed's `hello/world`). */
import { sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { bins } from "./schema.ts";
import type { SourceKey } from "./source.ts";

export interface NewBin extends SourceKey {
  binCount: number;
  binLevel: string;
  full: boolean;
  mTime: string;
  ts: number;
  msgId: string | null;
}

export function binRows(db: Db) {
  const p = (name: keyof NewBin) => sql.placeholder(name);
  const insert = db
    .insert(bins)
    .values({
      binCount: p("binCount"),
      binLevel: p("binLevel"),
      full: p("full"),
      mTime: p("mTime"),
      ts: p("ts"),
      srcTopic: p("srcTopic"),
      srcPartition: p("srcPartition"),
      srcOffset: p("srcOffset"),
      srcEpoch: p("srcEpoch"),
      srcTimestamp: p("srcTimestamp"),
      msgId: p("msgId"),
    })
    .onConflictDoNothing()
    .returning({ id: bins.id })
    .prepare();
  return {
    /** Whether the row is new (false: this record or message was stored before). */
    insert: (row: NewBin): boolean => insert.get({ ...row }) !== undefined,
  };
}
