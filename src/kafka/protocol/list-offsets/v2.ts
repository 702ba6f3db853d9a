/**
 * ListOffsets Request (Version: 2) => replica_id isolation_level [topics]
 *   isolation_level => INT8
 * ListOffsets Response (Version: 2) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 */
import { int32, int8, struct } from "../schema.ts";
import { topicsRequest, topicsResponse } from "./v1.ts";

export const request = struct({ replicaId: int32, isolationLevel: int8, topics: topicsRequest });
export const response = struct({ throttleTimeMs: int32, topics: topicsResponse });
