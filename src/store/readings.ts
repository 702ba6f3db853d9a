/** Writes of the readings sink: the pipeline's hot path, one prepared insert. */
import { sql } from "drizzle-orm";
import type { Db } from "./db.ts";
import { readings } from "./schema.ts";
import type { SourceKey } from "./source.ts";

export interface NewReading extends SourceKey {
  deviceId: string;
  ts: number;
  temperature: number | null;
  humidity: number | null;
  msgId: string | null;
}

export function readingRows(db: Db) {
  const p = (name: keyof NewReading) => sql.placeholder(name);
  const insert = db
    .insert(readings)
    .values({
      deviceId: p("deviceId"),
      ts: p("ts"),
      temperature: p("temperature"),
      humidity: p("humidity"),
      srcTopic: p("srcTopic"),
      srcPartition: p("srcPartition"),
      srcOffset: p("srcOffset"),
      srcEpoch: p("srcEpoch"),
      srcTimestamp: p("srcTimestamp"),
      msgId: p("msgId"),
    })
    .onConflictDoNothing()
    .returning({ id: readings.id })
    .prepare();
  return {
    /** Stores each row not stored before (same Kafka record, or same device and msg_id). */
    insert: (row: NewReading): boolean => insert.get({ ...row }) !== undefined,
  };
}
