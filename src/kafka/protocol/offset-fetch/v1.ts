/**
 * OffsetFetch Request (Version: 1) => group_id [topics]
 *   group_id => STRING
 *   topics => name [partition_indexes]
 *     name => STRING
 *     partition_indexes => INT32
 *
 * OffsetFetch Response (Version: 1) => [topics]
 *   topics => name [partitions]
 *     partitions => partition_index committed_offset metadata error_code
 *       partition_index => INT32
 *       committed_offset => INT64   (-1: nothing committed)
 *       metadata => NULLABLE_STRING
 *       error_code => INT16
 */
import { array, int16, int32, int64, nullableString, string, struct } from "../schema.ts";

export const topicRequest = struct({ name: string, partitionIndexes: array(int32) });
export const request = struct({ groupId: string, topics: array(topicRequest) });

export const topicsResponse = array(
  struct({
    name: string,
    partitions: array(
      struct({
        partitionIndex: int32,
        committedOffset: int64,
        metadata: nullableString,
        errorCode: int16,
      }),
    ),
  }),
);

export const response = struct({ topics: topicsResponse });
