/**
 * OffsetFetch Request (Version: 2) => group_id [topics]   (NULLABLE: null = every partition)
 * OffsetFetch Response (Version: 2) => [topics] error_code
 *   error_code => INT16   (group-level)
 */
import { int16, nullableArray, string, struct } from "../schema.ts";
import { topicRequest, topicsResponse } from "./v1.ts";

export const request = struct({ groupId: string, topics: nullableArray(topicRequest) });
export const response = struct({ topics: topicsResponse, errorCode: int16 });
