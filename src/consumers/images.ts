import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { topics } from "../kafka/client/topics.ts";
import type { EventBus } from "../events/index.ts";
import type { Db } from "../store/index.ts";
import { images } from "../store/schema.ts";
import { BadRecord } from "./parse/errors.ts";
import { checkJpeg, parseImgTest } from "./parse/jpeg.ts";
import { touchDevice } from "./readings.ts";
import { partition, type Sink, type SinkRecord } from "./run-sink.ts";

const safe = (s: string) => s.replace(/[^a-zA-Z0-9._-]/g, "_");

/**
 * Camera snapshots: raw JPEG from devices (`iot.image`) and the seed's base64 JSON (`imgtest`)
 * → a file under `<dataDir>/images/<device>/` named after its Kafka record (so a redelivery
 * rewrites the same file) and one `images` row.
 */
export function imagesSink(db: Db, dataDir: string, bus: EventBus): Sink {
  return {
    name: "images",
    topics: [topics.image, topics.imgTest],
    handle(records) {
      const { ok, rejected } = partition(records, (r: SinkRecord) => {
        if (r.topic === topics.imgTest) return parseImgTest(r.value);
        if (!r.key) throw new BadRecord("image without a device id key");
        checkJpeg(r.value);
        return { deviceId: r.key, ts: r.timestamp, jpeg: r.value };
      });
      for (const { record, value } of ok) {
        const dir = join(dataDir, "images", safe(value.deviceId));
        mkdirSync(dir, { recursive: true });
        const path = join(
          dir,
          `${value.ts}-${safe(record.topic)}-${record.partition}-${record.offset}.jpg`,
        );
        writeFileSync(path, value.jpeg);
        const { width, height } = checkJpeg(value.jpeg);
        const row = db
          .insert(images)
          .values({
            deviceId: value.deviceId,
            ts: value.ts,
            path,
            bytes: value.jpeg.length,
            width,
            height,
            srcTopic: record.topic,
            srcPartition: record.partition,
            srcOffset: record.offset,
          })
          .onConflictDoNothing()
          .returning({ id: images.id })
          .get();
        touchDevice(db, value.deviceId, value.ts);
        if (row) bus.publish({ type: "image", deviceId: value.deviceId, id: row.id, ts: value.ts });
      }
      return rejected;
    },
  };
}
