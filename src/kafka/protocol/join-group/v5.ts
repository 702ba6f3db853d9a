/**
 * JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms member_id
 *   group_instance_id protocol_type [protocols]
 *   group_instance_id => NULLABLE_STRING
 * JoinGroup Response (Version: 5): members => member_id group_instance_id metadata
 */
import { array, bytes, int32, nullableString, string, struct } from "../schema.ts";
import { protocols, responseHead } from "./v0.ts";

export const request = struct({
  groupId: string,
  sessionTimeoutMs: int32,
  rebalanceTimeoutMs: int32,
  memberId: string,
  groupInstanceId: nullableString,
  protocolType: string,
  protocols,
});

export const response = struct({
  throttleTimeMs: int32,
  ...responseHead,
  members: array(struct({ memberId: string, groupInstanceId: nullableString, metadata: bytes })),
});
