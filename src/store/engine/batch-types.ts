/**
 * Writes of many rows in one statement, for the sinks' hot paths: on PostgreSQL one round trip
 * per row is what bounds a batch (a multi-row INSERT stores the same rows several times faster);
 * on SQLite the rows go through the same prepared insert one by one, as before.
 */
import type { NewReading } from "../readings.ts";

export interface BatchIngestOps {
  readingsBatch: {
    /**
     * Stores, in the given order, each row not stored before (same Kafka record, or same device
     * and msg_id — also between rows of this call); answers how many were stored.
     */
    insertMany(rows: NewReading[]): Promise<number>;
  };
}
