/**
 * ListGroups Response (Version: 1) => throttle_time_ms error_code [groups]
 *   throttle_time_ms => INT32
 */
import { int16, int32, struct } from "../schema.ts";
import { groups } from "./v0.ts";

export { request } from "./v0.ts";
export const response = struct({ throttleTimeMs: int32, errorCode: int16, groups });
