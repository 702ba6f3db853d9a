import { ErrorCode } from "../../protocol/errors.ts";
import {
  metadata,
  type MetadataRequest,
  type MetadataResponse,
} from "../../protocol/metadata/index.ts";
import { advertisedHost, defineHandler, refusal, type RequestContext } from "../context.ts";
import { TopicError } from "../log/index.ts";

/**
 * v0: an empty list means every topic. v1+: null means every topic, [] none (librdkafka's
 * "brokers only" query). Missing topics are created when the client allows it (producers do,
 * consumers and admin do not) and the broker's policy does; v0–v3 carry no flag: policy alone.
 */
export const metadataHandler = defineHandler({
  api: metadata,
  handle(req: MetadataRequest, ctx: RequestContext): MetadataResponse {
    const { broker, version } = ctx;
    const all = req.topics === null || (version === 0 && req.topics.length === 0);
    const names = all ? broker.logs.topics().map((t) => t.name) : req.topics!;
    const allowCreate = broker.autoCreateTopics && (version < 4 || req.allowAutoTopicCreation);
    const node = broker.nodeId;
    return {
      throttleTimeMs: 0,
      brokers: [
        { nodeId: node, host: advertisedHost(ctx), port: broker.advertised.port, rack: null },
      ],
      clusterId: broker.clusterId,
      controllerId: node,
      topics: names.map((name) => {
        let errorCode: number = ErrorCode.NONE;
        if (!broker.logs.hasTopic(name)) {
          errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
          // a principal that may not create it is told so, not left retrying a missing topic
          const denied = allowCreate && refusal(ctx, { op: "create", topic: name });
          if (denied) errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
          else if (allowCreate) {
            try {
              broker.logs.createTopic(name, broker.defaultPartitions);
              errorCode = ErrorCode.NONE;
            } catch (e) {
              errorCode = e instanceof TopicError ? e.errorCode : ErrorCode.UNKNOWN_SERVER_ERROR;
            }
          }
        }
        const count =
          errorCode === ErrorCode.NONE
            ? broker.logs.topics().find((t) => t.name === name)!.partitions
            : 0;
        return {
          errorCode,
          name,
          isInternal: false,
          partitions: Array.from({ length: count }, (_, p) => ({
            errorCode: ErrorCode.NONE,
            partitionIndex: p,
            leaderId: node,
            replicaNodes: [node],
            isrNodes: [node],
            offlineReplicas: [],
          })),
        };
      }),
    };
  },
});
