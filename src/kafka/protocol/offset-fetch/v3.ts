/**
 * OffsetFetch Response (Version: 3) => throttle_time_ms [topics] error_code
 * The request is the same as v2.
 */
import { int16, int32, struct } from "../schema.ts";
import { topicsResponse } from "./v1.ts";

export { request } from "./v2.ts";
export const response = struct({ throttleTimeMs: int32, topics: topicsResponse, errorCode: int16 });
