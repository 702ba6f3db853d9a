/**
 * Produce Response (Version: 2): partition_responses => index error_code base_offset
 *   log_append_time_ms
 *   log_append_time_ms => INT64 (-1: CreateTime)
 * The request is the same as v0.
 */
import { array, int32, string, struct } from "../schema.ts";
import { partitionResponseV3 } from "./v3.ts";

export { request } from "./v0.ts";

export const response = struct({
  responses: array(
    struct({ name: string, partitionResponses: array(struct(partitionResponseV3)) }),
  ),
  throttleTimeMs: int32,
});
