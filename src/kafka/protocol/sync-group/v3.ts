/**
 * SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
 *   group_instance_id => NULLABLE_STRING
 * The response is the same as v1.
 */
import { int32, nullableString, string, struct } from "../schema.ts";
import { assignments } from "./v0.ts";

export { response } from "./v1.ts";
export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: nullableString,
  assignments,
});
