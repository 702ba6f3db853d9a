import { topics } from "../core/kafka/topics.ts";
import type { EventBus } from "../events/index.ts";
import { DeviceClocks } from "./parse/device-time.ts";
import { msgIdHeaderOf } from "./parse/identity.ts";
import { parseTelemetry, parseTempTest, type Reading } from "./parse/readings.ts";
import type { StoreEngine } from "../store/engine/index.ts";
import type { NewReading } from "../store/readings.ts";
import { partition, sourceOf, type EngineSink, type SinkRecord } from "./run-sink.ts";

const readingsTopics = [topics.telemetry, topics.tempTest];

/** A record's row: its reading (the `msg_id` header, when there, names the message), its source. */
function rowOf(r: SinkRecord, clocks: DeviceClocks): NewReading {
  const header = msgIdHeaderOf(r.headers);
  const reading: Reading =
    r.topic === topics.tempTest
      ? parseTempTest(r.value)
      : parseTelemetry(r.key, r.value, r.timestamp);
  // a device clock far off (1970, 2099): stored at its arrival time (parse/device-time.ts)
  reading.ts = clocks.believe("readings", reading.deviceId, reading.ts, r.timestamp);
  if (header !== undefined) reading.msgId = header;
  return Object.assign(reading, sourceOf(r));
}

/** the dashboard only needs to hear that readings changed: once a batch (it re-renders from the store) */
function announce(bus: EventBus, inserted: number): void {
  if (inserted > 0) bus.publish({ type: "reading" });
}

/**
 * Device telemetry and the seed's `temp_test` → `readings`, once per message: a record seen
 * again (same Kafka record: topic, partition, offset, epoch, timestamp) or the same message at
 * another offset (same device and msg_id — from the `msg_id` header, else the payload's field)
 * is skipped. A device clock plainly wrong gives way to the arrival time (parse/device-time.ts).
 * The pipeline's hot path: the batch's readings go in as one statement on PostgreSQL (one
 * prepared insert each on SQLite), in the transaction the runner holds for the batch.
 */
export function readingsSink(
  engine: StoreEngine,
  bus: EventBus,
  clocks = new DeviceClocks(),
): EngineSink {
  return {
    name: "readings",
    topics: readingsTopics,
    engine,
    async handle(records, tx) {
      const { ok, rejected } = partition(records, (r: SinkRecord) => rowOf(r, clocks));
      const lastSeen = new Map<string, number>();
      const rows: NewReading[] = [];
      for (const { value } of ok) {
        rows.push(value);
        lastSeen.set(value.deviceId, Math.max(lastSeen.get(value.deviceId) ?? 0, value.ts));
      }
      const fresh = await tx.readingBatch.insert(rows);
      for (const [id, ts] of lastSeen) await tx.devices.touch(id, ts);
      announce(bus, fresh.filter(Boolean).length);
      return rejected;
    },
  };
}
