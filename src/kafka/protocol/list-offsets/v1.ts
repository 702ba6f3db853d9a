/**
 * ListOffsets Request (Version: 1) => replica_id [topics]
 *   replica_id => INT32
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index timestamp
 *       partition_index => INT32
 *       timestamp => INT64   (-1 latest, -2 earliest)
 *
 * ListOffsets Response (Version: 1) => [topics]
 *   topics => name [partitions]
 *     name => STRING
 *     partitions => partition_index error_code timestamp offset
 *       partition_index => INT32
 *       error_code => INT16
 *       timestamp => INT64
 *       offset => INT64
 */
import { array, int16, int32, int64, string, struct } from "../schema.ts";

export const topicsRequest = array(
  struct({ name: string, partitions: array(struct({ partitionIndex: int32, timestamp: int64 })) }),
);

export const request = struct({ replicaId: int32, topics: topicsRequest });

export const topicsResponse = array(
  struct({
    name: string,
    partitions: array(
      struct({ partitionIndex: int32, errorCode: int16, timestamp: int64, offset: int64 }),
    ),
  }),
);

export const response = struct({ topics: topicsResponse });
