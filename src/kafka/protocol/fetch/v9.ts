/**
 * Fetch Request (Version: 9): partitions => partition current_leader_epoch fetch_offset
 *   log_start_offset partition_max_bytes
 *   current_leader_epoch => INT32  (clients send -1)
 * The response is the same as v7.
 */
import { array, int32, int64, string, struct } from "../schema.ts";
import { requestTop } from "./v4.ts";
import { forgottenTopics, sessionFields } from "./v7.ts";

export { response } from "./v7.ts";

export const partitionV9 = {
  partition: int32,
  currentLeaderEpoch: int32,
  fetchOffset: int64,
  logStartOffset: int64,
  partitionMaxBytes: int32,
};

export const topicsV9 = array(struct({ topic: string, partitions: array(struct(partitionV9)) }));

export const request = struct({
  ...requestTop,
  ...sessionFields,
  topics: topicsV9,
  forgottenTopicsData: forgottenTopics,
});
