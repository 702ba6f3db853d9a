/** Writes of the readings sink: the pipeline's hot path, one prepared insert bound by hand. */
import type { Db } from "./db.ts";
import { readings } from "./schema.ts";
import { positionalInsert, recordPlaceholders, type SourceKey } from "./source.ts";

export interface NewReading extends SourceKey {
  deviceId: string;
  ts: number;
  temperature: number | null;
  humidity: number | null;
  msgId: string | null;
}

/** the insert's parameters in the table's column order, as drizzle writes them (checked) */
const bound: Array<keyof NewReading> = [
  "deviceId",
  "ts",
  "temperature",
  "humidity",
  "srcTopic",
  "srcPartition",
  "srcOffset",
  "srcEpoch",
  "srcTimestamp",
  "msgId",
];

export function readingRows(db: Db) {
  const statement = positionalInsert<NewReading>(
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
    bound,
  );
  return {
    /** Stores each row not stored before (same Kafka record, or same device and msg_id). */
    insert: (r: NewReading): boolean =>
      // in the order of `bound`
      statement.run(
        r.deviceId,
        r.ts,
        r.temperature,
        r.humidity,
        r.srcTopic,
        r.srcPartition,
        r.srcOffset,
        r.srcEpoch,
        r.srcTimestamp,
        r.msgId,
      ).changes > 0,
  };
}
