/**
 * Produce Response (Version: 5) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset
 *       log_start_offset => INT64
 * The request is the same as v3.
 */
import { array, int32, int64, string, struct } from "../schema.ts";
import { partitionResponseV3 } from "./v3.ts";

export { request } from "./v3.ts";

export const response = struct({
  responses: array(
    struct({
      name: string,
      partitionResponses: array(struct({ ...partitionResponseV3, logStartOffset: int64 })),
    }),
  ),
  throttleTimeMs: int32,
});
