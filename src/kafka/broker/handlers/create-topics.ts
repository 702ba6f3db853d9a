import {
  createTopics,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
} from "../../protocol/create-topics/index.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";
import { TopicError, topicNameError } from "../log/index.ts";

/** -1 partitions / replication factor mean "the broker's default" (kafkajs sends them). */
export const createTopicsHandler = defineHandler({
  api: createTopics,
  handle(req: CreateTopicsRequest, ctx: RequestContext): CreateTopicsResponse {
    const { broker } = ctx;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => {
        const ok = {
          name: t.name,
          errorCode: ErrorCode.NONE as number,
          errorMessage: null as string | null,
        };
        const fail = (errorCode: number, errorMessage: string) => ({
          ...ok,
          errorCode,
          errorMessage,
        });
        const denied = refusal(ctx, { op: "create", topic: t.name });
        if (denied) return fail(ErrorCode.TOPIC_AUTHORIZATION_FAILED, denied);
        if (t.replicationFactor !== -1 && t.replicationFactor !== 1 && t.assignments.length === 0) {
          return fail(
            ErrorCode.INVALID_REPLICATION_FACTOR,
            "this broker is a single node: replication factor 1",
          );
        }
        const partitions =
          t.assignments.length > 0
            ? t.assignments.length
            : t.numPartitions === -1
              ? broker.defaultPartitions
              : t.numPartitions;
        try {
          if (req.validateOnly) {
            const bad = topicNameError(t.name);
            if (bad) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, bad);
            if (broker.logs.hasTopic(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, "exists");
            return ok;
          }
          broker.logs.createTopic(t.name, partitions);
          return ok;
        } catch (e) {
          if (e instanceof TopicError) return fail(e.errorCode, e.message);
          throw e;
        }
      }),
    };
  },
});
