/**
 * DescribeGroups Response (Version: 4): members => member_id group_instance_id client_id
 *   client_host member_metadata member_assignment
 *   group_instance_id => NULLABLE_STRING
 * The request is the same as v3.
 */
import { array, int32, nullableString, string, struct } from "../schema.ts";
import { groupHead, memberTail } from "./v0.ts";

export { request } from "./v3.ts";
export const response = struct({
  throttleTimeMs: int32,
  groups: array(
    struct({
      ...groupHead,
      members: array(struct({ memberId: string, groupInstanceId: nullableString, ...memberTail })),
      authorizedOperations: int32,
    }),
  ),
});
