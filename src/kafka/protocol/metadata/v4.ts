/**
 * Metadata Request (Version: 4) => [topics] allow_auto_topic_creation
 *   topics => name STRING (NULLABLE array)
 *   allow_auto_topic_creation => BOOLEAN
 * The response is the same as v3.
 */
import { boolean, nullableArray, string, struct } from "../schema.ts";

export { response } from "./v3.ts";

export const request = struct({ topics: nullableArray(string), allowAutoTopicCreation: boolean });
