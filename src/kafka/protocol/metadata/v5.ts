/**
 * Metadata Response (Version: 5): partitions => error_code partition_index leader_id
 *   [replica_nodes] [isr_nodes] [offline_replicas]
 *   offline_replicas => INT32
 * The request is the same as v4.
 */
import { array, boolean, int16, int32, nullableString, string, struct } from "../schema.ts";
import { partitionV0 } from "./v0.ts";
import { brokersV1 } from "./v1.ts";

export { request } from "./v4.ts";

export const response = struct({
  throttleTimeMs: int32,
  brokers: brokersV1,
  clusterId: nullableString,
  controllerId: int32,
  topics: array(
    struct({
      errorCode: int16,
      name: string,
      isInternal: boolean,
      partitions: array(struct({ ...partitionV0, offlineReplicas: array(int32) })),
    }),
  ),
});
