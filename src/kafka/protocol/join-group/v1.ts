/**
 * JoinGroup Request (Version: 1) => group_id session_timeout_ms rebalance_timeout_ms member_id
 *   protocol_type [protocols]
 *   rebalance_timeout_ms => INT32
 * The response is the same as v0.
 */
import { int32, string, struct } from "../schema.ts";
import { protocols } from "./v0.ts";

export { response } from "./v0.ts";

export const request = struct({
  groupId: string,
  sessionTimeoutMs: int32,
  rebalanceTimeoutMs: int32,
  memberId: string,
  protocolType: string,
  protocols,
});
