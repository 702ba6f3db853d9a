/**
 * Produce Request (Version: 0) => acks timeout_ms [topic_data]
 *   acks => INT16
 *   timeout_ms => INT32
 *   topic_data => name [partition_data]
 *     name => STRING
 *     partition_data => index records
 *       index => INT32
 *       records => RECORDS
 *
 * Produce Response (Version: 0) => [responses]
 *   responses => name [partition_responses]
 *     partition_responses => index error_code base_offset
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *
 * v0–v2 exist here because librdkafka only compresses (gzip, snappy, lz4) when the advertised
 * Produce range includes v0. Their records must still be RecordBatch v2: old message sets
 * (magic 0/1) get CORRUPT_MESSAGE.
 */
import { array, int16, int32, int64, nullableBytes, string, struct } from "../schema.ts";

export const topicData = array(
  struct({
    name: string,
    partitionData: array(struct({ index: int32, records: nullableBytes })),
  }),
);

export const request = struct({ acks: int16, timeoutMs: int32, topicData });

export const response = struct({
  responses: array(
    struct({
      name: string,
      partitionResponses: array(struct({ index: int32, errorCode: int16, baseOffset: int64 })),
    }),
  ),
});
