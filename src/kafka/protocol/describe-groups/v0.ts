/**
 * DescribeGroups Request (Version: 0) => [groups]
 *   groups => STRING
 *
 * DescribeGroups Response (Version: 0) => [groups]
 *   groups => error_code group_id group_state protocol_type protocol_data [members]
 *     error_code => INT16
 *     group_id => STRING
 *     group_state => STRING
 *     protocol_type => STRING
 *     protocol_data => STRING
 *     members => member_id client_id client_host member_metadata member_assignment
 *       member_id => STRING
 *       client_id => STRING
 *       client_host => STRING
 *       member_metadata => BYTES
 *       member_assignment => BYTES
 */
import { array, bytes, int16, int32, string, struct } from "../schema.ts";

export const request = struct({ groups: array(string) });

export const groupHead = {
  errorCode: int16,
  groupId: string,
  groupState: string,
  protocolType: string,
  protocolData: string,
};
export const memberTail = {
  clientId: string,
  clientHost: string,
  memberMetadata: bytes,
  memberAssignment: bytes,
};
export const groupsV0 = array(
  struct({ ...groupHead, members: array(struct({ memberId: string, ...memberTail })) }),
);

export const response = struct({ groups: groupsV0 });
export const responseV1 = struct({ throttleTimeMs: int32, groups: groupsV0 });
