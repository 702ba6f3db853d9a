/**
 * DeleteTopics Response (Version: 1) => throttle_time_ms [responses]
 *   throttle_time_ms => INT32
 * The request is the same as v0.
 */
import { int32, struct } from "../schema.ts";
import { responses } from "./v0.ts";

export { request } from "./v0.ts";
export const response = struct({ throttleTimeMs: int32, responses });
