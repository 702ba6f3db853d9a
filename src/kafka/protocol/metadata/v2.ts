/**
 * Metadata Response (Version: 2) => [brokers] cluster_id controller_id [topics]
 *   cluster_id => NULLABLE_STRING
 * The request is the same as v1.
 */
import { int32, nullableString, struct } from "../schema.ts";
import { brokersV1, topicsV1 } from "./v1.ts";

export { request } from "./v1.ts";

export const response = struct({
  brokers: brokersV1,
  clusterId: nullableString,
  controllerId: int32,
  topics: topicsV1,
});
