/**
 * CreateTopics Response (Version: 2) => throttle_time_ms [topics]
 *   throttle_time_ms => INT32
 * The request is the same as v1.
 */
import { int32, struct } from "../schema.ts";
import { topicsResponse } from "./v1.ts";

export { request } from "./v1.ts";
export const response = struct({ throttleTimeMs: int32, topics: topicsResponse });
