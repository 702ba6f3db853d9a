/**
 * OffsetCommit Response (Version: 3) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 * The request is the same as v2.
 */
import { int32, struct } from "../schema.ts";
import { topicsResponse } from "./v2.ts";

export { request } from "./v2.ts";
export const response = struct({ throttleTimeMs: int32, topics: topicsResponse });
