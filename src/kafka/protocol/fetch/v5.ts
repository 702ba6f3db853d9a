/**
 * Fetch Request (Version: 5): partitions => partition fetch_offset log_start_offset partition_max_bytes
 *   log_start_offset => INT64
 * Fetch Response (Version: 5): partitions => partition_index error_code high_watermark
 *   last_stable_offset log_start_offset [aborted_transactions] records
 *   log_start_offset => INT64
 */
import { array, int32, int64, records, string, struct } from "../schema.ts";
import { abortedTransactions, partitionHead, requestTop } from "./v4.ts";

export const partitionV5 = {
  partition: int32,
  fetchOffset: int64,
  logStartOffset: int64,
  partitionMaxBytes: int32,
};

export const request = struct({
  ...requestTop,
  topics: array(struct({ topic: string, partitions: array(struct(partitionV5)) })),
});

export const partitionResponseV5 = {
  ...partitionHead,
  logStartOffset: int64,
  abortedTransactions,
  records,
};

export const response = struct({
  throttleTimeMs: int32,
  responses: array(struct({ topic: string, partitions: array(struct(partitionResponseV5)) })),
});
