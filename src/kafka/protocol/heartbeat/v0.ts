/**
 * Heartbeat Request (Version: 0) => group_id generation_id member_id
 *   group_id => STRING
 *   generation_id => INT32
 *   member_id => STRING
 *
 * Heartbeat Response (Version: 0) => error_code
 *   error_code => INT16
 */
import { int16, int32, string, struct } from "../schema.ts";

export const requestFields = { groupId: string, generationId: int32, memberId: string };
export const request = struct(requestFields);
export const response = struct({ errorCode: int16 });
