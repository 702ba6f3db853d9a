/**
 * Metadata Request (Version: 0) => [topics]
 *   topics => name STRING            (v0: an empty array means all topics)
 *
 * Metadata Response (Version: 0) => [brokers] [topics]
 *   brokers => node_id host port
 *     node_id => INT32
 *     host => STRING
 *     port => INT32
 *   topics => error_code name [partitions]
 *     error_code => INT16
 *     name => STRING
 *     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
 *       error_code => INT16
 *       partition_index => INT32
 *       leader_id => INT32
 *       replica_nodes => INT32
 *       isr_nodes => INT32
 */
import { array, int16, int32, string, struct } from "../schema.ts";

export const request = struct({ topics: array(string) });

export const brokerV0 = { nodeId: int32, host: string, port: int32 };
export const partitionV0 = {
  errorCode: int16,
  partitionIndex: int32,
  leaderId: int32,
  replicaNodes: array(int32),
  isrNodes: array(int32),
};

export const response = struct({
  brokers: array(struct(brokerV0)),
  topics: array(struct({ errorCode: int16, name: string, partitions: array(struct(partitionV0)) })),
});
