/**
 * Metadata Response (Version: 3) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   throttle_time_ms => INT32
 * The request is the same as v1.
 */
import { int32, nullableString, struct } from "../schema.ts";
import { brokersV1, topicsV1 } from "./v1.ts";

export { request } from "./v1.ts";

export const response = struct({
  throttleTimeMs: int32,
  brokers: brokersV1,
  clusterId: nullableString,
  controllerId: int32,
  topics: topicsV1,
});
