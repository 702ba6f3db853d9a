/**
 * DescribeGroups Request (Version: 3) => [groups] include_authorized_operations
 *   include_authorized_operations => BOOLEAN
 * DescribeGroups Response (Version: 3): groups => … [members] authorized_operations
 *   authorized_operations => INT32
 */
import { array, boolean, int32, string, struct } from "../schema.ts";
import { groupHead, memberTail } from "./v0.ts";

export const request = struct({ groups: array(string), includeAuthorizedOperations: boolean });
export const response = struct({
  throttleTimeMs: int32,
  groups: array(
    struct({
      ...groupHead,
      members: array(struct({ memberId: string, ...memberTail })),
      authorizedOperations: int32,
    }),
  ),
});
