/** Writes of the readings sink: the pipeline's hot path, one prepared insert. */
import type { Db } from "./db.ts";
import { readings } from "./schema.ts";
import { preparedInsert, recordPlaceholders, type SourceKey } from "./source.ts";

export interface NewReading extends SourceKey {
  deviceId: string;
  ts: number;
  temperature: number | null;
  humidity: number | null;
  msgId: string | null;
}

export function readingRows(db: Db) {
  const insert = preparedInsert<NewReading>(
    db,
    db
      .insert(readings)
      .values(
        recordPlaceholders<keyof NewReading>([
          "deviceId",
          "ts",
          "temperature",
          "humidity",
          "msgId",
        ]),
      )
      .onConflictDoNothing(),
  );
  return {
    /** Stores each row not stored before (same Kafka record, or same device and msg_id). */
    insert: (row: NewReading): boolean => insert(row) !== undefined,
  };
}
