/** Image rows (the JPEG itself is a file under the data dir; the row holds its path). */
import { and, eq, or } from "drizzle-orm";
import type { Db } from "./db.ts";
import { images } from "./schema.ts";
import { preparedInsert, recordPlaceholders, type SourceKey } from "./source.ts";

export interface NewImage extends SourceKey {
  deviceId: string;
  ts: number;
  path: string;
  bytes: number;
  width: number | null;
  height: number | null;
  msgId: string | null;
}

export function imageRows(db: Db) {
  const insert = preparedInsert<NewImage>(
    db,
    db
      .insert(images)
      .values(
        recordPlaceholders<keyof NewImage>([
          "deviceId",
          "ts",
          "path",
          "bytes",
          "width",
          "height",
          "msgId",
        ]),
      )
      .onConflictDoNothing(),
  );
  return {
    /** The new row's id, or undefined when the image was stored before. */
    insert: (row: NewImage): number | undefined => insert(row),
    /** The path of the row a duplicate collided with (same Kafka record, or same device + msg_id). */
    storedPath(src: SourceKey, deviceId: string, msgId: string | null): string | undefined {
      const sameRecord = and(
        eq(images.srcTopic, src.srcTopic),
        eq(images.srcPartition, src.srcPartition),
        eq(images.srcOffset, src.srcOffset),
        eq(images.srcEpoch, src.srcEpoch),
        eq(images.srcTimestamp, src.srcTimestamp),
      );
      const sameMessage =
        msgId === null ? undefined : and(eq(images.deviceId, deviceId), eq(images.msgId, msgId));
      return db
        .select({ path: images.path })
        .from(images)
        .where(sameMessage ? or(sameRecord, sameMessage) : sameRecord)
        .get()?.path;
    },
  };
}
