/**
 * FindCoordinator Request (Version: 1) => key key_type
 *   key_type => INT8   (0 group, 1 transaction)
 * FindCoordinator Response (Version: 1) => throttle_time_ms error_code error_message node_id host port
 *   throttle_time_ms => INT32
 *   error_message => NULLABLE_STRING
 */
import { int16, int32, int8, nullableString, string, struct } from "../schema.ts";
import { coordinator } from "./v0.ts";

export const request = struct({ key: string, keyType: int8 });
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  ...coordinator,
});
