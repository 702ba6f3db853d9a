/**
 * JoinGroup Response (Version: 2) => throttle_time_ms error_code generation_id protocol_name
 *   leader member_id [members]
 *   throttle_time_ms => INT32
 * The request is the same as v1.
 */
import { array, bytes, int32, string, struct } from "../schema.ts";
import { responseHead } from "./v0.ts";

export { request } from "./v1.ts";

export const response = struct({
  throttleTimeMs: int32,
  ...responseHead,
  members: array(struct({ memberId: string, metadata: bytes })),
});
