/**
 * ListGroups Request (Version: 0) => (empty)
 *
 * ListGroups Response (Version: 0) => error_code [groups]
 *   error_code => INT16
 *   groups => group_id protocol_type
 *     group_id => STRING
 *     protocol_type => STRING
 */
import { array, int16, string, struct } from "../schema.ts";

export const request = struct({});
export const groups = array(struct({ groupId: string, protocolType: string }));
export const response = struct({ errorCode: int16, groups });
