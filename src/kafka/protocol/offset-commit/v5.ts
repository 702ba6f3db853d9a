/**
 * OffsetCommit Request (Version: 5) => group_id generation_id member_id [topics]
 *   (retention_time_ms removed: the broker's retention applies)
 * The response is the same as v3.
 */
import { int32, string, struct } from "../schema.ts";
import { topicsRequest } from "./v2.ts";

export { response } from "./v3.ts";
export const request = struct({
  groupId: string,
  generationId: int32,
  memberId: string,
  topics: topicsRequest,
});
