import {
  deleteTopics,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
} from "../../protocol/delete-topics/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { TopicError } from "../log/index.ts";

export const deleteTopicsHandler = defineHandler({
  api: deleteTopics,
  async handle(req: DeleteTopicsRequest, ctx: RequestContext): Promise<DeleteTopicsResponse> {
    const { broker } = ctx;
    const responses = [];
    for (const name of req.topicNames) {
      if (refusal(ctx, { op: "delete", topic: name })) {
        responses.push({ name, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
        continue;
      }
      try {
        broker.logs.deleteTopic(name);
        await broker.groups.deleteTopic(name);
        responses.push({ name, errorCode: 0 });
      } catch (e) {
        if (!(e instanceof TopicError)) throw e;
        responses.push({ name, errorCode: e.errorCode });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
});
