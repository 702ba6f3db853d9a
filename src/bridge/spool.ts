/**
 * Records the bridge could not hand to Kafka, kept on disk in arrival order until Kafka is back:
 * a durable queue of Kafka records in `<data-dir>/bridge-spool`, fsynced before the device is
 * acknowledged, drained first and in order once Kafka answers again.
 */
import { readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { decodeEntries } from "../core/queue/journal.ts";
import { DurableQueue, type QueueCodec } from "../core/queue/queue.ts";
import type { KafkaRecord } from "./mapping.ts";

export type { QueuePosition as SpoolPosition } from "../core/queue/queue.ts";

/** One spooled record as stored: topic, key, headers, base64 value. */
interface StoredRecord {
  t: string;
  k: string | null;
  h: Record<string, string>;
  v: string;
}

export const kafkaRecordCodec: QueueCodec<KafkaRecord> = {
  encode: (r): StoredRecord => ({
    t: r.topic,
    k: r.key,
    h: r.headers,
    v: r.value.toString("base64"),
  }),
  decode: (stored) => {
    const e = stored as StoredRecord;
    return { topic: e.t, key: e.k, headers: e.h, value: Buffer.from(e.v, "base64") };
  },
};

export class Spool extends DurableQueue<KafkaRecord> {
  constructor(dataDir: string, maxBytes: number, segmentBytes?: number) {
    super(join(dataDir, "bridge-spool"), maxBytes, kafkaRecordCodec, segmentBytes);
    const legacy = legacySpool(dataDir);
    if (legacy.records.length > 0) this.append(legacy.records);
    legacy.done();
  }
}

/**
 * Records left by the first spool format (one `bridge-spool.log` in the data dir), handed over
 * once: `done()` removes the old file after they were appended to the new spool.
 */
function legacySpool(dataDir: string): { records: KafkaRecord[]; done(): void } {
  const path = join(dataDir, "bridge-spool.log");
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return { records: [], done: () => {} };
  }
  const { entries } = decodeEntries<unknown>(buf);
  return {
    records: entries.map((e) => kafkaRecordCodec.decode(e.entry)),
    done: () => unlinkSync(path),
  };
}
