/**
 * CreateTopics Request (Version: 0) => [topics] timeout_ms
 *   topics => name num_partitions replication_factor [assignments] [configs]
 *     name => STRING
 *     num_partitions => INT32        (-1: the broker's default; kafkajs sends it)
 *     replication_factor => INT16    (-1: the broker's default)
 *     assignments => partition_index [broker_ids]
 *       partition_index => INT32
 *       broker_ids => INT32
 *     configs => name value
 *       name => STRING
 *       value => NULLABLE_STRING
 *   timeout_ms => INT32
 *
 * CreateTopics Response (Version: 0) => [topics]
 *   topics => name error_code
 *     name => STRING
 *     error_code => INT16
 */
import { array, int16, int32, nullableString, string, struct } from "../schema.ts";

export const topicsRequest = array(
  struct({
    name: string,
    numPartitions: int32,
    replicationFactor: int16,
    assignments: array(struct({ partitionIndex: int32, brokerIds: array(int32) })),
    configs: array(struct({ name: string, value: nullableString })),
  }),
);

export const request = struct({ topics: topicsRequest, timeoutMs: int32 });
export const response = struct({ topics: array(struct({ name: string, errorCode: int16 })) });
