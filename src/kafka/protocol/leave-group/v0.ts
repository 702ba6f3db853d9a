/**
 * LeaveGroup Request (Version: 0) => group_id member_id
 *   group_id => STRING
 *   member_id => STRING
 *
 * LeaveGroup Response (Version: 0) => error_code
 *   error_code => INT16
 */
import { int16, string, struct } from "../schema.ts";

export const request = struct({ groupId: string, memberId: string });
export const response = struct({ errorCode: int16 });
