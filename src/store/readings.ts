/** Writes of the readings sink: the pipeline's hot path, one prepared insert. */
import type { Db } from "./db.ts";
import { readings } from "./schema.ts";
import { recordPlaceholders, type SourceKey } from "./source.ts";

export interface NewReading extends SourceKey {
  deviceId: string;
  ts: number;
  temperature: number | null;
  humidity: number | null;
  msgId: string | null;
}

export function readingRows(db: Db) {
  const insert = db
    .insert(readings)
    .values(recordPlaceholders(["deviceId", "ts", "temperature", "humidity", "msgId"]))
    .onConflictDoNothing()
    .returning({ id: readings.id })
    .prepare();
  return {
    /** Stores each row not stored before (same Kafka record, or same device and msg_id). */
    insert: (row: NewReading): boolean => insert.get({ ...row }) !== undefined,
  };
}
