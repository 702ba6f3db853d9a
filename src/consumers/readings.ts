import type { Database } from "bun:sqlite";
import { sql } from "drizzle-orm";
import { topics } from "../core/kafka/topics.ts";
import type { Db } from "../store/index.ts";
import { devices } from "../store/schema.ts";
import type { EventBus } from "../events/index.ts";
import { msgIdHeaderOf } from "./parse/identity.ts";
import { parseTelemetry, parseTempTest, type Reading } from "./parse/readings.ts";
import { partition, sourceOf, type Sink, type SinkRecord } from "./run-sink.ts";

/**
 * Device telemetry and the seed's `temp_test` → `readings`, once per message: a record seen
 * again (same Kafka record: topic, partition, offset, epoch, timestamp) or the same message at another offset (same device and msg_id —
 * from the `msg_id` header, else the payload's field) is skipped.
 */
export function readingsSink(db: Db, sqlite: Database, bus: EventBus): Sink {
  // The hot path of the pipeline: one prepared statement, one transaction per fetched batch.
  const insert = sqlite.prepare(
    `INSERT INTO readings (device_id, ts, temperature, humidity, src_topic, src_partition, src_offset, src_epoch, src_timestamp, msg_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  return {
    name: "readings",
    topics: [topics.telemetry, topics.tempTest],
    handle(records) {
      const { ok, rejected } = partition(records, (r: SinkRecord): Reading => {
        const header = msgIdHeaderOf(r.headers);
        const reading =
          r.topic === topics.tempTest
            ? parseTempTest(r.value)
            : parseTelemetry(r.key, r.value, r.timestamp);
        return header === undefined ? reading : { ...reading, msgId: header };
      });
      const rows = ok.map(({ record, value }) => ({
        ...value,
        ...sourceOf(record),
      }));
      const lastSeen = new Map<string, number>();
      for (const r of rows) lastSeen.set(r.deviceId, Math.max(lastSeen.get(r.deviceId) ?? 0, r.ts));
      const inserted: typeof rows = [];
      db.transaction((tx) => {
        for (const r of rows) {
          const { changes } = insert.run(
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
          );
          if (changes > 0) inserted.push(r);
        }
        for (const [id, ts] of lastSeen) touchDevice(tx, id, ts);
      });
      for (const r of inserted.slice(-50))
        bus.publish({
          type: "reading",
          deviceId: r.deviceId,
          ts: r.ts,
          temperature: r.temperature ?? undefined,
          humidity: r.humidity ?? undefined,
        });
      return rejected;
    },
  };
}

/** Every record from a device refreshes its last-seen time. */
export function touchDevice(tx: Pick<Db, "insert">, id: string, ts: number): void {
  tx.insert(devices)
    .values({ id, lastSeen: ts, online: true })
    .onConflictDoUpdate({
      target: devices.id,
      set: { lastSeen: sql`max(coalesce(${devices.lastSeen}, 0), ${ts})`, online: true },
    })
    .run();
}
