/**
 * Fetch Request (Version: 11): … [forgotten_topics_data] rack_id
 *   rack_id => STRING
 * Fetch Response (Version: 11): partitions => partition_index error_code high_watermark
 *   last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records
 *   preferred_read_replica => INT32  (-1: read from the leader)
 */
import { array, int32, int64, records, string, struct } from "../schema.ts";
import { abortedTransactions, partitionHead, requestTop } from "./v4.ts";
import { forgottenTopics, responseTop, sessionFields } from "./v7.ts";
import { topicsV9 } from "./v9.ts";

export const request = struct({
  ...requestTop,
  ...sessionFields,
  topics: topicsV9,
  forgottenTopicsData: forgottenTopics,
  rackId: string,
});

export const response = struct({
  ...responseTop,
  responses: array(
    struct({
      topic: string,
      partitions: array(
        struct({
          ...partitionHead,
          logStartOffset: int64,
          abortedTransactions,
          preferredReadReplica: int32,
          records,
        }),
      ),
    }),
  ),
});
