/**
 * ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
 *   throttle_time_ms => INT32
 */
import { array, int16, int32, struct } from "../schema.ts";
import { apiKeyRange } from "./v0.ts";

export { request } from "./v0.ts";
export const response = struct({
  errorCode: int16,
  apiKeys: array(struct(apiKeyRange)),
  throttleTimeMs: int32,
});
