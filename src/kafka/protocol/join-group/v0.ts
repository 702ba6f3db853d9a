/**
 * JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
 *   group_id => STRING
 *   session_timeout_ms => INT32
 *   member_id => STRING
 *   protocol_type => STRING
 *   protocols => name metadata
 *     name => STRING
 *     metadata => BYTES
 *
 * JoinGroup Response (Version: 0) => error_code generation_id protocol_name leader member_id [members]
 *   error_code => INT16
 *   generation_id => INT32
 *   protocol_name => STRING
 *   leader => STRING
 *   member_id => STRING
 *   members => member_id metadata
 *     member_id => STRING
 *     metadata => BYTES
 */
import { array, bytes, int16, int32, string, struct } from "../schema.ts";

export const protocols = array(struct({ name: string, metadata: bytes }));

export const request = struct({
  groupId: string,
  sessionTimeoutMs: int32,
  memberId: string,
  protocolType: string,
  protocols,
});

export const responseHead = {
  errorCode: int16,
  generationId: int32,
  protocolName: string,
  leader: string,
  memberId: string,
};

export const response = struct({
  ...responseHead,
  members: array(struct({ memberId: string, metadata: bytes })),
});
