/**
 * Fetch Request (Version: 7) => replica_id max_wait_ms min_bytes max_bytes isolation_level
 *   session_id session_epoch [topics] [forgotten_topics_data]
 *   session_id => INT32
 *   session_epoch => INT32
 *   forgotten_topics_data => topic [partitions]
 *     topic => STRING
 *     partitions => INT32
 * Fetch Response (Version: 7) => throttle_time_ms error_code session_id [responses]
 *   error_code => INT16
 *   session_id => INT32
 * Fetch sessions (KIP-227) are never created: clients send session 0 / epoch -1.
 */
import { array, int16, int32, string, struct } from "../schema.ts";
import { requestTop } from "./v4.ts";
import { partitionResponseV5, partitionV5 } from "./v5.ts";

export const forgottenTopics = array(struct({ topic: string, partitions: array(int32) }));
export const sessionFields = { sessionId: int32, sessionEpoch: int32 };

export const request = struct({
  ...requestTop,
  ...sessionFields,
  topics: array(struct({ topic: string, partitions: array(struct(partitionV5)) })),
  forgottenTopicsData: forgottenTopics,
});

export const responseTop = { throttleTimeMs: int32, errorCode: int16, sessionId: int32 };

export const response = struct({
  ...responseTop,
  responses: array(struct({ topic: string, partitions: array(struct(partitionResponseV5)) })),
});
