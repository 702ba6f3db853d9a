/**
 * DeleteTopics Request (Version: 0) => [topic_names] timeout_ms
 *   topic_names => STRING
 *   timeout_ms => INT32
 *
 * DeleteTopics Response (Version: 0) => [responses]
 *   responses => name error_code
 *     name => STRING
 *     error_code => INT16
 */
import { array, int16, int32, string, struct } from "../schema.ts";

export const request = struct({ topicNames: array(string), timeoutMs: int32 });
export const responses = array(struct({ name: string, errorCode: int16 }));
export const response = struct({ responses });
