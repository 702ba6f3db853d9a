/**
 * CreateTopics Request (Version: 1) => [topics] timeout_ms validate_only
 *   validate_only => BOOLEAN
 * CreateTopics Response (Version: 1) => [topics]
 *   topics => name error_code error_message
 *     error_message => NULLABLE_STRING
 */
import { array, boolean, int16, int32, nullableString, string, struct } from "../schema.ts";
import { topicsRequest } from "./v0.ts";

export const request = struct({ topics: topicsRequest, timeoutMs: int32, validateOnly: boolean });
export const topicsResponse = array(
  struct({ name: string, errorCode: int16, errorMessage: nullableString }),
);
export const response = struct({ topics: topicsResponse });
