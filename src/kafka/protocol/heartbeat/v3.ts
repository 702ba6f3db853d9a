/**
 * Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
 *   group_instance_id => NULLABLE_STRING
 * The response is the same as v1.
 */
import { nullableString, struct } from "../schema.ts";
import { requestFields } from "./v0.ts";

export { response } from "./v1.ts";
export const request = struct({ ...requestFields, groupInstanceId: nullableString });
