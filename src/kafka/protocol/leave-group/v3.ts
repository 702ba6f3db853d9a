/**
 * LeaveGroup Request (Version: 3) => group_id [members]
 *   members => member_id group_instance_id
 *     member_id => STRING
 *     group_instance_id => NULLABLE_STRING
 *
 * LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
 *   members => member_id group_instance_id error_code
 */
import { array, int16, int32, nullableString, string, struct } from "../schema.ts";

const member = { memberId: string, groupInstanceId: nullableString };

export const request = struct({ groupId: string, members: array(struct(member)) });
export const response = struct({
  throttleTimeMs: int32,
  errorCode: int16,
  members: array(struct({ ...member, errorCode: int16 })),
});
