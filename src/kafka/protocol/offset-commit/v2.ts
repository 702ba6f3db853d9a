/**
 * OffsetCommit Request (Version: 2) => group_id generation_id member_id retention_time_ms [topics]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   retention_time_ms => INT64
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index committed_offset committed_metadata
 *       partition_index => INT32
 *       committed_offset => INT64
 *       committed_metadata => NULLABLE_STRING
 *
 * OffsetCommit Response (Version: 2) => [topics]
 *   topics => name [partitions]
 *     partitions => partition_index error_code
 */
import { array, int16, int32, int64, nullableString, string, struct } from "../schema.ts";

export const topicsRequest = array(
  struct({
    name: string,
    partitions: array(
      struct({ partitionIndex: int32, committedOffset: int64, committedMetadata: nullableString }),
    ),
  }),
);

export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  retentionTimeMs: int64,
  topics: topicsRequest,
});

export const topicsResponse = array(
  struct({ name: string, partitions: array(struct({ partitionIndex: int32, errorCode: int16 })) }),
);

export const response = struct({ topics: topicsResponse });
