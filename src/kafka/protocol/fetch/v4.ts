/**
 * Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   isolation_level => INT8
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition fetch_offset partition_max_bytes
 *       partition => INT32
 *       fetch_offset => INT64
 *       partition_max_bytes => INT32
 *
 * Fetch Response (Version: 4) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 *   responses => topic [partitions]
 *     topic => STRING
 *     partitions => partition_index error_code high_watermark last_stable_offset
 *                   [aborted_transactions] records
 *       partition_index => INT32
 *       error_code => INT16
 *       high_watermark => INT64
 *       last_stable_offset => INT64
 *       aborted_transactions => producer_id first_offset  (NULLABLE array)
 *         producer_id => INT64
 *         first_offset => INT64
 *       records => RECORDS
 */
import {
  array,
  int16,
  int32,
  int64,
  int8,
  nullableArray,
  records,
  string,
  struct,
} from "../schema.ts";

export const requestTop = {
  replicaId: int32,
  maxWaitMs: int32,
  minBytes: int32,
  maxBytes: int32,
  isolationLevel: int8,
};

export const request = struct({
  ...requestTop,
  topics: array(
    struct({
      topic: string,
      partitions: array(struct({ partition: int32, fetchOffset: int64, partitionMaxBytes: int32 })),
    }),
  ),
});

export const abortedTransactions = nullableArray(struct({ producerId: int64, firstOffset: int64 }));

export const partitionHead = {
  partitionIndex: int32,
  errorCode: int16,
  highWatermark: int64,
  lastStableOffset: int64,
};

export const response = struct({
  throttleTimeMs: int32,
  responses: array(
    struct({
      topic: string,
      partitions: array(struct({ ...partitionHead, abortedTransactions, records })),
    }),
  ),
});
