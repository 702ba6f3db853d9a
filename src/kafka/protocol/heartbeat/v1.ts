/**
 * Heartbeat Response (Version: 1) => throttle_time_ms error_code
 *   throttle_time_ms => INT32
 * The request is the same as v0.
 */
import { int16, int32, struct } from "../schema.ts";

export { request } from "./v0.ts";
export const response = struct({ throttleTimeMs: int32, errorCode: int16 });
