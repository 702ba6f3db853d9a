/**
 * Produce Response (Version: 1) => [responses] throttle_time_ms
 *   throttle_time_ms => INT32
 * The request is the same as v0.
 */
import { array, int16, int32, int64, string, struct } from "../schema.ts";

export { request } from "./v0.ts";

export const response = struct({
  responses: array(
    struct({
      name: string,
      partitionResponses: array(struct({ index: int32, errorCode: int16, baseOffset: int64 })),
    }),
  ),
  throttleTimeMs: int32,
});
