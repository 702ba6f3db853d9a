/**
 * SyncGroup Request (Version: 0) => group_id generation_id member_id [assignments]
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *   assignments => member_id assignment
 *     member_id => STRING
 *     assignment => BYTES
 *
 * SyncGroup Response (Version: 0) => error_code assignment
 *   error_code => INT16
 *   assignment => BYTES
 */
import { array, bytes, int16, int32, string, struct } from "../schema.ts";

export const assignments = array(struct({ memberId: string, assignment: bytes }));
export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  assignments,
});
export const response = struct({ errorCode: int16, assignment: bytes });
