/**
 * DescribeGroups Response (Version: 1) => throttle_time_ms [groups]
 *   throttle_time_ms => INT32
 * The request is the same as v0.
 */
export { request, responseV1 as response } from "./v0.ts";
